import { reportUncaught } from "../call-listener.ts";

/**
 * Declares dynamic namespaces, as socket.io's `server.of(matcher)`: a RegExp tested against the
 * name a client asks for, or a function that calls `next(null, true)` to let it be created.
 */
export type NamespaceMatcher =
  | RegExp
  | ((
      name: string,
      auth: Record<string, unknown>,
      next: (error: Error | null, allowed: boolean) => void,
    ) => void);

/**
 * Whether `matcher` lets a client create namespace `name` (a function answers when it likes).
 * A function that throws refuses it, its error reported as uncaught, so the client hears
 * "Invalid namespace" instead of waiting.
 */
export function namespaceAllowed(
  matcher: NamespaceMatcher,
  name: string,
  auth: Record<string, unknown>,
): Promise<boolean> {
  if (matcher instanceof RegExp) return Promise.resolve(matcher.test(name));
  return new Promise((resolve) => {
    try {
      matcher(name, auth, (error, allowed) => resolve(!error && allowed));
    } catch (error) {
      reportUncaught(error);
      resolve(false);
    }
  });
}
