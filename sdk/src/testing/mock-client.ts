import type { ClientConnection } from "./client-connection.ts";
import type { EngineRequest } from "./mock-engine.ts";

/**
 * One client's Socket.IO connection, as socket.io's `socket.client`: the namespace sockets of
 * one Engine.IO connection share it. socket.io's public part of it: `conn` (the same object as
 * each socket's `socket.conn`) and `request`.
 */
export class MockClient {
  constructor(
    /** The Engine.IO connection, as `socket.conn`. */
    readonly conn: ClientConnection,
  ) {}

  /** The request that opened the connection, as `socket.request`. */
  get request(): EngineRequest {
    return this.conn.request;
  }
}
