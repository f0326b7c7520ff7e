// Two calls share a connection when their URL and options are equal. Options may hold values
// JSON cannot compare (an auth callback, a WebSocket class, a lifecycle object, transport
// factories): those compare by identity.

let nextIdentity = 0;
const identities = new WeakMap<object, number>();

function identityOf(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(value, id);
  }
  return `#${id}`;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function stableValue(value: unknown): unknown {
  if (typeof value === "function") return identityOf(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(stableValue);
  if (!isPlainObject(value)) return identityOf(value);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) sorted[key] = stableValue(entry);
  }
  return sorted;
}

/**
 * The key under which a connection to `url` with `options` is shared: equal for equal URLs
 * and deeply equal options, whatever the key order; functions and class instances in the
 * options compare by identity.
 *
 * @example connectionKey("https://x", { b: 1, a: 2 }) === connectionKey("https://x", { a: 2, b: 1 })
 */
export function connectionKey(url: string | undefined, options: object): string {
  return JSON.stringify([url ?? "", stableValue(options)]);
}
