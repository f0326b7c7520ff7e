import { utf8Length } from "../protocol/utf8-length.ts";

/** Whether `value` is binary data that Socket.IO sends as an attachment. */
function binaryLength(value: unknown): number | undefined {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  const BlobClass = (globalThis as { Blob?: typeof Blob }).Blob;
  if (BlobClass && value instanceof BlobClass) return value.size;
  return undefined;
}

/** The short JSON a binary attachment leaves in the packet text. */
const PLACEHOLDER = { _placeholder: true, num: 0 };

/**
 * Estimated encoded size of a value in bytes: the UTF-8 length of its JSON, with each binary
 * attachment (ArrayBuffer, typed array, Buffer, Blob) counted by its byte length. Never throws:
 * a value JSON cannot encode (a cycle, a BigInt) counts only its attachments.
 *
 * @example estimateBytes(["save", { title: "é" }]) // 26
 */
export function estimateBytes(value: unknown): number {
  let binary = 0;
  let json: string | undefined;
  try {
    json = JSON.stringify(value, function (this: unknown, key: string, converted: unknown) {
      // `this[key]` is the value before `toJSON` (Node's Buffer would otherwise be an array).
      const raw = (this as Record<string, unknown>)[key];
      const length = binaryLength(raw);
      if (length === undefined) return converted;
      binary += length;
      return PLACEHOLDER;
    });
  } catch {
    json = undefined;
  }
  return (json === undefined ? 0 : utf8Length(json)) + binary;
}
