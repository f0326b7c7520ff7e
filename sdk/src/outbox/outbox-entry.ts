import type { OutboxError } from "./outbox-error.ts";

/**
 * A packet waiting in the outbox: everything needed to encode it later as a Socket.IO EVENT
 * (`{ type: EVENT, nsp, id: ackId, data: [event, ...args] }`).
 */
export interface OutboxEntry {
  /** Unique and stable across page reloads: the key of its stored copy. */
  readonly id: string;
  /** Namespace of the sending socket, e.g. "/". */
  readonly nsp: string;
  /** The event name. */
  readonly event: string;
  /** The event arguments, without the ack callback. */
  readonly args: readonly unknown[];
  /** Ack id the sender registered, if it wants an ack. Never set on restored entries. */
  readonly ackId?: number;
  /**
   * The sender asked for an ack (kept after a reload, unlike `ackId`): once sent, the stored
   * copy stays until the ack settles, so a page closed before it is resent by the next one.
   */
  readonly awaitsAck?: boolean;
  /** Estimated encoded size: UTF-8 bytes of the JSON plus binary attachments. */
  readonly bytes: number;
  /** `Date.now()` when it was queued. */
  readonly enqueuedAt: number;
  /** `Date.now()` after which it is never sent, if it has a ttl. */
  readonly expiresAt?: number;
  /**
   * Called once with an {@link OutboxError} if the entry is dropped or expires, typically the
   * sender's ack. Not persisted: a previous page's callbacks are gone after a reload.
   */
  readonly fail?: (error: OutboxError) => void;
  /** True when loaded from storage, i.e. queued by a previous page. */
  readonly restored?: boolean;
}

/** What storage keeps of an entry: everything but the callback. */
export type StoredOutboxEntry = Omit<OutboxEntry, "fail">;

/** What the sender passes to `Outbox.enqueue`; the outbox fills in the rest. */
export interface OutboxInput {
  /** Namespace of the sending socket. */
  nsp: string;
  /** The event name. */
  event: string;
  /** The event arguments, without the ack callback. */
  args: readonly unknown[];
  /** Ack id registered by the sender, if any. */
  ackId?: number;
  /** Ms this packet may wait before it fails with a timeout error; overrides the outbox's `ttl`. */
  ttl?: number;
  /** Receives the error if the packet is dropped or expires (the sender's ack). */
  fail?: (error: OutboxError) => void;
  /** A caller-chosen id; default a fresh unique one. */
  id?: string;
}
