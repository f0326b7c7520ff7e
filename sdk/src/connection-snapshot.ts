/** The status of a connection, as one value. */
export type ConnectionStatus =
  | "idle"
  | "connecting"
  | "connected"
  | "reconnecting"
  | "offline"
  | "disconnected";

/** Everything about a connection's state, as one immutable snapshot. */
export interface ConnectionSnapshot {
  readonly status: ConnectionStatus;
  /** Reconnection attempts made since the last successful connection. */
  readonly attempt: number;
  /** `Date.now()` of the next scheduled attempt, or undefined. */
  readonly nextRetryAt: number | undefined;
  /** Name of the transport in use, or undefined. */
  readonly transport: string | undefined;
  /** Last connection error, if any since the last success. */
  readonly lastError: Error | undefined;
  /** Packets waiting to be sent across all namespace sockets. */
  readonly outboxSize: number;
  /** Engine.IO session id, or undefined. */
  readonly id: string | undefined;
  /** Whether the last reconnection recovered the session. */
  readonly recovered: boolean;
}

/**
 * Before the first connection attempt: also what server rendering and hydration show for a
 * socket that has not opened, so the first client render matches the server's HTML.
 */
export const IDLE_SNAPSHOT: ConnectionSnapshot = Object.freeze({
  status: "idle",
  attempt: 0,
  nextRetryAt: undefined,
  transport: undefined,
  lastError: undefined,
  outboxSize: 0,
  id: undefined,
  recovered: false,
});
