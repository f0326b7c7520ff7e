/** An emit waiting for the server's acknowledgement. */
export interface PendingAck {
  /**
   * Whether the app can be told the reply will not come: an error-first callback (a timeout or
   * retries apply) or emitWithAck's promise. A plain callback just never runs.
   */
  readonly failsOnDisconnect: boolean;
  /** The server acknowledged with these arguments. */
  reply(args: unknown[]): void;
  /** The acknowledgement cannot come (timeout, dropped from the outbox, disconnected). */
  fail(error: Error): void;
}

/**
 * The acknowledgements a socket waits for, by ack id. Each settles once: replying or failing
 * removes it, so a late reply after a timeout, or a second reply, calls nothing.
 */
export class PendingAcks {
  readonly #byId = new Map<number, PendingAck>();

  /** Waits for the ack of `id`. */
  add(id: number, ack: PendingAck): void {
    this.#byId.set(id, ack);
  }

  /** Delivers the server's reply to the ack of `id`, if still awaited. */
  reply(id: number, args: unknown[]): void {
    const ack = this.#byId.get(id);
    if (!ack) return;
    this.#byId.delete(id);
    ack.reply(args);
  }

  /** Fails the ack of `id`, if still awaited. */
  fail(id: number, error: Error): void {
    const ack = this.#byId.get(id);
    if (!ack) return;
    this.#byId.delete(id);
    ack.fail(error);
  }

  /**
   * Fails the ack of `id` with `error()` if it can fail; a plain callback is forgotten uncalled
   * (and no error is made for it).
   */
  failOrForget(id: number, error: () => Error): void {
    if (this.#byId.get(id)?.failsOnDisconnect) this.fail(id, error());
    else this.#byId.delete(id);
  }

  /**
   * The connection closed: the acks whose packet is not waiting to be sent again (`resent(id)`
   * false) can no longer get a reply. Those that can fail do now; plain callbacks are dropped
   * without a call (as socket.io-client does), so nothing is kept for them.
   */
  failUnsent(resent: (id: number) => boolean, error: () => Error): void {
    // Those awaited now: a failed callback that emits again adds an ack made after the
    // disconnect, whose packet waits in the outbox (and whose failure would emit again).
    for (const id of [...this.#byId.keys()]) {
      if (!resent(id)) this.failOrForget(id, error);
    }
  }

  /** Whether the ack of `id` is still awaited. */
  has(id: number): boolean {
    return this.#byId.has(id);
  }

  /** How many acks are awaited (for leak checks). */
  get size(): number {
    return this.#byId.size;
  }
}
