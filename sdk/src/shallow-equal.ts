/**
 * Whether two selections of the connection snapshot are equal: the same value, or plain
 * objects/arrays whose own fields are the same values (other objects only when identical). UI
 * bindings (`@wireline/react`, `@wireline/vue`, your own) compare selector results with it, so
 * a selector may return a fresh `{ status, attempt }` without re-rendering.
 *
 * @example
 * shallowEqual({ status: "connected", attempt: 0 }, { status: "connected", attempt: 0 }); // true
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const prototype = Object.getPrototypeOf(a);
  if (prototype !== Object.getPrototypeOf(b)) return false;
  // Other objects (a Date, an Error) hide their state from Object.keys: only identity counts.
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) {
    return false;
  }
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
