/**
 * Calls an app's listener or callback with `self` as `this`. What it throws is reported as an
 * uncaught error from a microtask (the console and `window.onerror` in browsers, Node's
 * `uncaughtException`) instead of unwinding into the client, so the receive loop, the
 * reconnection and the other listeners go on, as a DOM event's other listeners do. Exported
 * for UI bindings, whose handlers must fail the same way (`@wireline/react`'s replays).
 *
 * @example callListener(handler, undefined, ["news", "hello"]);
 */
export function callListener(
  listener: (...args: never[]) => unknown,
  self: unknown,
  args: ArrayLike<unknown>,
): void {
  try {
    (listener as (...args: unknown[]) => unknown).apply(self, args as unknown[]);
  } catch (error) {
    // As reportUncaught, written out: this one is in every app's bundle.
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * Reports `error`, which an app's code threw (a listener, a middleware, a matcher), as an
 * uncaught exception from a microtask: shown with its stack (Node's `uncaughtException`, the
 * console in browsers) while the caller goes on with what it was doing.
 *
 * @example try { listener(socket) } catch (error) { reportUncaught(error) }
 */
export function reportUncaught(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
