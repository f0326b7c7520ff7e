import { getCurrentScope, onScopeDispose } from "vue";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

/**
 * Whether this is a production build. Bundlers (Vite, webpack, esbuild) replace the literal
 * `process.env.NODE_ENV`, in dependencies too, as Vue's own warnings rely on; an unbundled
 * page, where `process` does not exist, is development.
 */
function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === "production";
  } catch {
    return false;
  }
}

/** Warns in development builds; silent when the bundler set NODE_ENV to "production". */
export function warn(message: string): void {
  if (isProduction()) return;
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
