/** An Engine.IO error for a refused request: the body `{ code, message }` the client gets. */
export interface EngineError {
  code: number;
  message: string;
}

/**
 * Engine.IO's error codes and messages for refused requests, as the `engine.io` package sends
 * them (key order kept: the body is their JSON).
 */
export const ENGINE_ERRORS = {
  UNKNOWN_TRANSPORT: { code: 0, message: "Transport unknown" },
  UNKNOWN_SID: { code: 1, message: "Session ID unknown" },
  BAD_HANDSHAKE_METHOD: { code: 2, message: "Bad handshake method" },
  BAD_REQUEST: { code: 3, message: "Bad request" },
  FORBIDDEN: { code: 4, message: "Forbidden" },
  UNSUPPORTED_PROTOCOL_VERSION: { code: 5, message: "Unsupported protocol version" },
} as const satisfies Record<string, EngineError>;
