import { callListener } from "../call-listener.ts";

/** A callback waiting for a client's acknowledgement. */
export type ServerAck = (...reply: unknown[]) => void;

/**
 * The acknowledgements a server waits for from one client, by packet id. An ack registered
 * with a timeout gets `(error)` when it passes, else `(null, ...reply)`, as socket.io's
 * `socket.timeout(ms).emit(...)`; without one it gets the reply alone.
 */
export class AwaitedAcks {
  readonly #byId = new Map<number, ServerAck>();
  /** Acks with a timeout: they still fail when their timer fires after the client left. */
  readonly #timed = new WeakSet<ServerAck>();

  /** Waits for the ack of `id`; with `timeout` ms, error first. */
  add(id: number, ack: ServerAck, timeout?: number): void {
    if (timeout === undefined) {
      this.#byId.set(id, ack);
      return;
    }
    const timer = setTimeout(() => {
      this.#byId.delete(id);
      ack(new Error("operation has timed out"));
    }, timeout);
    const withError: ServerAck = (...reply) => {
      clearTimeout(timer);
      ack(null, ...reply);
    };
    this.#timed.add(withError);
    this.#byId.set(id, withError);
  }

  /** Waits for the ack of `id` with a callback that handles its own timing (broadcasts). */
  set(id: number, ack: ServerAck): void {
    this.#byId.set(id, ack);
  }

  /** Stops waiting for the ack of `id`. */
  delete(id: number): void {
    this.#byId.delete(id);
  }

  /** Whether the ack of `id` is awaited. */
  has(id: number): boolean {
    return this.#byId.has(id);
  }

  /** The client's ACK for `id` arrived: calls its callback once. Returns whether one waited. */
  reply(id: number, reply: unknown[]): boolean {
    const ack = this.#byId.get(id);
    if (!ack) return false;
    this.#byId.delete(id);
    // A throw in the test's or script's callback must not unwind into the transport.
    callListener(ack, undefined, reply);
    return true;
  }

  /** The client left: acks with a timeout still fail when it passes; the others are forgotten. */
  forgetUntimed(): void {
    for (const [id, ack] of this.#byId) if (!this.#timed.has(ack)) this.#byId.delete(id);
  }
}
