// In Node, `withCredentials` keeps the cookies a server sets on an Engine.IO session and sends
// them back with its next requests, polling and the WebSocket upgrade alike, as socket.io-client
// does: what a load balancer's cookie-based sticky sessions need. Browsers keep cookies
// themselves: their build of `#node-transport` has no jar (sdk/test/size-budget.test.ts checks
// that browser bundles carry none of the Node build).
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCookieJar } from "../engine/cookie-jar.ts";
import { requestHeaders } from "../engine/node-transport.ts";
import { type AnySocket, clients, next } from "./compat-helpers.ts";
import { socketIoServer } from "./server-factories.ts";

const closers: Array<() => Promise<void>> = [];
const sockets: AnySocket[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const close of closers.splice(0)) await close();
});

/**
 * A socket.io server behind what a sticky load balancer amounts to: it sets its `io` cookie on
 * the handshake and refuses a session's later requests that do not carry it back. Records the
 * `cookie` header of every request.
 */
async function stickyServer(): Promise<{ url: string; cookieHeaders: Array<string | undefined> }> {
  const cookieHeaders: Array<string | undefined> = [];
  const server = await socketIoServer(
    { cookie: { name: "io", httpOnly: true, path: "/" } },
    (io) => {
      // Every request of the session, polling and the WebSocket upgrade alike.
      io.engine.use(
        (request: IncomingMessage, _response: unknown, next: (error?: Error) => void) => {
          cookieHeaders.push(request.headers.cookie);
          const sid = new URL(request.url ?? "", "http://host").searchParams.get("sid");
          if (sid === null || (request.headers.cookie ?? "").includes(`io=${sid}`)) next();
          else next(new Error("not this node's session"));
        },
      );
      io.on("connection", (socket) => {
        socket.on("echo", (value: unknown, callback: (value: unknown) => void) => callback(value));
      });
    },
  );
  closers.push(() => server.close());
  return { url: server.url, cookieHeaders };
}

describe.each(clients)("cookies in Node with %s", (_name, client) => {
  const open = (url: string, options: Record<string, unknown>) => {
    const socket = client.io(url, { forceNew: true, reconnection: false, ...options });
    sockets.push(socket);
    return socket;
  };

  it("sends the session's cookie back with every polling request under withCredentials", async () => {
    const { url, cookieHeaders } = await stickyServer();
    const socket = open(url, { transports: ["polling"], withCredentials: true });
    await next(socket, "connect");
    expect(await socket.emitWithAck("echo", "sticky")).toBe("sticky");
    expect(cookieHeaders[0]).toBeUndefined(); // the handshake: nothing set yet
    expect(cookieHeaders.length).toBeGreaterThan(2);
    expect(cookieHeaders.slice(1).every((header) => /^io=[\w-]+$/.test(header ?? ""))).toBe(true);
  });

  it("sends it with the WebSocket upgrade too, and the session upgrades", async () => {
    const { url, cookieHeaders } = await stickyServer();
    const socket = open(url, { transports: ["polling", "websocket"], withCredentials: true });
    await next(socket, "connect");
    await vi.waitFor(() => expect(socket.io.engine.transport.name).toBe("websocket"));
    expect(await socket.emitWithAck("echo", "upgraded")).toBe("upgraded");
    expect(cookieHeaders.length).toBeGreaterThan(2);
  });

  it("keeps no cookies without withCredentials, so a sticky server refuses the session", async () => {
    const { url, cookieHeaders } = await stickyServer();
    const socket = open(url, { transports: ["polling"] });
    await next(socket, "connect_error");
    expect(cookieHeaders.every((header) => header === undefined)).toBe(true);
  });
});

describe("the Node cookie jar", () => {
  it("adds its cookies after the app's own Cookie header, however the app spelled its name", () => {
    const cookies = createCookieJar();
    cookies.store(["io=abc"]);
    const base = { url: "http://host/", query: {}, cookies };
    expect(requestHeaders({ ...base, extraHeaders: { Cookie: "app=1" } })).toEqual({
      Cookie: "app=1; io=abc",
    });
    expect(requestHeaders({ ...base, extraHeaders: { "x-a": "1" } })).toEqual({
      "x-a": "1",
      cookie: "io=abc",
    });
    expect(
      requestHeaders({ ...base, cookies: undefined, extraHeaders: { Cookie: "app=1" } }),
    ).toEqual({ Cookie: "app=1" });
  });

  it("keeps cookies by name, sends them in one header, and takes updates", () => {
    const jar = createCookieJar();
    expect(jar.header()).toBeUndefined();
    jar.store(["io=abc; Path=/; HttpOnly; SameSite=Lax", "lb=node-2"]);
    expect(jar.header()).toBe("io=abc; lb=node-2");
    jar.store(["lb=node-3; Secure"]);
    expect(jar.header()).toBe("io=abc; lb=node-3");
  });

  it("keeps a value with '=' whole and ignores a cookie without a name", () => {
    const jar = createCookieJar();
    jar.store(["token=a=b==; Path=/", "=orphan", "noequals"]);
    expect(jar.header()).toBe("token=a=b==");
  });

  it("deletes a cookie set already expired: Max-Age=0, a past Expires, an unreadable Expires", () => {
    const jar = createCookieJar();
    jar.store(["a=1", "b=2", "c=3", "d=4"]);
    jar.store([
      "a=; Max-Age=0",
      "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
      "c=; Expires=not a date",
      "d=; Max-Age=-5",
    ]);
    expect(jar.header()).toBeUndefined();
  });

  it("lets Max-Age win over Expires, and drops a cookie once it expired", () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
    const jar = createCookieJar();
    jar.store(["short=1; Max-Age=10; Expires=Fri, 01 Jan 2100 00:00:00 GMT"]);
    jar.store(["long=2; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=3600"]);
    expect(jar.header()).toBe("short=1; long=2");
    vi.advanceTimersByTime(11_000);
    expect(jar.header()).toBe("long=2");
    vi.advanceTimersByTime(3600_000);
    expect(jar.header()).toBeUndefined();
  });
});
