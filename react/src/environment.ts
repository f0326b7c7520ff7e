/**
 * Whether this code runs where there is no page (server-side rendering, a worker without a
 * document): the hooks then open nothing and arm no timer. Checked at call time, never at import.
 */
export function isServer(): boolean {
  const scope = globalThis as { window?: { document?: unknown } };
  return scope.window === undefined || scope.window.document === undefined;
}
