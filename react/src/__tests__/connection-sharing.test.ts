import { shallowEqual } from "@wireline/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connectionKey } from "../connection-key.ts";
import { resolveTarget } from "../connection-target.ts";
import { isServer } from "../environment.ts";
import { RefCount } from "../ref-count.ts";
import { sharedConnections } from "../shared-connections.ts";
import { DEFAULT_SOURCE } from "../socket-context.ts";

describe("connectionKey", () => {
  it("names equal options written as new objects the same, whatever their key order", () => {
    const a = connectionKey("http://a.test", {
      auth: { token: "t", user: 1 },
      transports: ["websocket"],
    });
    const b = connectionKey("http://a.test", {
      transports: ["websocket"],
      auth: { user: 1, token: "t" },
    });
    expect(a).toBe(b);
    // An option left undefined is the same as one left out.
    expect(connectionKey("http://a.test", { timeout: undefined })).toBe(
      connectionKey("http://a.test", {}),
    );
  });

  it("tells different URLs and different option values apart", () => {
    const base = connectionKey("http://a.test", { auth: { token: "t" } });
    expect(connectionKey("http://b.test", { auth: { token: "t" } })).not.toBe(base);
    expect(connectionKey("http://a.test", { auth: { token: "u" } })).not.toBe(base);
    expect(connectionKey("http://a.test", { auth: { token: "t" }, timeout: 1 })).not.toBe(base);
  });

  it("compares functions and class instances by identity", () => {
    const auth = (callback: (data: object) => void) => callback({});
    class Outbox {}
    const outbox = new Outbox();
    expect(connectionKey("u", { auth, outbox })).toBe(connectionKey("u", { auth, outbox }));
    expect(connectionKey("u", { auth })).not.toBe(connectionKey("u", { auth: () => {} }));
    expect(connectionKey("u", { outbox })).not.toBe(connectionKey("u", { outbox: new Outbox() }));
  });
});

describe("RefCount", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("goes idle only after the delay that follows the last release", () => {
    const onIdle = vi.fn();
    const users = new RefCount(onIdle);
    expect(users.retain()).toBe(true);
    expect(users.retain()).toBe(false);
    users.release(100);
    vi.advanceTimersByTime(1000);
    expect(onIdle).not.toHaveBeenCalled();

    users.release(100);
    vi.advanceTimersByTime(99);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stays in use when retained again within the delay, as StrictMode's remount does", () => {
    const onIdle = vi.fn();
    const users = new RefCount(onIdle);
    users.retain();
    users.release(100);
    vi.advanceTimersByTime(50);
    // Must: the comeback counts as the first user again and cancels the pending idle.
    expect(users.retain()).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(onIdle).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("goes idle at once for a zero delay, and refuses an unpaired release", () => {
    const onIdle = vi.fn();
    const users = new RefCount(onIdle);
    users.retain();
    users.release(0);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(() => users.release(0)).toThrow(/released more often than retained/);
  });
});

describe("shallowEqual", () => {
  it("compares plain objects and arrays field by field, one level deep", () => {
    expect(shallowEqual({ status: "idle", attempt: 0 }, { status: "idle", attempt: 0 })).toBe(true);
    expect(shallowEqual({ status: "idle" }, { status: "connected" })).toBe(false);
    expect(shallowEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(shallowEqual([1, "a"], [1, "a"])).toBe(true);
    expect(shallowEqual([1], { 0: 1 })).toBe(false);
    expect(shallowEqual({ nested: {} }, { nested: {} })).toBe(false);
    expect(shallowEqual(Number.NaN, Number.NaN)).toBe(true);
    // A Date's time is not a field: two Dates are equal only when they are the same one.
    expect(shallowEqual(new Date(0), new Date(1))).toBe(false);
  });
});

describe("resolveTarget", () => {
  const provider = {
    kind: "shared" as const,
    url: "https://chat.test/room?v=2",
    options: { auth: { token: "t" }, timeout: 5000 },
    releaseDelay: 250,
  };

  it("takes the provider's server, options and delay, the URL's path as default namespace", () => {
    expect(resolveTarget(provider, undefined, undefined)).toEqual({
      kind: "shared",
      url: "https://chat.test?v=2",
      namespace: "/room",
      options: provider.options,
      releaseDelay: 250,
    });
    // Options of the hook add to the provider's; a namespace argument wins over the path.
    expect(resolveTarget(provider, "/admin", { timeout: 1000 })).toMatchObject({
      namespace: "/admin",
      options: { auth: { token: "t" }, timeout: 1000 },
    });
  });

  it("starts from no options for another server, and from the defaults without a provider", () => {
    expect(resolveTarget(provider, undefined, { url: "https://other.test" })).toMatchObject({
      url: "https://other.test",
      namespace: "/",
      options: {},
      releaseDelay: 250, // the provider's release delay still applies
    });
    expect(
      resolveTarget(DEFAULT_SOURCE, "/chat", { url: "http://x.test", releaseDelay: 0 }),
    ).toMatchObject({
      namespace: "/chat",
      releaseDelay: 0,
    });
  });

  it("reads a URL without a scheme as a host, as io() does", () => {
    // Must: "host:port" is the server, not a path of the page nor a "host:" scheme. Outside a
    // page (this test runs in Node) the scheme is https:, as the SDK's io() takes.
    expect(
      resolveTarget(DEFAULT_SOURCE, undefined, { url: "127.0.0.1:3000/chat?v=1" }),
    ).toMatchObject({ url: "https://127.0.0.1:3000?v=1", namespace: "/chat" });
    expect(resolveTarget(DEFAULT_SOURCE, undefined, { url: "localhost:3000" })).toMatchObject({
      url: "https://localhost:3000",
      namespace: "/",
    });
    // A path still names a namespace of the page's server.
    expect(resolveTarget(DEFAULT_SOURCE, undefined, { url: "/admin" })).toMatchObject({
      namespace: "/admin",
    });
  });

  it("refuses bad input with a message that says what to do", () => {
    expect(() => resolveTarget(provider, undefined, { releaseDelay: -1 })).toThrow(
      /releaseDelay must be a finite number of ms >= 0, got -1/,
    );
    expect(() => resolveTarget(DEFAULT_SOURCE, undefined, { url: "http://[bad" })).toThrow(
      /"http:\/\/\[bad" is not a valid server URL; pass e.g./,
    );
    const manager = { nsps: new Map(), socket: () => undefined } as never;
    expect(() =>
      resolveTarget({ kind: "client", manager, socket: undefined }, undefined, { timeout: 1 }),
    ).toThrow(/below <SocketProvider client>, useSocket options need a `url`/);
  });
});

describe("SharedConnection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("leaves the pool after its last user, even when a user came back within the delay", () => {
    const before = sharedConnections.size;
    // Never opened: autoConnect false, and nothing listens on this port.
    const connection = sharedConnections.get("http://127.0.0.1:9", { autoConnect: false }, 100);
    connection.retainNamespace("/");
    connection.releaseNamespace("/", 100);
    vi.advanceTimersByTime(50);
    // Must: a route change that mounts the next user within the delay is one user, not two…
    connection.retainNamespace("/");
    connection.releaseNamespace("/", 100);
    vi.advanceTimersByTime(1000);
    // …so after its release the connection leaves the pool, and no timer is left.
    expect(sharedConnections.size).toBe(before);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("isServer", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("counts a page, and React Native (a window without a document), as a client", () => {
    vi.stubGlobal("window", { document: {} });
    expect(isServer()).toBe(false);
    // Must: React Native defines `window` but no `document`; its hooks connect all the same.
    vi.stubGlobal("window", globalThis);
    vi.stubGlobal("navigator", { product: "ReactNative" });
    expect(isServer()).toBe(false);
    // Without a page to resolve against, the server's URL is needed (and read as io() does).
    expect(resolveTarget(DEFAULT_SOURCE, undefined, { url: "10.0.2.2:3000" })).toMatchObject({
      url: "https://10.0.2.2:3000",
    });
    expect(() => resolveTarget(DEFAULT_SOURCE, undefined, undefined)).toThrow(
      /outside a page \(React Native\), pass the server's URL/,
    );
  });

  it("counts Node, Deno and a worker (no window, or one without a document) as a server", () => {
    expect(isServer()).toBe(true);
    vi.stubGlobal("window", globalThis);
    vi.stubGlobal("navigator", { product: "Gecko", userAgent: "Deno/1.46" });
    expect(isServer()).toBe(true);
  });
});
