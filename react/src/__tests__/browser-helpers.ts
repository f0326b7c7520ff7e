// Shared by the binding's browser tests: the servers the global setup started, a WebSocket
// that counts what it opens, and a record of the timers code sets while a test runs.
import { cleanup } from "@testing-library/react";
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
