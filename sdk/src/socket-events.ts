// biome-ignore lint/suspicious/noExplicitAny: an untyped socket accepts any listener, as socket.io's does.
export type DefaultEventsMap = Record<string, (...args: any[]) => void>;

/** Events a Socket emits itself; an app cannot `emit` these names. */
export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (error: ConnectError) => void;
  disconnect: (reason: DisconnectReason, description?: unknown) => void;
}

/** Why a socket disconnected; the same strings as socket.io-client. */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error"
  | "forced close";

/** A refused or failed connection: `data` is what the server's middleware attached. */
export interface ConnectError extends Error {
  data?: unknown;
}
