import { isBinary, isPlaceholder } from "./binary.ts";
import { DecodeError, type DecodeErrorCode } from "./decode-error.ts";
import { type BinaryData, type Packet, PacketType } from "./packet.ts";
import { RESERVED_EVENT_NAMES } from "./reserved-event-names.ts";

/** Options for {@link PacketDecoder}. */
export interface PacketDecoderOptions {
  /** Most binary attachments one packet may announce. Default: 10 (as socket.io-parser). */
  maxAttachments?: number;
  /** Deepest nesting of arrays/objects a payload may have. Default: 32. */
  maxDepth?: number;
  /**
   * Refuse payloads nested deeper than `maxDepth` or with a key that could reach a prototype
   * (`__proto__`, a `constructor` holding a `prototype`). Default: true. A server mirroring
   * socket.io passes false: socket.io's parser hands such payloads on.
   */
  refuseUnsafePayloads?: boolean;
}

/** What feeding one Engine.IO message to the decoder produced. */
export type DecodeOutcome =
  | { kind: "packet"; packet: Packet }
  | { kind: "pending" }
  | { kind: "error"; error: DecodeError };

/** A chunk the decoder accepts: a text message, or one binary attachment. */
export type DecoderInput = string | ArrayBuffer | ArrayBufferView | Blob;

/** Longest namespace accepted; real namespaces are short paths. */
const MAX_NAMESPACE_LENGTH = 256;
/** Digits in the largest safe integer: a longer ack id cannot be exact. */
const MAX_ACK_ID_DIGITS = 16;
/** The outcome of a message that completed no packet. */
export const PENDING: DecodeOutcome = { kind: "pending" };

interface Reassembly {
  packet: Packet;
  expected: number;
  buffers: BinaryData[];
  /** The packet's content was refused: its attachments are read, then it is dropped. */
  refusal?: DecodeError;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Decodes Socket.IO v5 packets, one Engine.IO message at a time, reassembling binary
 * packets from their attachments. It never throws: malformed input yields a
 * {@link DecodeError} with a specific code, after which the decoder is ready for the next packet.
 *
 * @example
 * const decoder = new PacketDecoder();
 * const outcome = decoder.add('2["hello","world"]');
 * if (outcome.kind === "packet") handle(outcome.packet);
 */
export class PacketDecoder {
  readonly #maxAttachments: number;
  readonly #maxDepth: number;
  readonly #refuseUnsafe: boolean;
  #reassembly: Reassembly | undefined;

  constructor(options: PacketDecoderOptions = {}) {
    this.#maxAttachments = options.maxAttachments ?? 10;
    this.#maxDepth = options.maxDepth ?? 32;
    this.#refuseUnsafe = options.refuseUnsafePayloads !== false;
  }

  /** Feeds one Engine.IO message payload: a text packet, or a binary attachment. */
  add(chunk: DecoderInput): DecodeOutcome {
    try {
      if (typeof chunk === "string") return this.#addText(chunk);
      if (isBinary(chunk)) return this.#addBinary(chunk);
      return this.#fail("INVALID_PAYLOAD", "expected a string or binary data", String(chunk));
    } catch (cause) {
      // Nothing above should throw; this keeps the promise that `add` never does.
      return this.#fail("INVALID_PAYLOAD", `unexpected failure: ${String(cause)}`, "");
    }
  }

  /** Whether a binary packet is waiting for more attachments. */
  get isReassembling(): boolean {
    return this.#reassembly !== undefined;
  }

  /** Drops a partially reassembled binary packet (call when the transport closes). */
  reset(): void {
    this.#reassembly = undefined;
  }

  #fail(code: DecodeErrorCode, detail: string, input: DecoderInput): DecodeOutcome {
    this.#reassembly = undefined;
    return { kind: "error", error: new DecodeError(code, detail, input) };
  }

  #addBinary(chunk: BinaryData): DecodeOutcome {
    const reassembly = this.#reassembly;
    if (!reassembly) {
      return this.#fail(
        "UNEXPECTED_BINARY",
        "binary data arrived but no binary packet announced it",
        chunk,
      );
    }
    reassembly.buffers.push(chunk);
    if (reassembly.buffers.length < reassembly.expected) return PENDING;
    this.#reassembly = undefined;
    const { packet, buffers, refusal } = reassembly;
    if (refusal) return { kind: "error", error: refusal };
    const used = new Set<number>();
    const data = fillPlaceholders(packet.data, buffers, used);
    if (data === INVALID_PLACEHOLDER || used.size !== buffers.length) {
      return this.#fail(
        "INVALID_ATTACHMENTS",
        `placeholders do not match the ${buffers.length} attachment(s) announced`,
        "",
      );
    }
    packet.data = data;
    return { kind: "packet", packet };
  }

  #addText(input: string): DecodeOutcome {
    if (this.#reassembly) {
      const missing = this.#reassembly.expected - this.#reassembly.buffers.length;
      return this.#fail(
        "INVALID_ATTACHMENTS",
        `a text packet arrived while ${missing} binary attachment(s) were still expected`,
        input,
      );
    }
    // NaN (an empty input) fails the range test too.
    const typeCode = input.charCodeAt(0) - 48;
    if (!(typeCode >= 0 && typeCode <= 6)) {
      return this.#fail(
        "UNKNOWN_TYPE",
        `packet type must be a digit 0-6, got "${input.charAt(0)}"`,
        input,
      );
    }
    const type = typeCode as PacketType;
    let cursor = 1;

    let attachments: number | undefined;
    if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
      const dash = input.indexOf("-", cursor);
      const digits = input.slice(cursor, dash);
      if (dash === -1 || !/^\d{1,6}$/.test(digits)) {
        return this.#fail(
          "INVALID_ATTACHMENTS",
          "a binary packet must start with its attachment count and '-'",
          input,
        );
      }
      attachments = Number(digits);
      if (attachments < 1) {
        return this.#fail(
          "INVALID_ATTACHMENTS",
          "a binary packet must announce at least one attachment",
          input,
        );
      }
      if (attachments > this.#maxAttachments) {
        return this.#fail(
          "TOO_MANY_ATTACHMENTS",
          `${attachments} attachments announced, at most ${this.#maxAttachments} are accepted`,
          input,
        );
      }
      cursor = dash + 1;
    }

    let nsp = "/";
    if (input.charCodeAt(cursor) === 47 /* "/" */) {
      // Up to the comma, or to the end without one.
      let end = input.indexOf(",", cursor);
      if (end === -1) end = input.length;
      nsp = input.slice(cursor, end);
      if (nsp.length > MAX_NAMESPACE_LENGTH) {
        return this.#fail(
          "INVALID_NAMESPACE",
          `namespace longer than ${MAX_NAMESPACE_LENGTH} characters`,
          input,
        );
      }
      for (let index = 0; index < nsp.length; index++) {
        const code = nsp.charCodeAt(index);
        if (code < 0x20 || code === 0x7f) {
          return this.#fail("INVALID_NAMESPACE", "namespace contains a control character", input);
        }
      }
      // Past the comma; past the end when there is none, which leaves nothing more to read.
      cursor = end + 1;
    }

    let id: number | undefined;
    // Loops and includes() in this method, not regexes: it runs for every packet, and regexes
    // here made decoding 30% slower.
    const idStart = cursor;
    while (cursor < input.length && isDigit(input.charCodeAt(cursor))) cursor++;
    if (cursor > idStart) {
      if (cursor - idStart > MAX_ACK_ID_DIGITS) {
        return this.#fail(
          "INVALID_ACK_ID",
          `ack id has more than ${MAX_ACK_ID_DIGITS} digits`,
          input,
        );
      }
      id = Number(input.slice(idStart, cursor));
      if (!Number.isSafeInteger(id)) {
        return this.#fail("INVALID_ACK_ID", "ack id is not a safe integer", input);
      }
    }
    if (id === undefined && (type === PacketType.ACK || type === PacketType.BINARY_ACK)) {
      return this.#fail("INVALID_ACK_ID", "an ACK packet must carry an ack id", input);
    }

    let data: unknown;
    let refusal: DecodeError | undefined;
    if (cursor < input.length) {
      const json = input.slice(cursor);
      try {
        data = JSON.parse(json);
      } catch {
        if (/^[^[{"]*,/.test(json)) {
          return this.#fail("INVALID_NAMESPACE", 'a namespace must start with "/"', input);
        }
        return this.#fail("INVALID_JSON", "the payload is not valid JSON", input);
      }
      // Walking the payload costs about as much as parsing it. Skip the walk when the text is too
      // short to nest past maxDepth and cannot spell a forbidden key (not even with escapes).
      const mayBeUnsafe =
        this.#refuseUnsafe &&
        (json.length > 2 * this.#maxDepth + 1 ||
          json.includes("\\") ||
          json.includes("__proto__") ||
          json.includes("prototype"));
      if (mayBeUnsafe) refusal = checkShape(data, this.#maxDepth, input);
      if (refusal) {
        // Only an event or ack can be dropped alone (below); anything else closes the connection.
        if (type < PacketType.EVENT || type === PacketType.CONNECT_ERROR)
          return { kind: "error", error: refusal };
      }
    }

    const payloadProblem = checkPayload(type, data);
    if (payloadProblem) return this.#fail("INVALID_PAYLOAD", payloadProblem, input);

    const packet: Packet = { type, nsp };
    if (data !== undefined && !refusal) packet.data = data;
    if (id !== undefined) packet.id = id;
    // A refused event or ack is well framed: it is dropped alone, and the connection can go on.
    if (refusal) refusal.packet = packet;
    if (attachments !== undefined) {
      // Like socket.io-parser, a reassembled packet is handed on as a plain EVENT or ACK. A
      // refused one's attachments are still read, so that none is taken for another packet.
      packet.type = type === PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
      this.#reassembly = { packet, expected: attachments, buffers: [], refusal };
      return PENDING;
    }
    return refusal ? { kind: "error", error: refusal } : { kind: "packet", packet };
  }
}

/**
 * Walks a parsed payload once: bounded depth, no prototype-reaching keys. Returns the refusal
 * (of `input`, the packet's text) or undefined.
 */
function checkShape(value: unknown, maxDepth: number, input: string): DecodeError | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) {
      return new DecodeError("TOO_DEEP", `the payload nests deeper than ${maxDepth} levels`, input);
    }
    if (Array.isArray(node)) {
      for (const item of node) {
        if (typeof item === "object" && item !== null) stack.push([item, depth + 1]);
      }
    } else {
      for (const key of Object.keys(node as object)) {
        const child = (node as Record<string, unknown>)[key];
        // What could reach an object's prototype if the payload were merged somewhere:
        // `__proto__`, and a `constructor` holding a `prototype` (the deep-merge gadget). Such
        // fields of ordinary data (`{ prototype: true }`, `{ constructor: "Ford" }`) pass.
        if (
          key === "__proto__" ||
          (key === "constructor" &&
            (child as { prototype?: unknown } | null)?.prototype !== undefined)
        ) {
          return new DecodeError(
            "FORBIDDEN_KEY",
            `the payload has a "${key}" key that could reach a prototype, which is refused`,
            input,
          );
        }
        if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

/** Checks the payload against what each packet type allows; returns a problem or undefined. */
function checkPayload(type: PacketType, data: unknown): string | undefined {
  switch (type) {
    case PacketType.CONNECT:
      return data === undefined || isPlainObject(data)
        ? undefined
        : "CONNECT data must be an object";
    case PacketType.DISCONNECT:
      return data === undefined ? undefined : "DISCONNECT must not carry a payload";
    case PacketType.CONNECT_ERROR:
      return typeof data === "string" || isPlainObject(data)
        ? undefined
        : "CONNECT_ERROR data must be an object with a message, or a string";
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT: {
      if (!Array.isArray(data) || data.length === 0)
        return "an EVENT payload must be a non-empty array";
      const [name] = data;
      if (typeof name === "number") return undefined;
      if (typeof name !== "string") return "an EVENT's first element (its name) must be a string";
      return RESERVED_EVENT_NAMES.has(name) ? `"${name}" is a reserved event name` : undefined;
    }
    default:
      return Array.isArray(data) ? undefined : "an ACK payload must be an array";
  }
}

const INVALID_PLACEHOLDER = Symbol("invalid placeholder");

/** Puts each attachment where its placeholder stands; marks which ones were used. */
function fillPlaceholders(value: unknown, buffers: BinaryData[], used: Set<number>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isPlaceholder(value)) {
    // Number.isInteger is false for anything but a number.
    const num = value.num as number;
    if (!Number.isInteger(num) || num < 0 || num >= buffers.length) {
      return INVALID_PLACEHOLDER;
    }
    used.add(num);
    return buffers[num];
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const filled = fillPlaceholders(value[index], buffers, used);
      if (filled === INVALID_PLACEHOLDER) return INVALID_PLACEHOLDER;
      value[index] = filled;
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const filled = fillPlaceholders(record[key], buffers, used);
    if (filled === INVALID_PLACEHOLDER) return INVALID_PLACEHOLDER;
    record[key] = filled;
  }
  return value;
}
