/** Whether `value` is binary data that Socket.IO sends as an attachment. */
function binaryLength(value: unknown): number | undefined {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  const BlobClass = (globalThis as { Blob?: typeof Blob }).Blob;
  if (BlobClass && value instanceof BlobClass) return value.size;
  return undefined;
}

/** UTF-8 length of a string, counted without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      // A surrogate pair is one 4-byte character; a lone surrogate encodes as 3 bytes (U+FFFD).
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
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
