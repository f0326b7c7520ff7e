/**
 * An acknowledgement that did not come in time (`timeout(ms)`, `ackTimeout`, or `retries` run
 * out). Its message is socket.io-client's, "operation has timed out", so code that compares
 * messages keeps working; the fields say which emit it was.
 *
 * @example
 * socket.timeout(5000).emit("save", doc, (error) => {
 *   if (error instanceof AckTimeoutError) console.warn(`no ack for ${error.event} in ${error.timeout} ms`);
 * });
 */
export class AckTimeoutError extends Error {
  // `declare`d: the constructor sets them, so no empty field definitions are bundled before it.
  /** The event whose ack did not come. */
  declare readonly event: string;
  /** The namespace of the emitting socket, e.g. "/". */
  declare readonly nsp: string;
  /** Ms waited for each try. */
  declare readonly timeout: number;
  /** Tries made: 1, or up to `retries + 1` with `retries`. */
  declare readonly tries: number;

  constructor(event: string, nsp: string, timeout: number, tries = 1) {
    super("operation has timed out");
    this.event = event;
    this.nsp = nsp;
    this.timeout = timeout;
    this.tries = tries;
  }
}
