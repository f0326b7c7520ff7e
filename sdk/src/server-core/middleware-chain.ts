import { reportUncaught } from "../call-listener.ts";

/** A refusal a middleware passes to `next`: the client's `connect_error` gets its message and `data`. */
export type MiddlewareError = Error & { data?: unknown };

/**
 * A namespace middleware: `next()` lets the socket in, `next(error)` refuses it. An async one
 * whose promise rejects refuses it too.
 */
export type Middleware<S> = (socket: S, next: (error?: MiddlewareError) => void) => void;

/**
 * Runs `middlewares` in order for `socket`, as socket.io does: each must call `next` once (later
 * calls are ignored); resolves with the first refusal, or undefined when every one let it in.
 * A middleware that throws (or whose returned promise rejects) refuses the socket rather than
 * taking the server down; one that throws after its `next` has its error reported as uncaught,
 * not lost. A refusal that is not an Error (`next("denied")`) becomes one with that message,
 * so the client's `connect_error` says it.
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
        if (error) resolve(error instanceof Error ? error : new Error(String(error)));
        else step(index + 1);
      };
      const fail = (error: unknown) => {
        if (called) reportUncaught(error);
        else next(error instanceof Error ? error : new Error(String(error)));
      };
      try {
        const returned: unknown = middleware(socket, next);
        if (returned instanceof Promise) returned.catch(fail);
      } catch (error) {
        fail(error);
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
