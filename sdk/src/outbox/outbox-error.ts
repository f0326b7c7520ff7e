import type { OutboxEntry } from "./outbox-entry.ts";

/**
 * Why a packet left the outbox without being sent: `overflow` (evicted or refused by the
 * `drop-oldest`/`drop-newest` policy), `rejected` (refused by the `reject` policy), `too-large`
 * (bigger than `maxBytes` on its own), `expired` (its `ttl` ran out), `cleared` (`clear()`).
 */
export type OutboxErrorCode = "overflow" | "rejected" | "too-large" | "expired" | "cleared";

/**
 * The error a dropped or expired packet's ack receives, and that `drop`/`expire` listeners get.
 *
 * @example
 * socket.emit("save", doc, (error) => {
 *   if (error instanceof OutboxError && error.code === "expired") showRetryButton();
 * });
 */
export class OutboxError extends Error {
  override readonly name = "OutboxError";
  /** What happened; see {@link OutboxErrorCode}. */
  readonly code: OutboxErrorCode;
  /** The packet that was not sent. */
  readonly entry: OutboxEntry;

  constructor(code: OutboxErrorCode, entry: OutboxEntry, message: string) {
    super(message);
    this.code = code;
    this.entry = entry;
  }
}
