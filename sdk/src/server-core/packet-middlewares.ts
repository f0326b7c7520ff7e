/**
 * A middleware of every event a socket receives (`socket.use`): it gets `[event, ...args]` and
 * calls `next()` to pass it on, or `next(error)` to drop it (the socket's `error` event hears
 * the error).
 */
export type PacketMiddleware = (packet: unknown[], next: (error?: Error) => void) => void;

/** What {@link runPacketMiddlewares} reports to its socket. */
export interface PacketMiddlewareOutcome {
  /** Whether the socket is still connected: a `next` called after it left does nothing. */
  connected(): boolean;
  /** Every middleware passed the event on. */
  pass(packet: unknown[]): void;
  /** A middleware refused the event, or threw. */
  refuse(error: Error): void;
}

/** Runs `middlewares` in order over one received event; a second `next` of one is ignored. */
export function runPacketMiddlewares(
  middlewares: readonly PacketMiddleware[],
  packet: unknown[],
  outcome: PacketMiddlewareOutcome,
  index = 0,
): void {
  const middleware = middlewares[index];
  if (!middleware) {
    outcome.pass(packet);
    return;
  }
  let called = false;
  try {
    middleware(packet, (error) => {
      if (called || !outcome.connected()) return;
      called = true;
      if (error) outcome.refuse(error);
      else runPacketMiddlewares(middlewares, packet, outcome, index + 1);
    });
  } catch (error) {
    if (called) throw error; // thrown further on, by a listener: not this middleware's
    called = true;
    outcome.refuse(error instanceof Error ? error : new Error(String(error)));
  }
}
