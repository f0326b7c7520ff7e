import { DecodeError } from "./decode-error.ts";
import {
  type DecodeOutcome,
  type DecoderInput,
  PacketDecoder,
  type PacketDecoderOptions,
  PENDING,
} from "./decoder.ts";
import { encodePacket } from "./encode.ts";
import type { BinaryData, Packet } from "./packet.ts";

/**
 * A Socket.IO parser module, as socket.io-client's `parser` option takes it: an `Encoder` and a
 * `Decoder` class, e.g. `import * as parser from "socket.io-msgpack-parser"`. The server must be
 * given the same parser.
 */
export interface Parser {
  Encoder: new () => {
    /** The Engine.IO messages that carry `packet`. */
    encode(packet: Packet): Array<string | BinaryData>;
  };
  Decoder: new () => {
    /** Feeds one Engine.IO message; emits `decoded` for each packet completed; throws if malformed. */
    add(chunk: string | BinaryData): void;
    on(event: "decoded", listener: (packet: Packet) => void): unknown;
    /** Drops a partially decoded packet. */
    destroy(): void;
  };
}

/**
 * A {@link Parser}'s decoder behind the built-in decoder's interface (`add` returns an outcome
 * and never throws; `reset`), so the connection treats both alike. With `check` (see
 * {@link checkAsText}), each packet the parser gives gets the outcome `check` gives it.
 */
export class ParserDecoder {
  readonly #decoder: InstanceType<Parser["Decoder"]>;
  readonly #check: ((packet: Packet) => DecodeOutcome) | undefined;
  /** The packet the last message completed: socket.io's parsers complete at most one per message. */
  #decoded: Packet | undefined;

  constructor(parser: Parser, check?: (packet: Packet) => DecodeOutcome) {
    this.#check = check;
    this.#decoder = new parser.Decoder();
    this.#decoder.on("decoded", (packet) => {
      this.#decoded = packet;
    });
  }

  /** Feeds one Engine.IO message; a packet the parser (or the check) throws on becomes an error outcome. */
  add(chunk: DecoderInput): DecodeOutcome {
    try {
      this.#decoder.add(chunk as string | BinaryData);
      const packet = this.#decoded;
      this.#decoded = undefined;
      if (!packet) return PENDING;
      return this.#check ? this.#check(packet) : { kind: "packet", packet };
    } catch (cause) {
      this.reset();
      const reason = cause instanceof Error ? cause.message : String(cause);
      return {
        kind: "error",
        error: new DecodeError("INVALID_PAYLOAD", `the parser refused it: ${reason}`, chunk),
      };
    }
  }

  /** Drops a partially decoded packet (the transport closed). */
  reset(): void {
    this.#decoded = undefined;
    this.#decoder.destroy();
  }
}

/**
 * Checks a custom parser's packets as the built-in decoder (with `options`) checks its own:
 * anything may come out of a parser (an event named by an object, a forged "connect"), so each
 * is read again in JSON text by the built-in decoder, binary parts as attachments by reference,
 * and gets the outcome the server's own text would. An accepted packet keeps its data as the
 * parser decoded it: its values (a date, a map) are not JSON's.
 */
export function checkAsText(options?: PacketDecoderOptions): (packet: Packet) => DecodeOutcome {
  const text = new PacketDecoder(options);
  return (packet) => {
    let outcome: DecodeOutcome = PENDING;
    text.reset();
    for (const part of encodePacket(packet)) outcome = text.add(part);
    return outcome.kind === "packet"
      ? { kind: "packet", packet: { ...outcome.packet, data: packet.data } }
      : outcome;
  };
}

/**
 * A connection's packet decoder: the `parser` option's when given, else the built-in one with
 * `options`.
 */
export function decoderFor(
  parser: Parser | undefined,
  options?: PacketDecoderOptions,
): Pick<PacketDecoder, "add" | "reset"> {
  return parser ? new ParserDecoder(parser, checkAsText(options)) : new PacketDecoder(options);
}

/** A connection's packet encoder: the `parser` option's when given, else the built-in one. */
export function encoderFor(
  parser: Parser | undefined,
): (packet: Packet) => Array<string | BinaryData> {
  const encoder = parser && new parser.Encoder();
  return encoder ? (packet) => encoder.encode(packet) : encodePacket;
}
