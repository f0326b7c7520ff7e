/** A refusal a middleware passes to `next`: the client's `connect_error` gets its message and `data`. */
export type MiddlewareError = Error & { data?: unknown };

/** A namespace middleware: `next()` lets the socket in, `next(error)` refuses it. */
export type Middleware<S> = (socket: S, next: (error?: MiddlewareError) => void) => void;

/**
 * Runs `middlewares` in order for `socket`, as socket.io does: each must call `next` once (later
 * calls are ignored); resolves with the first refusal, or undefined when every one let it in.
 * A middleware that throws refuses the socket rather than taking the server down.
 */
export function runMiddlewares<S>(
  middlewares: ReadonlyArray<Middleware<S>>,
  socket: S,
): Promise<MiddlewareError | undefined> {
  return new Promise((resolve) => {
    const step = (index: number) => {
      const middleware = middlewares[index];
      if (!middleware) return resolve(undefined);
      let called = false;
      const next = (error?: MiddlewareError) => {
        if (called) return;
        called = true;
        if (error) resolve(error);
        else step(index + 1);
      };
      try {
        middleware(socket, next);
      } catch (error) {
        next(error instanceof Error ? error : new Error(String(error)));
      }
    };
    step(0);
  });
}

/** The CONNECT_ERROR payload for a refusal: its message, and its `data` when it has one. */
export function connectErrorData(refusal: MiddlewareError): Record<string, unknown> {
  const data: Record<string, unknown> = { message: refusal.message };
  if (refusal.data !== undefined) data.data = refusal.data;
  return data;
}
