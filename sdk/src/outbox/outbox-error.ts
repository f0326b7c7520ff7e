import type { Outbox } from "./outbox.ts";
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
  // `declare`d: the constructor sets them, so no empty field definitions are bundled before it.
  /** What happened; see {@link OutboxErrorCode}. */
  declare readonly code: OutboxErrorCode;
  /** The packet that was not sent. */
  declare readonly entry: OutboxEntry;

  constructor(code: OutboxErrorCode, entry: OutboxEntry, message: string) {
    super(message);
    this.code = code;
    this.entry = entry;
  }
}

/**
 * An overflow drop (`overflow`) or refusal (`rejected`) by `outbox`; `byCount`: its packet limit
 * was hit (else its byte limit).
 */
export function overflowError(
  code: "overflow" | "rejected",
  entry: OutboxEntry,
  outbox: Pick<Outbox, "maxPackets" | "maxBytes" | "overflow">,
  byCount: boolean,
): OutboxError {
  const limit = byCount ? `${outbox.maxPackets} packets` : `${outbox.maxBytes} bytes`;
  const verb = code === "rejected" ? "rejected" : "dropped";
  return new OutboxError(
    code,
    entry,
    `Wireline: outbox full (${limit}), ${verb} packet for event "${entry.event}" (policy ${outbox.overflow}). Raise the outbox's maxPackets/maxBytes or choose another overflow policy.`,
  );
}

/** A packet that cannot fit even in an empty outbox. */
export function tooLargeError(
  entry: OutboxEntry,
  maxBytes: number,
  maxPackets: number,
): OutboxError {
  return new OutboxError(
    "too-large",
    entry,
    `Wireline: packet for event "${entry.event}" is ${entry.bytes} bytes, more than the whole outbox holds (maxBytes ${maxBytes}, maxPackets ${maxPackets}); it was not queued. Send it while connected or raise the outbox limits.`,
  );
}

/** A packet whose ttl ran out: a timeout, never sent. */
export function expiredError(entry: OutboxEntry): OutboxError {
  const waited = (entry.expiresAt ?? entry.enqueuedAt) - entry.enqueuedAt;
  return new OutboxError(
    "expired",
    entry,
    `Wireline: timeout, packet for event "${entry.event}" waited ${waited} ms in the outbox (its ttl) and was never sent. Emit it again once connected, or raise the ttl.`,
  );
}

/** A packet dropped by `clear()`. */
export function clearedError(entry: OutboxEntry): OutboxError {
  return new OutboxError(
    "cleared",
    entry,
    `Wireline: outbox cleared by the app, packet for event "${entry.event}" was never sent.`,
  );
}
