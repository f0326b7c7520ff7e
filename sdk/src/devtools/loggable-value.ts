/** How a binary value appears in a logged payload: its kind and size, never its bytes. */
export interface BinarySummary {
  $binary: string;
  bytes: number;
}

/** Deeper than this, a logged payload is cut off (the decoder already refuses deeper packets). */
const MAX_DEPTH = 64;

function binarySummary(value: object): BinarySummary | undefined {
  if (value instanceof ArrayBuffer) return { $binary: "ArrayBuffer", bytes: value.byteLength };
  if (ArrayBuffer.isView(value)) {
    return { $binary: value.constructor?.name || "ArrayBufferView", bytes: value.byteLength };
  }
  const BlobClass = (globalThis as { Blob?: typeof Blob }).Blob;
  if (BlobClass && value instanceof BlobClass) return { $binary: "Blob", bytes: value.size };
  return undefined;
}

/**
 * A plain-JSON copy of `value` for the log: binary values become {@link BinarySummary}
 * objects, and what JSON cannot hold goes the way `JSON.stringify` sends it (functions and
 * `undefined` dropped from objects, `null` in arrays; `toJSON()` honoured), BigInts become
 * strings. The copy shares nothing with the app's objects, so the log neither changes with
 * them nor keeps them alive.
 */
export function toLoggableValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  const object = value as object;
  const binary = binarySummary(object);
  if (binary) return binary;
  if (Array.isArray(object)) {
    return object.map((item) => toLoggableValue(item, depth + 1) ?? null);
  }
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return toLoggableValue(toJSON.call(object), depth + 1);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const item = toLoggableValue((object as Record<string, unknown>)[key], depth + 1);
    if (item !== undefined) copy[key] = item;
  }
  return copy;
}
