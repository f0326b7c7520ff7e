// biome-ignore lint/suspicious/noExplicitAny: an untyped socket accepts any listener, as socket.io's does.
export type DefaultEventsMap = Record<string, (...args: any[]) => void>;

/** Events a Socket emits itself; an app cannot `emit` these names. */
export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (error: ConnectError) => void;
  disconnect: (reason: DisconnectReason, description?: DisconnectDescription) => void;
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

/**
 * What a `disconnect` (or the Manager's `close`) listener gets after the reason, as in
 * socket.io-client: the `Error` that broke the connection (a failed transport, a packet the
 * parser refused), or a transport's details, e.g. a WebSocket close's
 * `{ description: "websocket connection closed", context: CloseEvent }`. Undefined when the
 * app or the server closed it.
 */
export type DisconnectDescription =
  | Error
  | {
      description: string;
      context?: unknown;
    };

/**
 * A refused or failed connection: `data` is what the server's middleware attached
 * (`err.data = { content: "..." }`), typed `any` as in socket.io-client.
 */
export interface ConnectError extends Error {
  // biome-ignore lint/suspicious/noExplicitAny: socket.io-client's type, so `err.data.content` compiles as there.
  data?: any;
}

/** socket.io-client's name for {@link ConnectError}, the `connect_error` listener's argument. */
export type ExtendedError = ConnectError;
