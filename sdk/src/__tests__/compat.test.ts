// The documented examples of socket.io-client (connection, options, namespaces, Manager,
// reconnection, connection state recovery, the engine), run against socket.io-client itself and
// against @wireline/sdk: the same code, only the import differs. See compat-helpers.ts.
import { describe, expect, it } from "vitest";
import { type AnySocket, deadUrl, matrix, next, useCompatEnv } from "./compat-helpers.ts";

type ConnectError = Error & { data?: unknown };
type WhoAmI = {
  id: string;
  auth: Record<string, unknown>;
  query: Record<string, string>;
  headers: Record<string, string>;
  transport: string;
};

const whoami = (socket: AnySocket) => socket.emitWithAck("whoami") as Promise<WhoAmI>;

// Fast reconnection, for the tests that drop a connection.
const quickReconnect = { reconnectionDelay: 20, reconnectionDelayMax: 50 };

describe.each(matrix)("documented socket.io-client usage with %s", (_name, client, server) => {
  const env = useCompatEnv(client, server);

  describe("connecting", () => {
    it("io(url): socket.id, connected and disconnected before and after connecting", async () => {
      const socket = env.open("", { autoConnect: false });
      expect(socket.connected).toBe(false);
      expect(socket.disconnected).toBe(true);
      expect(socket.id).toBeUndefined();
      const serverSocket = env.server.nextSocket();
      socket.connect();
      await env.connected(socket);
      expect(socket.connected).toBe(true);
      expect(socket.disconnected).toBe(false);
      expect(typeof socket.id).toBe("string");
      expect(socket.id).toBe((await serverSocket).id);
      const disconnected = next(socket, "disconnect");
      socket.disconnect();
      await disconnected;
      expect(socket.id).toBeUndefined();
      expect(socket.connected).toBe(false);
      expect(socket.disconnected).toBe(true);
    });

    it("connects, listens and emits with an acknowledgement", async () => {
      const socket = env.open();
      const greeting = await next(socket, "greeting");
      expect(greeting).toBe("welcome");
      expect(socket.connected).toBe(true);
      const reply = await new Promise((resolve) => socket.emit("hello", "world", resolve));
      expect(reply).toBe("got world");
      await expect(socket.emitWithAck("hello", "again")).resolves.toBe("got again");
      await expect(socket.timeout(1000).emitWithAck("hello", "t")).resolves.toBe("got t");
    });

    it("autoConnect: false waits for socket.connect(); socket.open() is its alias", async () => {
      const first = env.open("", { autoConnect: false });
      const second = env.open("", { autoConnect: false });
      expect(first.active).toBe(false);
      first.connect();
      expect(first.active).toBe(true);
      second.open();
      await Promise.all([env.connected(first), env.connected(second)]);
      expect(first.connected && second.connected).toBe(true);
    });

    it("socket.close() is an alias of socket.disconnect()", async () => {
      const socket = env.open();
      await env.connected(socket);
      const reason = next(socket, "disconnect");
      socket.close();
      expect(await reason).toBe("io client disconnect");
      expect(socket.active).toBe(false);
    });

    it("auth option as an object reaches socket.handshake.auth", async () => {
      const socket = env.open("", { auth: { token: "abc" } });
      expect((await whoami(socket)).auth).toEqual({ token: "abc" });
    });

    it("auth option as a callback is called on each connection", async () => {
      let calls = 0;
      const socket = env.open("", {
        auth: (cb: (data: object) => void) => {
          calls++;
          cb({ token: `call ${calls}` });
        },
      });
      expect((await whoami(socket)).auth).toEqual({ token: "call 1" });
      socket.emit("kick");
      await next(socket, "disconnect");
      socket.connect();
      await env.connected(socket);
      expect((await whoami(socket)).auth).toEqual({ token: "call 2" });
    });

    it("socket.auth updated after a connect_error, then socket.connect() again", async () => {
      const socket = env.open("", { auth: { token: "bad" } });
      const err = await next<ConnectError>(socket, "connect_error");
      expect(err.message).toBe("not authorized");
      (socket.auth as Record<string, string>).token = "good";
      socket.connect();
      await env.connected(socket);
      expect((await whoami(socket)).auth).toEqual({ token: "good" });
    });

    it("query option reaches socket.handshake.query", async () => {
      const socket = env.open("", { query: { x: "42" } });
      expect((await whoami(socket)).query).toMatchObject({ x: "42" });
    });

    it("query string of the URL reaches socket.handshake.query", async () => {
      const socket = env.open("?room=lobby");
      expect((await whoami(socket)).query).toMatchObject({ room: "lobby" });
    });

    it("io.opts.query updated on reconnect_attempt is sent on reconnection", async () => {
      const socket = env.open("", { query: { x: "1" }, ...quickReconnect });
      expect((await whoami(socket)).query).toMatchObject({ x: "1" });
      socket.io.on("reconnect_attempt", () => {
        (socket.io.opts.query as Record<string, string>).x = "2";
      });
      socket.emit("drop");
      await next(socket, "disconnect");
      await env.connected(socket);
      expect((await whoami(socket)).query).toMatchObject({ x: "2" });
    });

    it("path option selects the server's endpoint", async () => {
      const custom = await env.startServer({ path: "/my-custom-path/" });
      const socket = env.lookup(custom.url, { forceNew: true, path: "/my-custom-path/" });
      await env.connected(socket);
      expect(socket.io.opts.path).toBe("/my-custom-path/");
    });

    it("addTrailingSlash: false on both sides", async () => {
      const custom = await env.startServer({ addTrailingSlash: false });
      const socket = env.lookup(custom.url, { forceNew: true, addTrailingSlash: false });
      await expect(socket.emitWithAck("hello", "x")).resolves.toBe("got x");
    });

    it("extraHeaders option reaches socket.handshake.headers", async () => {
      const socket = env.open("", { extraHeaders: { "x-custom-header": "yes" } });
      expect((await whoami(socket)).headers["x-custom-header"]).toBe("yes");
    });

    it('transports: ["websocket"] connects over WebSocket only', async () => {
      const socket = env.open("", { transports: ["websocket"] });
      await env.connected(socket);
      expect(socket.io.engine.transport.name).toBe("websocket");
      expect((await whoami(socket)).transport).toBe("websocket");
    });

    it('transports: ["polling"] stays on HTTP long-polling', async () => {
      const socket = env.open("", { transports: ["polling"] });
      await env.connected(socket);
      expect(socket.io.engine.transport.name).toBe("polling");
      expect((await whoami(socket)).transport).toBe("polling");
    });

    it('transports: ["polling", "websocket"] upgrades: socket.io.engine.on("upgrade")', async () => {
      const socket = env.open("", { transports: ["polling", "websocket"] });
      // The upgrade may complete before "connect" on a local server: listen from the start.
      expect(socket.io.engine.transport.name).toBe("polling");
      const upgraded = new Promise<string>((resolve) => {
        socket.io.engine.on("upgrade", () => resolve(socket.io.engine.transport.name));
      });
      expect(await upgraded).toBe("websocket");
      await expect.poll(async () => (await whoami(socket)).transport).toBe("websocket");
    });
  });

  it('io.opts.transports set to names on connect_error: "revert to classic upgrade"', async () => {
    // A server (or a proxy in front of it) that does not take WebSocket.
    const pollingOnly = await env.startServer({ transports: ["polling"] });
    const socket = env.lookup(pollingOnly.url, {
      forceNew: true,
      transports: ["websocket"],
      ...quickReconnect,
    });
    socket.on("connect_error", () => {
      socket.io.opts.transports = ["polling", "websocket"];
    });
    await env.connected(socket);
    expect(socket.io.engine.transport.name).toBe("polling");
  });

  describe("connect_error and disconnect", () => {
    it("connect_error from a middleware: err.message and err.data, socket.active false", async () => {
      const socket = env.open("", { auth: { token: "bad" } });
      const err = await next<ConnectError>(socket, "connect_error");
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toBe("not authorized");
      expect(err.data).toEqual({ content: "Please retry later" });
      expect(socket.active).toBe(false);
      expect(socket.connected).toBe(false);
    });

    it("connect_error for an unreachable server: socket.active stays true (it retries)", async () => {
      const socket = env.lookup(await deadUrl(), { forceNew: true, ...quickReconnect });
      const err = await next<Error>(socket, "connect_error");
      expect(err).toBeInstanceOf(Error);
      expect(socket.active).toBe(true);
      await next(socket, "connect_error");
    });

    it('connect_error "Invalid namespace" for a namespace the server lacks', async () => {
      const socket = env.open("/nope");
      const err = await next<Error>(socket, "connect_error");
      expect(err.message).toBe("Invalid namespace");
      // The server sent no data, yet err.data is there (undefined): `"data" in err` holds.
      expect(Object.hasOwn(err, "data")).toBe(true);
      expect(socket.active).toBe(false);
    });

    it('disconnect reason "io server disconnect": no reconnection until socket.connect()', async () => {
      const socket = env.open("", quickReconnect);
      await env.connected(socket);
      socket.emit("kick");
      expect(await next(socket, "disconnect")).toBe("io server disconnect");
      expect(socket.active).toBe(false);
      socket.connect();
      await env.connected(socket);
      expect(socket.connected).toBe(true);
    });

    it('disconnect reason "io client disconnect"', async () => {
      const socket = env.open();
      await env.connected(socket);
      const reason = next(socket, "disconnect");
      socket.disconnect();
      expect(await reason).toBe("io client disconnect");
      expect(socket.active).toBe(false);
    });

    it('disconnect reason "transport close": socket.active, then it reconnects by itself', async () => {
      const socket = env.open("", { transports: ["websocket"], ...quickReconnect });
      await env.connected(socket);
      const firstId = socket.id;
      socket.emit("drop");
      const reason = await new Promise((resolve) =>
        socket.once("disconnect", (reason) => {
          expect(socket.active).toBe(true);
          resolve(reason);
        }),
      );
      expect(reason).toBe("transport close");
      await env.connected(socket);
      expect(socket.id).not.toBe(firstId);
    });

    it("disconnect with a server closing the connection: socket.disconnect(true) on the server", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open("", quickReconnect);
      await env.connected(socket);
      (await serverSocket).disconnect(true);
      expect(await next(socket, "disconnect")).toBe("io server disconnect");
      expect(socket.active).toBe(false);
    });
  });

  describe("reconnection (Manager events)", () => {
    it("reconnect_attempt and reconnect after a transport close", async () => {
      const socket = env.open("", quickReconnect);
      await env.connected(socket);
      const attempts: number[] = [];
      socket.io.on("reconnect_attempt", (attempt) => attempts.push(attempt));
      const reconnected = next<number>(socket.io, "reconnect");
      socket.emit("drop");
      expect(await reconnected).toBe(1);
      expect(attempts).toEqual([1]);
      await env.connected(socket);
    });

    it("reconnect_error, reconnect_failed and error with reconnectionAttempts", async () => {
      const socket = env.lookup(await deadUrl(), {
        forceNew: true,
        reconnectionAttempts: 2,
        ...quickReconnect,
      });
      const events: unknown[] = [];
      socket.io.on("error", () => events.push("error"));
      socket.io.on("reconnect_attempt", (attempt) => events.push(["reconnect_attempt", attempt]));
      socket.io.on("reconnect_error", (err) =>
        events.push(["reconnect_error", err instanceof Error]),
      );
      socket.io.on("reconnect_failed", () => events.push("reconnect_failed"));
      await expect.poll(() => events.length).toBe(8);
      // reconnect_failed comes before the last attempt's reconnect_error, in both clients.
      expect(events).toEqual([
        "error",
        ["reconnect_attempt", 1],
        "error",
        ["reconnect_error", true],
        ["reconnect_attempt", 2],
        "error",
        "reconnect_failed",
        ["reconnect_error", true],
      ]);
    });

    it("reconnection: false does not reconnect after a transport close", async () => {
      const socket = env.open("", { reconnection: false, ...quickReconnect });
      await env.connected(socket);
      let attempts = 0;
      socket.io.on("reconnect_attempt", () => attempts++);
      socket.emit("drop");
      expect(await next(socket, "disconnect")).toBe("transport close");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(attempts).toBe(0);
      expect(socket.connected).toBe(false);
    });

    it("socket.connect() after a disconnection reconnects manually", async () => {
      const socket = env.open("", { reconnection: false });
      await env.connected(socket);
      socket.emit("drop");
      await next(socket, "disconnect");
      socket.connect();
      await env.connected(socket);
      await expect(socket.emitWithAck("hello", "back")).resolves.toBe("got back");
    });
  });

  describe("namespaces and the Manager", () => {
    it("io(url + '/admin') connects to a namespace; socket.nsp", async () => {
      const socket = env.open("/admin");
      await expect(socket.emitWithAck("whereami")).resolves.toBe("/admin");
      expect((socket as unknown as { nsp: string }).nsp).toBe("/admin");
    });

    it("multiplexing: two namespaces of one server share one Manager", async () => {
      const main = env.lookup(env.url);
      const admin = env.lookup(`${env.url}/admin`);
      expect(admin.io).toBe(main.io);
      await Promise.all([env.connected(main), env.connected(admin)]);
      await expect(admin.emitWithAck("whereami")).resolves.toBe("/admin");
    });

    it("manager.socket() hands back an existing namespace socket as it is, options unchanged", () => {
      const manager = env.manager(env.url, { autoConnect: false });
      const admin = manager.socket("/admin", { auth: { token: "first" } });
      const again = manager.socket("/admin", { auth: { token: "second" } });
      expect(again).toBe(admin);
      expect(admin.auth).toEqual({ token: "first" });
    });

    it("multiplex: false and forceNew create separate Managers", async () => {
      const main = env.lookup(env.url);
      const separate = env.lookup(`${env.url}/admin`, { multiplex: false });
      const forced = env.lookup(env.url, { forceNew: true });
      expect(separate.io).not.toBe(main.io);
      expect(forced.io).not.toBe(main.io);
      await Promise.all([env.connected(main), env.connected(separate), env.connected(forced)]);
    });

    it("io() twice for one namespace creates a new Manager", async () => {
      const first = env.lookup(env.url);
      const second = env.lookup(env.url);
      expect(second).not.toBe(first);
      expect(second.io).not.toBe(first.io);
      await Promise.all([env.connected(first), env.connected(second)]);
      expect(second.id).not.toBe(first.id);
    });

    it('new Manager(url): manager.socket("/") and manager.socket("/admin") share it', async () => {
      const manager = env.manager(env.url, quickReconnect);
      const socket = manager.socket("/");
      const adminSocket = manager.socket("/admin", { auth: { token: "abc" } });
      expect(socket.io).toBe(manager);
      expect(adminSocket.io).toBe(manager);
      await Promise.all([env.connected(socket), env.connected(adminSocket)]);
      await expect(adminSocket.emitWithAck("whereami")).resolves.toBe("/admin");
      expect((await whoami(socket)).auth).toEqual({});
    });

    it("new Manager(url, { autoConnect: false }).open(callback)", async () => {
      const manager = env.manager(env.url, { autoConnect: false });
      const opened = await new Promise((resolve) => manager.open((err) => resolve(err)));
      expect(opened).toBeUndefined();
      const socket = manager.socket("/");
      socket.connect();
      await env.connected(socket);
    });

    it("manager.open(callback) gets the error when the server is unreachable", async () => {
      const manager = env.manager(await deadUrl(), { autoConnect: false, reconnection: false });
      const err = await new Promise((resolve) => manager.open((err) => resolve(err)));
      expect(err).toBeInstanceOf(Error);
    });

    it("socket.io.opts holds the options given", async () => {
      const socket = env.open("", { query: { x: "1" }, reconnectionDelayMax: 10_000 });
      expect(socket.io.opts.query).toEqual({ x: "1" });
      expect(socket.io.opts.reconnectionDelayMax).toBe(10_000);
      expect(socket.io.opts.path).toBe("/socket.io");
      await env.connected(socket);
    });

    it("reconnectionAttempts, reconnectionDelay and reconnectionDelayMax of 0 mean their defaults", async () => {
      const socket = env.open("", {
        autoConnect: false,
        reconnectionAttempts: 0,
        reconnectionDelay: 0,
        reconnectionDelayMax: 0,
      });
      expect(socket.io.reconnectionAttempts()).toBe(Infinity);
      expect(socket.io.reconnectionDelay()).toBe(1000);
      expect(socket.io.reconnectionDelayMax()).toBe(5000);
      // The setters take 0 as given.
      expect(socket.io.reconnectionAttempts(0).reconnectionAttempts()).toBe(0);
    });

    it("the module exports io, connect, Manager and Socket", async () => {
      const { io, connect, Manager, Socket } = client.module as Record<string, never>;
      expect(typeof io).toBe("function");
      expect(connect).toBe(io);
      expect(typeof Manager).toBe("function");
      const socket = env.open();
      expect(socket).toBeInstanceOf(Socket);
      expect(socket.io).toBeInstanceOf(Manager);
    });
  });

  describe("the engine and Manager events", () => {
    it('socket.io.on("ping") on every server ping', async () => {
      const fast = await env.startServer({ pingInterval: 50, pingTimeout: 5000 });
      const socket = env.lookup(fast.url, { forceNew: true });
      let pings = 0;
      socket.io.on("ping", () => pings++);
      await expect.poll(() => pings).toBeGreaterThanOrEqual(2);
    });

    it('socket.io.engine.on("packet") and on("packetCreate")', async () => {
      const fast = await env.startServer({ pingInterval: 50, pingTimeout: 5000 });
      const socket = env.lookup(fast.url, { forceNew: true, transports: ["websocket"] });
      await env.connected(socket);
      const received: string[] = [];
      const sent: string[] = [];
      socket.io.engine.on("packet", ({ type }) => received.push(type));
      socket.io.engine.on("packetCreate", ({ type }) => sent.push(type));
      await socket.emitWithAck("hello", "x");
      expect(sent).toContain("message");
      expect(received).toContain("message");
      await expect.poll(() => received.includes("ping") && sent.includes("pong")).toBe(true);
    });

    it('socket.io.engine.on("close", reason) when the connection drops', async () => {
      const socket = env.open("", { transports: ["websocket"], reconnection: false });
      await env.connected(socket);
      const reason = next(socket.io.engine, "close");
      socket.emit("drop");
      expect(await reason).toBe("transport close");
    });

    it("timeout option: connect_error when the handshake does not come in time", async () => {
      // A server that accepts connections and never answers.
      const { createServer } = await import("node:net");
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      try {
        const port = (silent.address() as { port: number }).port;
        const socket = env.lookup(`http://127.0.0.1:${port}`, {
          forceNew: true,
          timeout: 200,
          reconnection: false,
        });
        const err = await next<Error>(socket, "connect_error");
        expect(err.message).toBe("timeout");
        expect(socket.connected).toBe(false);
      } finally {
        silent.close();
      }
    });
  });

  describe("connection state recovery", () => {
    it("socket.recovered after socket.io.engine.close(); missed events arrive", async () => {
      const recovering = await env.startServer(
        { connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true } },
        (io) => {
          io.on("connection", (socket) => {
            socket.emit("greeting", "welcome");
            socket.on("disconnect", () => io.emit("missed", "while away"));
          });
        },
      );
      const socket = env.lookup(recovering.url, {
        forceNew: true,
        reconnectionDelay: 200,
        reconnectionDelayMax: 300,
      });
      await next(socket, "greeting");
      expect(socket.recovered).toBe(false);
      const firstId = socket.id;
      const missed = next(socket, "missed");
      const reconnected = next(socket, "connect");
      socket.io.engine.close();
      await reconnected;
      expect(socket.recovered).toBe(true);
      expect(socket.id).toBe(firstId);
      expect(await missed).toBe("while away");
    });

    it("socket.recovered is false when the server has no recovery", async () => {
      const socket = env.open("", quickReconnect);
      await next(socket, "greeting");
      const firstId = socket.id;
      const reconnected = next(socket, "connect");
      socket.io.engine.close();
      await reconnected;
      // socket.io-client leaves it undefined then: the docs only test it for truthiness.
      expect(socket.recovered).toBeFalsy();
      expect(socket.id).not.toBe(firstId);
    });
  });
});
