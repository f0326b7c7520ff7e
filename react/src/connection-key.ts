// Turns a URL and connection options into one string, so that equal options written as new
// objects on every render still name the same shared connection.

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identityOf(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return `#${id}`;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null || Array.isArray(value);
}

/**
 * Plain objects and arrays count by value; functions and class instances (a `WebSocket`
 * constructor, an `Outbox`, a lifecycle, an `auth` callback) by identity.
 */
function describe(value: unknown): string {
  if (typeof value === "function") return identityOf(value);
  if (typeof value !== "object" || value === null) {
    return value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
  }
  if (!isPlain(value)) return identityOf(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(",")}]`;
  const fields = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${describe((value as Record<string, unknown>)[key])}`);
  return `{${fields.join(",")}}`;
}

/** The identity of a shared connection: its URL and its options. */
export function connectionKey(url: string, options: object): string {
  return `${url} ${describe(options)}`;
}
