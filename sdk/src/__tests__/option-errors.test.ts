// A wrong option fails at io() with a message naming the option and what it takes; nothing
// is opened and no timer is left behind.
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { defineOutboxStorage, io, memoryStorage, Outbox } from "../index.ts";

const url = "http://127.0.0.1:9";

afterEach(() => {
  vi.useRealTimers();
});

describe("options with the wrong type or range", () => {
  it.each([
    [{ reconnectionDelay: -1 }, /"reconnectionDelay" must be a number ≥ 0, got -1/],
    [{ reconnectionDelayMax: "5000" }, /"reconnectionDelayMax" must be a number ≥ 0, got "5000"/],
    [{ reconnectionAttempts: Number.NaN }, /"reconnectionAttempts" must be a number ≥ 0, got NaN/],
    [{ timeout: null }, /"timeout" must be a number ≥ 0, got null/],
    [{ ackTimeout: -5 }, /"ackTimeout" must be a number ≥ 0/],
    [{ retries: "3" }, /"retries" must be a number ≥ 0/],
    [{ randomizationFactor: 1.5 }, /"randomizationFactor" must be a number from 0 to 1, got 1.5/],
    [{ reconnection: "yes" }, /"reconnection" must be true or false, got "yes"/],
    [{ autoConnect: 0 }, /"autoConnect" must be true or false, got 0/],
    [{ auth: "token" }, /"auth" must be an object, or a function/],
    [
      { outbox: { overflow: "drop-all" } },
      /"overflow" must be one of drop-oldest, drop-newest, reject, got "drop-all"/,
    ],
    [{ outbox: { maxPackets: -10 } }, /"maxPackets" must be a number ≥ 0/],
    [{ outbox: { ttl: "1s" } }, /"ttl" must be a number ≥ 0, got "1s"/],
    [{ outbox: 100 }, /"outbox" must be outbox options/],
    // A storage factory not called: named as a function, not printed as its source.
    [
      { outbox: { storage: memoryStorage } },
      /"storage" must be a storage made by .*memoryStorage\(\).*, got a function\.$/,
    ],
    [
      { outbox: { storage: { load: async () => [], put() {}, delete() {}, clear() {} } } },
      /"storage" must be a storage made by indexedDbStorage\(\), memoryStorage\(\) or defineOutboxStorage/,
    ],
  ])("refuses %o with a clear TypeError and opens nothing", (options, message) => {
    vi.useFakeTimers();
    expect(() =>
      io(url, { WebSocket, forceNew: true, transports: ["websocket"], ...options } as never),
    ).toThrow(message);
    // Nothing was scheduled: no handshake timer, no reconnection.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("accepts Infinity attempts and leaves unknown option names alone, as socket.io-client does", () => {
    const socket = io(url, {
      WebSocket,
      forceNew: true,
      autoConnect: false,
      reconnectionAttempts: Number.POSITIVE_INFINITY,
      someFutureOption: true,
    } as never);
    expect(socket.connected).toBe(false);
  });

  it("takes storage: null as no storage, and leaves a storage option outside outbox alone", () => {
    const socket = io(url, {
      WebSocket,
      forceNew: true,
      autoConnect: false,
      storage: {},
      outbox: { storage: null },
    } as never);
    expect(socket.outbox.size).toBe(0);
    expect(() => new Outbox({ storage: null })).not.toThrow();
  });

  it("checks an outbox built by the app too", () => {
    expect(() => new Outbox({ maxBytes: -1 })).toThrow(/"maxBytes" must be a number ≥ 0/);
    const storage = { load: async () => [], put() {}, delete() {}, clear() {} };
    expect(() => new Outbox({ storage } as never)).toThrow(/defineOutboxStorage/);
    expect(() => new Outbox({ storage: defineOutboxStorage(storage) })).not.toThrow();
  });
});
