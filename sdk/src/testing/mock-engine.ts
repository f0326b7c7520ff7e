import { Emitter } from "../emitter.ts";
import type { ClientConnection, ConnectionRequest } from "./client-connection.ts";
import { randomId } from "./random-id.ts";

/** A request as engine.io's listeners see it: the part of Node's `IncomingMessage` the mock has. */
export interface EngineRequest {
  /** "GET" or "POST" for polling; "GET" for a WebSocket. */
  method: string;
  /** Path and query, as `IncomingMessage.url`: "/socket.io/?EIO=4&transport=polling&t=…". */
  url: string;
  /** Request headers the mock could see (polling requests; only `host` for a WebSocket). */
  headers: Record<string, string>;
}

/** A request the engine refused, as engine.io's `connection_error` event reports it. */
export interface EngineConnectionError {
  req: EngineRequest;
  /** engine.io's error code: 0 unknown transport, 1 unknown session id, 2 bad handshake method, 3 bad request, 5 unsupported protocol version. */
  code: number;
  /** engine.io's message for the code, e.g. "Session ID unknown". */
  message: string;
  /** What was wrong, e.g. `{ sid }` or `{ transport }`. */
  context: Record<string, unknown>;
}

/** Events of {@link MockEngine}, as engine.io's `Server` emits them. */
export interface MockEngineEvents {
  /** A client completed its Engine.IO handshake (before any namespace CONNECT). */
  connection: (connection: ClientConnection) => void;
  /** A request was refused; the client got engine.io's 400 answer (or, for a WebSocket, a dropped connection). */
  connection_error: (error: EngineConnectionError) => void;
}

/** engine.io's default ids: random, url-safe, 20 characters. */
const defaultGenerateId = (_request: EngineRequest): string | PromiseLike<string> => randomId();

/** The request as engine.io shows it: path and query only, and the `host` header. */
export function engineRequest(request: ConnectionRequest): EngineRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    url: url.pathname + url.search,
    headers: { host: url.host, ...request.headers },
  };
}

/**
 * The mock's Engine.IO layer, as socket.io's `server.engine`: the low-level connections under
 * the namespaces' sockets (each one a {@link ClientConnection}, as `socket.conn`).
 *
 * @example
 * server.engine.on("connection_error", (error) => console.log(error.code, error.message));
 * server.engine.generateId = () => crypto.randomUUID();
 * expect(server.engine.clientsCount).toBe(1);
 */
export class MockEngine extends Emitter<MockEngineEvents> {
  /**
   * Makes the id of each new connection (`socket.conn.id`, the client's `io.engine.id`; not
   * the namespace socket's id). Assign your own, as with engine.io; it may return a promise,
   * and one that throws refuses the request ("Bad request", context name "ID_GENERATION_ERROR").
   * Default: random 20-character ids; `server.reset()` restores it.
   */
  generateId = defaultGenerateId;

  constructor(private readonly connections: ReadonlyMap<string, ClientConnection>) {
    super();
  }

  /** How many connections are open. */
  get clientsCount(): number {
    return this.connections.size;
  }

  /** The open connections by id, as engine.io's `clients` object (a snapshot). */
  get clients(): Record<string, ClientConnection> {
    return Object.fromEntries(this.connections);
  }

  /**
   * Closes every connection, as engine.io's `close()`: the server's sockets get "forced
   * close", clients "transport close", and they reconnect. Unlike socket.io's, whose WebSocket
   * server then refuses new connections, the mock keeps answering.
   */
  close(): this {
    for (const connection of [...this.connections.values()]) connection.close();
    return this;
  }

  /** Forgets the test's listeners and restores the default `generateId`. */
  reset(): void {
    this.off();
    this.generateId = defaultGenerateId;
  }
}
