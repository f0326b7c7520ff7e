/**
 * Whether this code runs where there is no page to connect from (server-side rendering in Node,
 * Deno or Bun, a worker): the hooks then open nothing and arm no timer. A browser page has a
 * `window` with a `document`; React Native has a `window` without one, and says so in
 * `navigator.product`. Checked at call time, never at import.
 */
export function isServer(): boolean {
  const scope = globalThis as { window?: { document?: unknown }; navigator?: { product?: string } };
  if (scope.window === undefined) return true;
  return scope.window.document === undefined && scope.navigator?.product !== "ReactNative";
}
