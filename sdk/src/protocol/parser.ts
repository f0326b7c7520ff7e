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
  /** Outcomes of the packets the last message completed that {@link next} has not given yet. */
  #decoded: DecodeOutcome[] = [];

  constructor(parser: Parser, check?: (packet: Packet) => DecodeOutcome) {
    this.#decoder = new parser.Decoder();
    // Checked as they come, inside add()'s try: the check reads a packet as JSON text, and
    // values that have none (a BigInt) throw.
    this.#decoder.on("decoded", (packet) =>
      this.#decoded.push(check ? check(packet) : { kind: "packet", packet }),
    );
  }

  /**
   * Feeds one Engine.IO message and gives the outcome of the first packet it completed (see
   * {@link next}); a message the parser (or the check) throws on becomes an error outcome.
   */
  add(chunk: DecoderInput): DecodeOutcome {
    // What the last message left untaken is not this one's.
    this.#decoded = [];
    try {
      this.#decoder.add(chunk as string | BinaryData);
    } catch (cause) {
      this.reset();
      const reason = cause instanceof Error ? cause.message : String(cause);
      return {
        kind: "error",
        error: new DecodeError("INVALID_PAYLOAD", `the parser refused it: ${reason}`, chunk),
      };
    }
    return this.next();
  }

  /**
   * The outcome of the next packet the last message completed, or pending once there is none:
   * socket.io's parsers complete at most one per message, but a parser may complete several.
   */
  next(): DecodeOutcome {
    return this.#decoded.shift() ?? PENDING;
  }

  /** Drops a partially decoded packet (the transport closed). */
  reset(): void {
    this.#decoded = [];
    try {
      this.#decoder.destroy();
    } catch {
      // Nothing is lost: the transport closed, or the message was refused. What the parser's
      // destroy() throws must not keep the connection from closing.
    }
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
 * What a connection decodes its messages with. After an `add`, `next` (a custom parser's
 * decoder has it) gives the further packets that message completed, one at a time.
 */
export type ConnectionDecoder = Pick<PacketDecoder, "add" | "reset"> &
  Partial<Pick<ParserDecoder, "next">>;

/**
 * A connection's packet decoder: the `parser` option's when given, else the built-in one with
 * `options`.
 */
export function decoderFor(
  parser: Parser | undefined,
  options?: PacketDecoderOptions,
): ConnectionDecoder {
  return parser ? new ParserDecoder(parser, checkAsText(options)) : new PacketDecoder(options);
}

/** A connection's packet encoder: the `parser` option's when given, else the built-in one. */
export function encoderFor(
  parser: Parser | undefined,
): (packet: Packet) => Array<string | BinaryData> {
  const encoder = parser && new parser.Encoder();
  return encoder ? (packet) => encoder.encode(packet) : encodePacket;
}
