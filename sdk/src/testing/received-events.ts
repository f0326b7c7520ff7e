import { isBinary } from "../protocol/binary.ts";

/** One event a mocked client emitted, as the server received it. */
export interface ReceivedEvent {
  /** The namespace it arrived on, e.g. "/" or "/chat". */
  nsp: string;
  /** The server-side id of the socket that sent it. */
  socketId: string;
  event: string;
  /** Its arguments, without the acknowledgement callback. */
  args: unknown[];
}

function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return value instanceof ArrayBuffer
    ? new Uint8Array(value)
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Structural equality for received payloads: plain data compares by value, binary data by its
 * bytes (an ArrayBuffer equals a typed array with the same bytes, as they travel identically).
 */
export function payloadEquals(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (typeof actual !== "object" || typeof expected !== "object") return false;
  if (actual === null || expected === null) return false;
  if (isBinary(actual) || isBinary(expected)) {
    if (actual instanceof Blob || expected instanceof Blob) return false;
    if (!isBinary(actual) || !isBinary(expected)) return false;
    const a = bytesOf(actual as ArrayBuffer | ArrayBufferView);
    const b = bytesOf(expected as ArrayBuffer | ArrayBufferView);
    return a.length === b.length && a.every((byte, index) => byte === b[index]);
  }
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  const actualKeys = Object.keys(actual);
  const expectedKeys = Object.keys(expected);
  if (actualKeys.length !== expectedKeys.length) return false;
  return expectedKeys.every(
    (key) =>
      Object.hasOwn(actual, key) &&
      payloadEquals(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
      ),
  );
}

/** A readable rendering of a payload value: JSON, with binary shown by its size. */
export function describePayload(value: unknown): string {
  if (isBinary(value)) {
    const size = value instanceof Blob ? value.size : (value as ArrayBuffer).byteLength;
    return `<binary ${size} bytes>`;
  }
  try {
    return JSON.stringify(value, (_key, inner: unknown) =>
      isBinary(inner) ? describePayload(inner) : inner,
    );
  } catch {
    return String(value);
  }
}

/** One line per event, for assertion messages. */
export function describeEvents(events: readonly ReceivedEvent[]): string {
  if (events.length === 0) return "  (nothing)";
  return events
    .map((entry) => `  ${entry.nsp} ${entry.event} ${entry.args.map(describePayload).join(", ")}`)
    .join("\n");
}
