/**
 * `value` with binary as its bytes and a function (an ack callback) as "<ack>", recursively: two
 * payloads compare equal with `toEqual` or as JSON whatever their classes (Buffer, ArrayBuffer,
 * a view).
 */
export function comparable(value: unknown): unknown {
  if (typeof value === "function") return "<ack>";
  if (value instanceof ArrayBuffer) return { bytes: [...new Uint8Array(value)] };
  if (ArrayBuffer.isView(value))
    return { bytes: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, comparable(item)]));
  }
  return value;
}
