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

/** Longer strings are cut: a log of big payloads must not hold megabytes per entry. */
const MAX_STRING = 10_000;
/** Most objects and arrays copied from one payload (shared references count each time). */
const MAX_NODES = 10_000;

/**
 * A plain-JSON copy of `value` for the log: binary values become {@link BinarySummary}
 * objects, and what JSON cannot hold goes the way `JSON.stringify` sends it (functions and
 * `undefined` dropped from objects, `null` in arrays; `toJSON()` honoured), BigInts become
 * strings. The copy shares nothing with the app's objects, so the log neither changes with
 * them nor keeps them alive. It stays small whatever comes: strings are cut after 10,000
 * characters, a reference back to an enclosing object becomes "[circular]", and past 10,000
 * objects (or 64 levels) the rest is "[truncated]" (or "[nested too deep]").
 */
export function toLoggableValue(value: unknown): unknown {
  return copy(value, 0, new Set(), { nodes: 0 });
}

function copy(
  value: unknown,
  depth: number,
  path: Set<object>,
  budget: { nodes: number },
): unknown {
  switch (typeof value) {
    case "string":
      return value.length > MAX_STRING
        ? `${value.slice(0, MAX_STRING)}…[${value.length - MAX_STRING} more characters]`
        : value;
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
  if (path.has(object)) return "[circular]";
  if (++budget.nodes > MAX_NODES) return "[truncated]";
  path.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item) => copy(item, depth + 1, path, budget) ?? null);
    }
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return copy(toJSON.call(object), depth + 1, path, budget);
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const item = copy((object as Record<string, unknown>)[key], depth + 1, path, budget);
      if (item !== undefined) result[key] = item;
    }
    return result;
  } finally {
    path.delete(object);
  }
}
