import type { Outbox, OutboxOptions } from "./outbox/outbox.ts";

/** Options of one namespace socket. */
export interface SocketOptions {
  /**
   * Sent in the CONNECT packet: an object, or a callback that produces it on every connect.
   * Typed as socket.io-client's, so an app's own auth types fit.
   */
  // biome-ignore lint/suspicious/noExplicitAny: socket.io-client's type for the auth object.
  auth?: { [key: string]: any } | ((callback: (data: object) => void) => void);
  /** Default timeout in ms of every acknowledgement, as if each emit used `timeout(ms)`. Default: none. */
  ackTimeout?: number;
  /**
   * Resend an unacknowledged emit up to this many times (after each `ackTimeout`), for
   * at-least-once delivery. Emits are pipelined, not sent one at a time; every resend carries
   * the same ack id so the server can drop duplicates. The ack callback is error-first.
   * Default 0 (no retries).
   */
  retries?: number;
  /**
   * Where emits made while disconnected, or while the browser says it is offline, wait to be
   * sent in order before the next `connect` fires: the options of a new {@link Outbox}, or an
   * outbox to share. Bounded; a dropped or expired packet fails its ack with an `OutboxError`.
   * Default: 1000 packets or 1 MB in memory, dropping the oldest, no ttl.
   */
  outbox?: OutboxOptions | Outbox;
}
