import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connectionKey } from "../connection-key.ts";
import { closeReleasedBy, createSocketRegistry, takenFor } from "../socket-registry.ts";

// Sockets here are never connected (the registry leaves connecting to its callers), so these
// tests need no server.
const url = "http://127.0.0.1:9";

describe("connectionKey", () => {
  it("is equal for equal options in any key order, and differs for other values", () => {
    expect(connectionKey(url, { a: 1, b: { c: 2, d: 3 } })).toBe(
      connectionKey(url, { b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(connectionKey(url, { a: 1 })).not.toBe(connectionKey(url, { a: 2 }));
    expect(connectionKey(url, {})).not.toBe(connectionKey("http://other", {}));
    expect(connectionKey(url, { a: undefined })).toBe(connectionKey(url, {}));
  });

  it("compares functions and class instances by identity", () => {
    const auth = () => {};
    class Lifecycle {}
    const lifecycle = new Lifecycle();
    expect(connectionKey(url, { auth })).toBe(connectionKey(url, { auth }));
    expect(connectionKey(url, { auth })).not.toBe(connectionKey(url, { auth: () => {} }));
    expect(connectionKey(url, { lifecycle })).toBe(connectionKey(url, { lifecycle }));
    expect(connectionKey(url, { lifecycle })).not.toBe(
      connectionKey(url, { lifecycle: new Lifecycle() }),
    );
  });
});

describe("createSocketRegistry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("hands out one socket per namespace of one connection per URL and options", () => {
    const registry = createSocketRegistry();
    const root = registry.acquire(url, undefined, { query: { room: "1" } });
    const again = registry.acquire(url, "/", { query: { room: "1" } });
    const chat = registry.acquire(url, "/chat", { query: { room: "1" } });
    const other = registry.acquire(url, undefined, { query: { room: "2" } });

    expect(again.socket).toBe(root.socket);
    expect(chat.socket.nsp).toBe("/chat");
    expect(chat.socket.io).toBe(root.socket.io);
    expect(other.socket.io).not.toBe(root.socket.io);
    expect(registry.size).toBe(2);
    // Must: nothing connects by itself; the caller decides when.
    expect(root.socket.active).toBe(false);
    expect(root.socket.io.readyState).toBe("closed");
  });

  it("gives every acquire a connection of its own with forceNew or multiplex: false, as io() does", () => {
    const registry = createSocketRegistry({ releaseDelay: 0 });
    for (const options of [{ forceNew: true }, { multiplex: false }]) {
      const first = registry.acquire(url, undefined, options);
      const second = registry.acquire(url, undefined, options);
      expect(second.socket).not.toBe(first.socket);
      expect(second.socket.io).not.toBe(first.socket.io);
      first.release();
      second.release();
    }
    expect(registry.size).toBe(4);
    vi.advanceTimersByTime(0);
    expect(registry.size).toBe(0);
  });

  it("connects a socket once, through whichever lease asks first, never again after a disconnect", () => {
    const registry = createSocketRegistry();
    const first = registry.acquire(url, undefined, {});
    const second = registry.acquire(url, undefined, {});
    expect(first.started).toBe(false);
    second.connect();
    expect([first.started, first.socket.active]).toEqual([true, true]);

    first.socket.disconnect(); // a logout
    first.connect();
    registry.acquire(url, undefined, {}).connect();

    // Must: the app's disconnect holds; only the app connects it again.
    expect(first.socket.active).toBe(false);
  });

  it("takes the namespace from the URL's path when none is given", () => {
    const registry = createSocketRegistry();
    expect(registry.acquire(`${url}/admin`, undefined, {}).socket.nsp).toBe("/admin");
  });

  it("disconnects a socket only after the release delay that follows its last release", () => {
    const registry = createSocketRegistry({ releaseDelay: 1000 });
    const first = registry.acquire(url, undefined, {});
    const second = registry.acquire(url, undefined, {});
    const socket = first.socket.connect();
    expect(socket.active).toBe(true);

    first.release();
    first.release(); // a second release of the same lease changes nothing
    vi.advanceTimersByTime(5000);
    expect(socket.active).toBe(true);

    second.release();
    vi.advanceTimersByTime(999);
    expect(socket.active).toBe(true);
    expect(registry.size).toBe(1);
    vi.advanceTimersByTime(1);
    expect(socket.active).toBe(false);
    expect(registry.size).toBe(0);
  });

  it("keeps the socket when it is acquired again within the delay", () => {
    const registry = createSocketRegistry({ releaseDelay: 1000 });
    const lease = registry.acquire(url, undefined, {});
    const socket = lease.socket.connect();
    lease.release();
    vi.advanceTimersByTime(900);
    const again = registry.acquire(url, undefined, {});
    vi.advanceTimersByTime(5000);

    expect(again.socket).toBe(socket);
    expect(socket.active).toBe(true);
    again.release();
    vi.advanceTimersByTime(1000);
    expect(socket.active).toBe(false);
  });

  it("hands out a new socket once the old one was released", () => {
    const registry = createSocketRegistry({ releaseDelay: 0 });
    const lease = registry.acquire(url, undefined, {});
    lease.release();
    vi.advanceTimersByTime(0);
    expect(registry.acquire(url, undefined, {}).socket).not.toBe(lease.socket);
  });

  it("disconnects everything at once on clear()", () => {
    const registry = createSocketRegistry({ releaseDelay: 1000 });
    const a = registry.acquire(url, undefined, {}).socket.connect();
    const b = registry.acquire(url, "/chat", {}).socket.connect();
    registry.clear();
    expect([a.active, b.active, registry.size]).toEqual([false, false, 0]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("closes at once, for an app, only the idle sockets that app let go of last", () => {
    const registry = createSocketRegistry({ releaseDelay: 1000 });
    const [app, other] = [{}, {}];
    const lease = (namespace: string, by: object) =>
      takenFor(registry.acquire(url, namespace, {}), by);
    const appOnly = lease("/app", app);
    const stillHeld = [lease("/held", app), lease("/held", other)];
    const otherLast = [lease("/other", app), lease("/other", other)];
    const unmarked = registry.acquire(url, "/unmarked", {});
    for (const each of [appOnly, ...stillHeld, ...otherLast, unmarked]) each.socket.connect();
    appOnly.release();
    stillHeld[0]!.release();
    otherLast[0]!.release();
    otherLast[1]!.release();
    unmarked.release();

    closeReleasedBy(registry, app);

    // Must: only the socket the app let go of last is gone; the others wait out the delay.
    expect(appOnly.socket.active).toBe(false);
    expect([stillHeld[0]!, otherLast[0]!, unmarked].map((each) => each.socket.active)).toEqual([
      true,
      true,
      true,
    ]);
    vi.advanceTimersByTime(1000);
    expect([otherLast[0]!.socket.active, unmarked.socket.active]).toEqual([false, false]);
    expect(stillHeld[0]!.socket.active).toBe(true);
    registry.clear();
  });

  it("refuses a namespace without a leading slash and a bad release delay, saying what to pass", () => {
    const registry = createSocketRegistry();
    expect(() => registry.acquire(url, "chat", {})).toThrow(
      'Wireline: namespace "chat" must start with "/", e.g. "/chat" or "/".',
    );
    expect(() => createSocketRegistry({ releaseDelay: -1 })).toThrow(
      "Wireline: releaseDelay needs a finite, non-negative number of ms, got -1.",
    );
  });
});
