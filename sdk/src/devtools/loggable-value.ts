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
/** Most characters copied from one payload, its strings and keys together. */
const MAX_CHARS = 100_000;
/** Most array items and object keys copied from one payload (shared references count each time). */
const MAX_ITEMS = 10_000;

/**
 * `text` cut after `limit` characters, saying how many more there were. What is kept is
 * copied: engines keep a whole string alive for a slice taken from it.
 */
export function cut(text: string, limit = MAX_STRING): string {
  return text.length > limit
    ? `${[...text.slice(0, limit)].join("")}…[${text.length - limit} more characters]`
    : text;
}

/**
 * A name or message as the log keeps it, always a string: text cut after 10,000 characters,
 * a number as its text (socket.io takes 7 as an event name: "7"), anything else (an app or a
 * custom parser may pass anything) "[not a string]".
 */
export function loggableText(value: unknown): string {
  if (typeof value === "number") return `${value}`;
  return typeof value === "string" ? cut(value) : "[not a string]";
}

/**
 * A plain-JSON copy of `value` for the log: binary values become {@link BinarySummary}
 * objects, and what JSON cannot hold goes the way `JSON.stringify` sends it (functions and
 * `undefined` dropped from objects, `null` in arrays; `toJSON()` honoured), BigInts become
 * strings. The copy shares nothing with the app's objects, so the log neither changes with
 * them nor keeps them alive. It stays small whatever comes: a string is cut after 10,000
 * characters, and strings and keys together after 100,000 ("…[N more characters]"); arrays
 * and objects after 10,000 items and keys in all (a last item, or a last key "…" — "……" if
 * the object has a "…" — says "…[N more]"); a reference back to an enclosing object becomes "[circular]", and past 64
 * levels the rest is "[nested too deep]".
 */
export function toLoggableValue(value: unknown): unknown {
  return copy(value, 0, new Set(), { items: MAX_ITEMS, chars: MAX_CHARS });
}

/** What is left to copy of one payload. */
interface Budget {
  items: number;
  chars: number;
}

function copy(value: unknown, depth: number, path: Set<object>, budget: Budget): unknown {
  switch (typeof value) {
    case "string": {
      const limit = Math.min(MAX_STRING, budget.chars);
      budget.chars -= Math.min(value.length, limit);
      return cut(value, limit);
    }
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
  const object = value as Record<string, unknown>;
  const binary = binarySummary(object);
  if (binary) return binary;
  if (path.has(object)) return "[circular]";
  path.add(object);
  try {
    const array = Array.isArray(object);
    const toJSON = object.toJSON;
    if (!array && typeof toJSON === "function") {
      return copy(toJSON.call(object), depth + 1, path, budget);
    }
    // Items are read by index, never all at once: an array may hold millions.
    const keys: ArrayLike<unknown> = array ? object : Object.keys(object);
    const result = (array ? [] : {}) as Record<string, unknown>;
    for (let index = 0; index < keys.length; index++) {
      let key = array ? index : (keys[index] as string);
      const size = array ? 0 : (key as string).length;
      // A key is kept whole or not at all: cut keys could collide.
      if (--budget.items < 0 || size > budget.chars) {
        // The marker key is one the copy does not have yet: a real "…" key stays.
        if (!array) for (key = "…"; key in result; ) key += "…";
        result[key] = `…[${keys.length - index} more]`;
        break;
      }
      budget.chars -= size;
      const item = copy(object[key], depth + 1, path, budget);
      if (array || item !== undefined) {
        // Assigned, an own "__proto__" key (JSON.parse makes one) would set the copy's prototype.
        if (key === "__proto__") {
          Object.defineProperty(result, key, { value: item, enumerable: true, writable: true });
        } else result[key] = item ?? null;
      }
    }
    return result;
  } finally {
    path.delete(object);
  }
}
