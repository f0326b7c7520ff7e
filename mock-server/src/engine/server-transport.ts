import { EventEmitter } from "node:events";
import type { EnginePacket } from "@wireline/sdk/protocol";

/**
 * One way an Engine.IO session reaches its client (polling or WebSocket). Emits `packet`
 * for each packet received, `drain` when it can take writes again, `close` with a reason
 * (and, for a "transport error", the error).
 */
export abstract class ServerTransport extends EventEmitter {
  abstract readonly name: "polling" | "websocket";
  /** Whether `send` writes now; polling is writable only while a GET waits. */
  abstract get writable(): boolean;
  /** Writes packets; only called while writable. */
  abstract send(packets: EnginePacket[]): void;
  /** Closes the transport; `close` is emitted once. */
  abstract close(): void;
  /** Drops the connection abruptly, as a network failure would. */
  abstract terminate(): void;
}
