import { isBinary } from "../protocol/binary.ts";
import { utf8Length } from "../protocol/utf8-length.ts";

/** The byte length of `value` if Socket.IO sends it as an attachment. */
function binaryLength(value: unknown): number | undefined {
  if (!isBinary(value)) return undefined;
  // A Blob has a size; buffers (shared ones too) and views have a byteLength.
  return (value as Blob).size ?? (value as ArrayBuffer).byteLength;
}

/** The short JSON a binary attachment leaves in the packet text. */
const PLACEHOLDER = { _placeholder: true, num: 0 };

/**
 * Estimated encoded size of a value in bytes: the UTF-8 length of its JSON, with each binary
 * attachment (ArrayBuffer, SharedArrayBuffer, typed array, Buffer, Blob, or what a `toJSON()`
 * returns of them) counted by its byte length. Never throws: a value JSON cannot encode (a
 * cycle, a BigInt) counts only its attachments.
 *
 * @example estimateBytes(["save", { title: "é" }]) // 26
 */
export function estimateBytes(value: unknown): number {
  let binary = 0;
  let json: string | undefined;
  try {
    json = JSON.stringify(value, function (this: unknown, key: string, converted: unknown) {
      // `this[key]` is the value before `toJSON` (Node's Buffer would otherwise be an array);
      // `converted` is what the encoder sends of an object whose toJSON() gives binary.
      const length =
        binaryLength((this as Record<string, unknown>)[key]) ?? binaryLength(converted);
      if (length === undefined) return converted;
      binary += length;
      return PLACEHOLDER;
    });
  } catch {
    // A cycle or a BigInt: only the attachments count.
  }
  // Undefined also for what JSON leaves out (`undefined`, a function).
  return utf8Length(json ?? "") + binary;
}
