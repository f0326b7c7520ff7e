import type { BinaryData } from "./packet.ts";

/** A placeholder standing in the JSON header for the attachment at index `num`. */
export interface AttachmentPlaceholder {
  _placeholder: true;
  num: number;
}

/** Beyond this depth a payload is treated as circular rather than recursed into. */
const MAX_ENCODE_DEPTH = 1000;

/** Whether `value` is binary data the protocol sends as an attachment. */
export function isBinary(value: unknown): value is BinaryData {
  if (typeof value !== "object" || value === null) return false;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  // Blob is absent in some runtimes (older Node, workers without it): look it up at call time.
  const BlobConstructor = (globalThis as { Blob?: typeof Blob }).Blob;
  return (BlobConstructor !== undefined && value instanceof BlobConstructor) || isShared(value);
}

/** Whether `buffer` is a SharedArrayBuffer (absent without cross-origin isolation). */
function isShared(buffer: unknown): boolean {
  return typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
}

/**
 * The attachment as it can go out. A detached buffer (transferred to a worker, or by
 * `structuredClone`) has lost its bytes: refused before any frame is written. Node 20 lacks
 * `ArrayBuffer.prototype.detached`, but viewing a detached buffer throws; only an empty one
 * needs the test. Shared memory is copied: WebSocket.send refuses it.
 */
function sendable(data: BinaryData): BinaryData {
  const view = ArrayBuffer.isView(data);
  // A Blob has no byteLength: it is neither detached nor shared.
  const buffer = (view ? data.buffer : data) as ArrayBuffer;
  if (buffer.byteLength === 0) {
    try {
      new Uint8Array(buffer);
    } catch {
      throw new TypeError(
        "Wireline: a binary argument is a detached ArrayBuffer (transferred); send a copy.",
      );
    }
  }
  if (!isShared(buffer)) return data;
  return (
    view ? new Uint8Array(buffer, data.byteOffset, data.byteLength) : new Uint8Array(buffer)
  ).slice();
}

function circularPayloadError(): TypeError {
  return new TypeError(
    `Wireline: cannot encode a payload nested deeper than ${MAX_ENCODE_DEPTH} levels; it is probably circular. Send plain, acyclic data.`,
  );
}

/**
 * Whether `value` holds binary data anywhere inside it (arrays, plain objects, and what an
 * object's `toJSON()` returns, as JSON.stringify would see it). Throws a TypeError for
 * circular payloads.
 */
export function hasBinary(value: unknown, depth = 0, fromToJson = false): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (depth > MAX_ENCODE_DEPTH) throw circularPayloadError();
  if (Array.isArray(value)) {
    for (const item of value) if (hasBinary(item, depth + 1)) return true;
    return false;
  }
  if (isBinary(value)) return true;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function" && !fromToJson) {
    return hasBinary(toJSON.call(value), depth + 1, true);
  }
  for (const key in value) {
    if (
      Object.hasOwn(value, key) &&
      hasBinary((value as Record<string, unknown>)[key], depth + 1)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Replaces every binary value in `data` by a numbered placeholder, appending the binary
 * values to `attachments` in placeholder order. Returns the JSON-safe copy. Follows `toJSON()`
 * as {@link hasBinary} does, so that what it returns is sent rather than the object's own keys.
 */
export function extractAttachments(
  data: unknown,
  attachments: BinaryData[],
  depth = 0,
  fromToJson = false,
): unknown {
  if (typeof data !== "object" || data === null) return data;
  if (depth > MAX_ENCODE_DEPTH) throw circularPayloadError();
  if (isBinary(data)) {
    const placeholder: AttachmentPlaceholder = { _placeholder: true, num: attachments.length };
    attachments.push(sendable(data));
    return placeholder;
  }
  if (Array.isArray(data))
    return data.map((item) => extractAttachments(item, attachments, depth + 1));
  const toJSON = (data as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function" && !fromToJson) {
    return extractAttachments(toJSON.call(data), attachments, depth + 1, true);
  }
  const copy: Record<string, unknown> = {};
  for (const key in data) {
    if (Object.hasOwn(data, key)) {
      copy[key] = extractAttachments(
        (data as Record<string, unknown>)[key],
        attachments,
        depth + 1,
      );
    }
  }
  return copy;
}

/** Whether `value` is a well-formed placeholder object (not yet checked against a count). */
export function isPlaceholder(value: unknown): value is { _placeholder: true; num: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { _placeholder?: unknown })._placeholder === true
  );
}
