import { describe, expect, it } from "vitest";
import { mockSocketServer } from "../index.ts";
import { resolveOptions } from "../options.ts";

describe("mockSocketServer options", () => {
  it("applies socket.io's defaults and derives the URLs the handlers match", () => {
    const options = resolveOptions("https://chat.example.com", {});
    expect(options).toMatchObject({
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1e6,
      allowUpgrades: true,
      assertionTimeout: 2000,
      httpUrl: "https://chat.example.com/socket.io/",
      // MSW strips "/socket.io/" from WebSocket URLs before matching.
      webSocketUrl: "wss://chat.example.com/",
    });
    expect([...options.transports]).toEqual(["polling", "websocket"]);
  });

  it("matches a custom path on both transports", () => {
    const options = resolveOptions("ws://localhost:3000", { path: "realtime" });
    expect(options.httpUrl).toBe("http://localhost:3000/realtime/");
    expect(options.webSocketUrl).toBe("ws://localhost:3000/realtime/");
  });

  it.each([
    ["chat.test", {}, /"chat.test" is not an absolute URL; pass the server.s origin/],
    ["ftp://files.test", {}, /must use http, https, ws or wss/],
    ["http://chat.test/chat", {}, /origin only \("http:\/\/chat.test"\).*server.of\("\/chat"\)/],
    ["http://chat.test", { pingInterval: 0 }, /"pingInterval" must be a positive number of ms/],
    ["http://chat.test", { maxPayload: -1 }, /"maxPayload" must be a positive number of bytes/],
    // setTimeout fires a longer delay at once: pings would never stop.
    ["http://chat.test", { pingInterval: 2 ** 31 }, /"pingInterval" must be at most 2147483647 ms/],
    ["http://chat.test", { connectTimeout: 1e12 }, /"connectTimeout" must be at most 2147483647/],
    ["http://chat.test", { transports: [] }, /must name at least one transport/],
    ["http://chat.test", { transports: ["sse"] }, /unknown transport "sse"/],
  ])("refuses %s with %o, saying what to fix", (url, options, message) => {
    expect(() => mockSocketServer(url, options as never)).toThrow(message);
  });

  it("refuses a namespace that is not a string and a middleware that is not a function", () => {
    const server = mockSocketServer("http://chat.test");
    expect(() => server.of(42 as never)).toThrow(/a namespace is a string such as "\/chat"/);
    expect(() => server.use("auth" as never)).toThrow(/use\(\) takes a function/);
    expect(server.of("chat")).toBe(server.of("/chat"));
  });

  it("refuses a connectTimeout(ms) that is no positive number of ms a timer can wait, keeping the old one", () => {
    const server = mockSocketServer("http://chat.test", { connectTimeout: 300 });
    for (const ms of [-1, 0, Number.NaN, 2 ** 31, "1000"]) {
      expect(() => server.connectTimeout(ms as never)).toThrow(
        /"connectTimeout" must be (a positive number of ms|at most 2147483647 ms)/,
      );
    }
    expect(server.connectTimeout()).toBe(300);
    expect(server.connectTimeout(500).connectTimeout()).toBe(500);
  });

  it("refuses path(value), which socket.io takes as a setter, naming the option that sets it", () => {
    const server = mockSocketServer("http://chat.test", { path: "/realtime/" });
    expect(() => server.path("/other" as never)).toThrow(
      /the path is fixed when the handlers are made; pass it as the "path" option/,
    );
    expect(server.path()).toBe("/realtime");
  });

  it("rejects waitForConnection with what to check when no client comes", async () => {
    const server = mockSocketServer("http://chat.test");
    await expect(server.waitForConnection({ nsp: "chat", timeout: 20 })).rejects.toThrow(
      /no client connected to namespace "\/chat" at http:\/\/chat.test\/socket.io\/ within 20 ms\. Check that server.handlers are registered/,
    );
  });

  it("refuses to emit a reserved event name", () => {
    const server = mockSocketServer("http://chat.test");
    expect(() => server.emit("connect")).toThrow(/"connect" is a reserved event name/);
  });

  it("refuses a broadcast's event name that is no string, and a timeout out of a timer's range", () => {
    const server = mockSocketServer("http://chat.test");
    expect(() => server.to("room").emit({} as never)).toThrow(
      /Wireline: an event name is a string, got object/,
    );
    for (const ms of [Number.NaN, -1, 2 ** 31, "1000"]) {
      expect(() => server.timeout(ms as never)).toThrow(RangeError);
    }
  });
});
