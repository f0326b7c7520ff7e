/** The part of a server socket {@link reportSocketError} reads: its id and its `error` listeners. */
export interface ErrorReportingSocket {
  readonly id: string;
  // Method syntax (bivariant): Node's EventEmitter and the SDK's Emitter both fit.
  listeners(event: "error"): unknown[];
}

/**
 * Hands an error of `socket` (an event a middleware refused, a packet that did not decode) to its
 * `error` listeners through `emitError`; without any listener, logs it under `server`'s name
 * (e.g. "mock server"), never throws: an app's bad packet must not take the server down.
 */
export function reportSocketError(
  socket: ErrorReportingSocket,
  error: Error,
  emitError: (error: Error) => void,
  server: string,
): void {
  if (socket.listeners("error").length > 0) emitError(error);
  else console.error(`Wireline ${server}: socket ${socket.id} has no "error" listener for`, error);
}
