import { callListener } from "../call-listener.ts";
import { removeListener } from "../remove-listener.ts";

/** A listener of every event: its name, then its arguments. */
export type CatchAllListener = (event: string, ...args: unknown[]) => void;

/**
 * The catch-all listeners behind a mock server socket's `onAny`/`prependAny`/`offAny`/
 * `listenersAny` (and their `Outgoing` twins). Listeners added or removed while an event is
 * being dispatched take effect from the next one. (The client socket keeps plain arrays: this
 * class would cost its bundle about 100 B gzip.)
 */
export class CatchAllListeners {
  readonly #listeners: CatchAllListener[] = [];

  /** Whether there is any listener (dispatch is skipped otherwise). */
  get size(): number {
    return this.#listeners.length;
  }

  /** Adds a listener after the others. */
  add(listener: CatchAllListener): void {
    this.#listeners.push(listener);
  }

  /** Adds a listener before the others. */
  prepend(listener: CatchAllListener): void {
    this.#listeners.unshift(listener);
  }

  /** Removes `listener` (one copy, if it was added twice, as socket.io), or all without one. */
  remove(listener?: CatchAllListener): void {
    removeListener(this.#listeners, listener);
  }

  /** The listeners, in call order (a copy). */
  list(): CatchAllListener[] {
    return this.#listeners.slice();
  }

  /**
   * Calls every listener with `event` and `args`, `this` being `self`; what one throws is
   * reported as uncaught and the others still run.
   */
  dispatch(self: unknown, event: string, args: readonly unknown[]): void {
    if (this.#listeners.length === 0) return;
    for (const listener of this.#listeners.slice()) callListener(listener, self, [event, ...args]);
  }
}

/** A server socket's two catch-all lists: the events its client sends, and those sent to it. */
export class SocketCatchAll {
  /** Hear the events the client sends (`onAny`). */
  readonly incoming = new CatchAllListeners();
  /** Hear the events sent to the client (`onAnyOutgoing`). */
  readonly outgoing = new CatchAllListeners();
}
