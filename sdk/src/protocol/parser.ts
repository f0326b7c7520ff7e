import { DecodeError } from "./decode-error.ts";
import {
  type DecodeOutcome,
  type DecoderInput,
  PacketDecoder,
  type PacketDecoderOptions,
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
 * and never throws; `reset`), so the connection treats both alike: each packet the parser gives
 * passes the built-in decoder's checks (`options` as {@link PacketDecoder}'s), and is refused
 * as it would be.
 */
export class ParserDecoder {
  readonly #decoder: InstanceType<Parser["Decoder"]>;
  /** Reads each packet again as the built-in decoder would read it in text, to check it. */
  readonly #checker: PacketDecoder;
  /** The packet the last message completed: socket.io's parsers complete at most one per message. */
  #decoded: Packet | undefined;

  constructor(parser: Parser, options?: PacketDecoderOptions) {
    this.#checker = new PacketDecoder(options);
    this.#decoder = new parser.Decoder();
    this.#decoder.on("decoded", (packet) => {
      this.#decoded = packet;
    });
  }

  /** Feeds one Engine.IO message; a packet the parser throws on becomes an error outcome. */
  add(chunk: DecoderInput): DecodeOutcome {
    let outcome: DecodeOutcome = { kind: "pending" };
    try {
      this.#decoder.add(chunk as string | BinaryData);
      const packet = this.#decoded;
      this.#decoded = undefined;
      // Anything may come out of a parser (an event named by an object, a forged "connect"):
      // in text, the built-in decoder gives it the outcome it would give the server's own.
      // Binary parts go as attachments, by reference.
      if (packet) for (const part of encodePacket(packet)) outcome = this.#checker.add(part);
      // Its data handed on as the parser decoded it: its values (a date, a map) are not JSON's.
      if (outcome.kind === "packet" && packet)
        outcome = { kind: "packet", packet: { ...outcome.packet, data: packet.data } };
    } catch (cause) {
      this.reset();
      const reason = cause instanceof Error ? cause.message : String(cause);
      return {
        kind: "error",
        error: new DecodeError("INVALID_PAYLOAD", `the parser refused it: ${reason}`, chunk),
      };
    }
    return outcome;
  }

  /** Drops a partially decoded packet (the transport closed). */
  reset(): void {
    this.#decoded = undefined;
    this.#checker.reset();
    this.#decoder.destroy();
  }
}

/**
 * A connection's packet decoder: the `parser` option's when given, else the built-in one with
 * `options`.
 */
export function decoderFor(
  parser: Parser | undefined,
  options?: PacketDecoderOptions,
): Pick<PacketDecoder, "add" | "reset"> {
  return parser ? new ParserDecoder(parser, options) : new PacketDecoder(options);
}

/** A connection's packet encoder: the `parser` option's when given, else the built-in one. */
export function encoderFor(
  parser: Parser | undefined,
): (packet: Packet) => Array<string | BinaryData> {
  const encoder = parser && new parser.Encoder();
  return encoder ? (packet) => encoder.encode(packet) : encodePacket;
}
