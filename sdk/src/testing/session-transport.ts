import type { EnginePacket } from "../protocol/engine.ts";

/** What a session queues for its transport: a packet to encode, or a raw text frame sent as is. */
export type OutgoingItem = EnginePacket | { raw: string };

/** Where a transport reports what happens to it. */
export interface TransportSink {
  /** A packet the client sent. */
  packet(packet: EnginePacket): void;
  /** The transport can take writes again (a polling GET arrived). */
  drain(): void;
  /**
   * The transport ended, with socket.io's reason ("transport close", "transport error", …) and,
   * for "transport error", engine.io's error describing it.
   */
  close(reason: string, description?: Error): void;
}

/** One way packets reach a mocked client: a WebSocket or HTTP long-polling. */
export interface SessionTransport {
  readonly name: "polling" | "websocket";
  /** Whether a write now reaches the client (always for a WebSocket; a GET waiting for polling). */
  readonly writable: boolean;
  /** Routes this transport's events to its session; replaces any earlier sink. */
  bind(sink: TransportSink): void;
  /** Writes packets and raw frames, in order. */
  send(items: OutgoingItem[]): void;
  /**
   * Ends the transport in order after writing `final` (a polling transport keeps them for the
   * client's next GET when none is waiting; a WebSocket closes cleanly after them).
   */
  close(final: OutgoingItem[]): void;
  /** Loses the transport abruptly, as a network failure would. */
  drop(): void;
}

/**
 * The error engine.io reports with a "transport error" (a server socket's `disconnect` gets it
 * second): an `Error` whose `type` is "TransportError", as engine.io's transports make them.
 */
export function transportError(message: string): Error {
  return Object.assign(new Error(message), { type: "TransportError", description: undefined });
}
