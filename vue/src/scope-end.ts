import { getCurrentScope, onScopeDispose } from "vue";

/**
 * Runs `cleanup` when the current effect scope ends. Returns false when there is no scope:
 * nothing will run it, and the caller warns in development (see {@link warnOutsideScope}).
 */
export function onScopeEnd(cleanup: () => void): boolean {
  if (!getCurrentScope()) return false;
  onScopeDispose(cleanup);
  return true;
}

/**
 * Logs a development warning. Call it only behind an inline `process.env.NODE_ENV` check, in a
 * try for pages without `process` (see useSocket): a bundler folds the check where it is
 * written, never through a helper, so production builds drop the call and, with the last one,
 * the message and this function.
 */
export function warn(message: string): void {
  console.warn(`[Wireline] ${message}`);
}

/** Warns that `call`, made outside any effect scope, leaves `what` behind, and where to call it. */
export function warnOutsideScope(call: string, what: string): void {
  warn(
    `${call} was called outside setup() or an effect scope, so ${what}. Call it in setup(), or inside effectScope().run() and stop the scope when done.`,
  );
}
