import { getCurrentScope, onScopeDispose } from "vue";

const env = globalThis as { process?: { env?: { NODE_ENV?: string } } };

/** Warns in development builds; silent when the bundler set NODE_ENV to "production". */
export function warn(message: string): void {
  if (env.process?.env?.NODE_ENV === "production") return;
  console.warn(`[Wireline] ${message}`);
}

/**
 * Runs `cleanup` when the current effect scope ends; without one, warns that `call` leaves
 * `what` behind and says where to call it instead.
 */
export function onScopeEnd(cleanup: () => void, call: string, what: string): void {
  if (getCurrentScope()) {
    onScopeDispose(cleanup);
    return;
  }
  warn(
    `${call} was called outside setup() or an effect scope, so ${what}. Call it in setup(), or inside effectScope().run() and stop the scope when done.`,
  );
}
