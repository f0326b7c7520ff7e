// Straight from the modules, not the protocol barrel, which would bring the Engine.IO codec.
import { PacketDecoder } from "../protocol/decoder.ts";
import type { EnginePacket } from "../protocol/engine.ts";
import { type BinaryData, type Packet, PacketType } from "../protocol/packet.ts";
import { type Parser, ParserDecoder } from "../protocol/parser.ts";
import { utf8Length } from "../protocol/utf8-length.ts";
import type { PacketEntry, SocketPacketTypeName } from "./event-log-entry.ts";
import { cut, loggableText, toLoggableValue } from "./loggable-value.ts";

/** What `redact` is told about the payload it is given. */
export interface RedactContext {
  /** "in" from the server, "out" to it. */
  direction: "in" | "out";
  /** The Engine.IO packet type. */
  engineType: EnginePacket["type"];
  /** The Socket.IO packet type, for messages. */
  socketType?: SocketPacketTypeName;
  /** The namespace, for messages. */
  nsp?: string;
  /** The event name, for events, as the log keeps it (see `PacketEntry.event`). */
  event?: string;
}

/**
 * Returns what the log keeps of a payload: e.g. the payload with secrets replaced. Called with
 * the decoded payload (an event's arguments without its name, an ACK's reply, a CONNECT's auth
 * object…) before anything is stored.
 *
 * @example
 * const redact: Redact = (payload, { socketType }) => (socketType === "CONNECT" ? "[auth]" : payload);
 */
export type Redact = (payload: unknown, context: RedactContext) => unknown;

/** A packet entry's own fields (the log adds seq and times). */
export type PacketFields = Omit<PacketEntry, "seq" | "monotonic" | "wallClock">;

const SOCKET_TYPE_NAMES: Record<number, SocketPacketTypeName> = {
  [PacketType.CONNECT]: "CONNECT",
  [PacketType.DISCONNECT]: "DISCONNECT",
  [PacketType.EVENT]: "EVENT",
  [PacketType.ACK]: "ACK",
  [PacketType.CONNECT_ERROR]: "CONNECT_ERROR",
  [PacketType.BINARY_EVENT]: "BINARY_EVENT",
  [PacketType.BINARY_ACK]: "BINARY_ACK",
};

/** Longest raw text kept for a message that is not a valid Socket.IO packet. */
const MAX_RAW_TEXT = 1000;

function byteSize(data: string | BinaryData | undefined): number {
  if (data === undefined) return 0;
  if (typeof data === "string") return utf8Length(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return data.size;
}

/**
 * Reads the Engine.IO packets of one direction of one session into log fields, decoding
 * messages as Socket.IO packets with a decoder of its own (so apps without a log decode
 * nothing twice). A binary packet yields one entry when its last attachment has arrived.
 */
export class PacketReader {
  readonly #direction: "in" | "out";
  readonly #redact: Redact | undefined;
  readonly #decoder: Pick<PacketDecoder, "add">;
  /** Bytes of the binary packet being reassembled so far. */
  #pendingBytes = 0;
  /** Type digit of the binary packet being reassembled ("5" or "6"): the decoder reports it as EVENT or ACK. */
  #pendingType: string | undefined;
  /** Attachments of that packet received so far. */
  #pendingAttachments = 0;

  /** `parser`: the connection's `parser` option, when it has one: its packets are read with it. */
  constructor(direction: "in" | "out", redact: Redact | undefined, parser?: Parser) {
    this.#direction = direction;
    this.#redact = redact;
    // Unchecked: the log shows what came, the connection's decoder decides what it accepts.
    this.#decoder = parser ? new ParserDecoder(parser) : new PacketDecoder();
  }

  /** The fields of the entry for `packet`, or undefined while a binary packet is incomplete. */
  read(packet: EnginePacket): PacketFields | undefined {
    // Text frames carry the Engine.IO type as one leading character; binary frames carry none.
    const bytes = byteSize(packet.data) + (typeof packet.data === "string" || !packet.data ? 1 : 0);
    if (packet.type !== "message" || packet.data === undefined) {
      const fields: PacketFields = {
        kind: "packet",
        direction: this.#direction,
        engineType: packet.type,
        bytes,
      };
      if (packet.data === undefined) return fields;
      const context: RedactContext = { direction: this.#direction, engineType: packet.type };
      const payload = this.#loggable(packet.data, context);
      // A redact that returns nothing leaves no payload key, so the JSON round-trips.
      return payload === undefined ? fields : { ...fields, payload };
    }
    const outcome = this.#decoder.add(packet.data);
    if (typeof packet.data !== "string") this.#pendingAttachments++;
    if (outcome.kind === "pending") {
      if (typeof packet.data === "string") this.#pendingType = packet.data[0];
      this.#pendingBytes += bytes;
      return undefined;
    }
    const total = bytes + this.#pendingBytes;
    const binaryType = this.#pendingType;
    const attachments = this.#pendingAttachments;
    this.#pendingBytes = 0;
    this.#pendingType = undefined;
    this.#pendingAttachments = 0;
    if (outcome.kind === "error") {
      const fields: PacketFields = {
        kind: "packet",
        direction: this.#direction,
        engineType: "message",
        bytes: total,
        decodeError: loggableText(outcome.error.message),
      };
      // With a redact, no raw text: its rules key on the event and namespace, which a frame
      // that could not be decoded does not give, so they could not hide what it carries.
      if (this.#redact) return fields;
      // Cut as a copy: a slice would keep the whole frame alive with the log.
      const raw = typeof packet.data === "string" ? cut(packet.data, MAX_RAW_TEXT) : packet.data;
      return { ...fields, payload: toLoggableValue(raw) };
    }
    if (binaryType === undefined) return this.#socketFields(outcome.packet, total);
    const socketType = binaryType === "6" ? "BINARY_ACK" : "BINARY_EVENT";
    return { ...this.#socketFields(outcome.packet, total, socketType), attachments };
  }

  #socketFields(
    packet: Packet,
    bytes: number,
    socketType: SocketPacketTypeName = SOCKET_TYPE_NAMES[packet.type] ?? "EVENT",
  ): PacketFields {
    let payload = packet.data;
    let event: string | undefined;
    if (socketType === "EVENT" || socketType === "BINARY_EVENT") {
      // The decoders give a non-empty list led by a string or a number: the log keeps a string.
      const [name, ...args] = payload as unknown[];
      event = loggableText(name);
      payload = args;
    }
    const context: RedactContext = {
      direction: this.#direction,
      engineType: "message",
      socketType,
      nsp: packet.nsp,
    };
    // Assigned field by field rather than spread: this runs for every packet while recording.
    const fields: { -readonly [K in keyof PacketFields]: PacketFields[K] } = {
      kind: "packet",
      direction: this.#direction,
      engineType: "message",
      bytes,
      socketType,
      nsp: packet.nsp,
    };
    if (event !== undefined) {
      context.event = event;
      fields.event = event;
    }
    if (packet.id !== undefined) fields.ackId = packet.id;
    if (payload !== undefined) {
      const logged = this.#loggable(payload, context);
      if (logged !== undefined) fields.payload = logged;
    }
    return fields;
  }

  #loggable(payload: unknown, context: RedactContext): unknown {
    return redactedValue(this.#redact, payload, context);
  }
}

/** What the log keeps of `payload`: passed through `redact` if any, as a plain-JSON copy. */
export function redactedValue(
  redact: Redact | undefined,
  payload: unknown,
  context: RedactContext,
): unknown {
  if (!redact) return toLoggableValue(payload);
  try {
    return toLoggableValue(redact(payload, context));
  } catch (error) {
    // A faulty redact must not leak the payload it failed on (an error's message may quote
    // it), nor break the connection.
    return `[redact threw ${error instanceof Error ? error.name : typeof error}]`;
  }
}
