// Shared by the binding's browser tests: the servers the global setup started, a WebSocket
// that counts what it opens, and a record of the timers code sets while a test runs.
import { cleanup } from "@testing-library/react";
import {
  type DefaultEventsMap,
  type EventsMap,
  type IoOptions,
  io,
  PacketType,
  type Socket,
} from "@wireline/sdk";
import { afterEach, inject } from "vitest";

/** The mock server of the global setup: emits `welcome` on connect, acknowledges `echo`. */
export const MOCK_SERVER_URL = inject("serverUrls")["mock-server"];
/** The official socket.io server of the global setup, with the same handlers. */
export const SOCKET_IO_URL = inject("serverUrls")["socket.io"];

// Without Vitest globals, Testing Library cannot unmount after each test by itself.
afterEach(() => cleanup());

/**
 * A WebSocket class that remembers every socket it opened: how many connections a test made,
 * as the browser saw them. A new class per test also names a connection of its own (options
 * compare instances by identity), so tests never share one.
 */
export function countingWebSocket() {
  const opened: WebSocket[] = [];
  class CountingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      opened.push(this);
    }
  }
  return {
    WebSocket: CountingWebSocket,
    opened,
    /** Sockets not closed yet (connecting, open or closing). */
    live: () => opened.filter((socket) => socket.readyState !== WebSocket.CLOSED).length,
  };
}

/**
 * Tracks the timers set through `globalThis.setTimeout` until `stop()`: what the binding and
 * the SDK arm (both look the global up when they call it). `pending()` counts those neither
 * fired nor cleared.
 */
export function trackTimers() {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const pending = new Set<unknown>();
  globalThis.setTimeout = ((handler: () => void, delay?: number, ...rest: unknown[]) => {
    const id = realSet(
      () => {
        pending.delete(id);
        handler();
      },
      delay,
      ...rest,
    );
    pending.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout> | undefined) => {
    pending.delete(id);
    realClear(id);
  }) as typeof clearTimeout;
  return {
    pending: () => pending.size,
    stop() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

/** Resolves after `ms`: only to show that something does *not* happen within that time. */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A socket of its own to the mock server over WebSocket, connected; disconnected after the test. */
export async function connectedSocket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
>(options: IoOptions = {}): Promise<Socket<ListenEvents, EmitEvents>> {
  const socket = io<ListenEvents, EmitEvents>(MOCK_SERVER_URL, {
    forceNew: true,
    transports: ["websocket"],
    ...options,
  });
  ownSockets.push(socket);
  if (options.autoConnect !== false) {
    await new Promise<void>((resolve) => (socket as Socket).on("connect", () => resolve()));
  }
  return socket;
}

const ownSockets: Socket<never, never>[] = [];
afterEach(() => {
  for (const socket of ownSockets.splice(0)) socket.disconnect();
});

/** Hands the socket a server EVENT packet, as if it had just arrived over the network. */
export function deliverEvent(socket: Socket<never, never>, event: string, ...args: unknown[]) {
  socket.io.emitEvent("packet", {
    type: PacketType.EVENT,
    nsp: socket.nsp,
    data: [event, ...args],
  });
}

/** Hands the socket the server's acknowledgement `id`, as if it had just arrived. */
export function deliverAck(socket: Socket<never, never>, id: number, ...reply: unknown[]) {
  socket.io.emitEvent("packet", { type: PacketType.ACK, nsp: socket.nsp, id, data: reply });
}
