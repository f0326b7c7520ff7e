/**
 * Reports `error`, which an app's callback threw (a listener, a middleware, a matcher), as an
 * uncaught exception from a microtask, as the SDK's `callListener` does: Node's
 * `uncaughtException` (the console in browsers) shows it with its stack, while the server goes
 * on with what it was doing (closing the other sockets, answering the client).
 *
 * @example try { listener(socket) } catch (error) { reportUncaught(error) }
 */
export function reportUncaught(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
