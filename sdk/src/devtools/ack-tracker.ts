import type { AckEntry, PacketEntry } from "./event-log-entry.ts";

type AckFields = Omit<AckEntry, "seq" | "monotonic" | "wallClock">;

/** Most events kept waiting for their ack; the oldest are forgotten first (acks may never come). */
const MAX_WAITING = 1000;

/**
 * Pairs events that asked for an acknowledgement with the ACK that answers them, in both
 * directions, to report each ack's latency, and closes the wait of an emit that timed out.
 */
export class AckTracker {
  readonly #waiting = new Map<string, { event: string; since: number }>();

  /**
   * Notes an event asking for an ack, or returns the ack entry's fields for an ACK that
   * answers one. `now` is `performance.now()`.
   */
  observe(
    packet: PacketEntry | Omit<PacketEntry, "seq" | "monotonic" | "wallClock">,
    now: number,
  ): AckFields | undefined {
    const { ackId, nsp, socketType, direction } = packet;
    if (ackId === undefined || nsp === undefined) return undefined;
    if (socketType === "EVENT" || socketType === "BINARY_EVENT") {
      const key = `${direction}|${nsp}|${ackId}`;
      // A retried emit keeps its id: latency counts from the first send.
      if (!this.#waiting.has(key)) {
        this.#waiting.set(key, { event: packet.event ?? "", since: now });
        if (this.#waiting.size > MAX_WAITING) {
          this.#waiting.delete(this.#waiting.keys().next().value as string);
        }
      }
      return undefined;
    }
    if (socketType !== "ACK" && socketType !== "BINARY_ACK") return undefined;
    // An ACK going out answers an event that came in, and the other way round.
    const key = `${direction === "in" ? "out" : "in"}|${nsp}|${ackId}`;
    const waiting = this.#waiting.get(key);
    if (!waiting) return undefined;
    this.#waiting.delete(key);
    return {
      kind: "ack",
      direction,
      nsp,
      ackId,
      event: waiting.event,
      latencyMs: Math.max(0, now - waiting.since),
    };
  }

  /**
   * A namespace socket disconnected: the server's events still awaiting our ack are forgotten,
   * since the server socket that asked is gone and the next one counts its ack ids from 0.
   */
  forgetIncoming(nsp: string): void {
    const prefix = `in|${nsp}|`;
    for (const key of this.#waiting.keys()) if (key.startsWith(prefix)) this.#waiting.delete(key);
  }

  /** An emit of ours gave up on its ack: the entry's fields, timed out, waited since its send. */
  timedOut(nsp: string, ackId: number, event: string, now: number): AckFields {
    const key = `out|${nsp}|${ackId}`;
    const waiting = this.#waiting.get(key);
    this.#waiting.delete(key);
    return {
      kind: "ack",
      direction: "in",
      nsp,
      ackId,
      event,
      // Zero when it never left (it timed out in the outbox).
      latencyMs: waiting ? Math.max(0, now - waiting.since) : 0,
      timedOut: true,
    };
  }
}
