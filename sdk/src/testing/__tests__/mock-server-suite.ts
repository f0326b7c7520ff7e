// Every feature of the mocked server, run against each client and transport. The browser and
// Node test files call this with their own MSW setup and clients.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MockServerSocket, MockSocketServer } from "../index.ts";
import { type ClientSocket, type ClientVariant, finalTransport } from "./client-kinds.ts";

/** Options for the suite's server: pings short enough that a heartbeat test takes a second. */
export const SUITE_SERVER_OPTIONS = { pingInterval: 200, pingTimeout: 300, assertionTimeout: 300 };

function nextEvent<T extends unknown[]>(socket: ClientSocket, event: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      socket.off(event, listener);
      resolve(args as T);
    };
    socket.on(event, listener);
  });
}

/** The reason of the client's next `disconnect` (its first argument). */
async function disconnectReason(socket: ClientSocket): Promise<string> {
  const [reason] = await nextEvent<[string]>(socket, "disconnect");
  return reason;
}

export function describeMockServer(
  server: MockSocketServer,
  url: string,
  variants: ClientVariant[],
) {
  describe.each(variants)("with $name", (variant) => {
    const opened: ClientSocket[] = [];

    afterEach(() => {
      for (const socket of opened.splice(0)) socket.disconnect();
      server.reset();
    });

    function open(path = "", options: Record<string, unknown> = {}): ClientSocket {
      const socket = variant.connect(`${url}${path}`, {
        forceNew: true,
        reconnection: false,
        transports: variant.transports,
        ...options,
      });
      opened.push(socket);
      return socket;
    }

    /** Connects a client and waits until it reached its final transport. */
    async function connect(
      path = "",
      options: Record<string, unknown> = {},
    ): Promise<{ client: ClientSocket; socket: MockServerSocket }> {
      const client = open(path, options);
      const socket = await server.waitForConnection({ nsp: path || "/" });
      await vi.waitFor(() => expect(socket.conn.transport.name).toBe(finalTransport(variant)), {
        timeout: 5000,
      });
      if (!client.connected) await nextEvent(client, "connect");
      return { client, socket };
    }

    it("hands the test the server socket with the client's auth and query", async () => {
      const { client, socket } = await connect("", {
        auth: { token: "t-1" },
        query: { room: "lobby" },
      });

      expect(socket.id).toBe(client.id);
      expect(socket.handshake.auth).toEqual({ token: "t-1" });
      expect(socket.handshake.query).toMatchObject({ room: "lobby", EIO: "4" });
      // As socket.io's: the request's path and query, the host header, the address and flags.
      expect(socket.handshake.url).toMatch(/^\/socket\.io\/\?.*EIO=4/);
      expect(socket.handshake).toMatchObject({
        headers: { host: new URL(url).host },
        address: "127.0.0.1",
        secure: url.startsWith("https:"),
        xdomain: expect.any(Boolean),
      });
    });

    it("carries events both ways and records what the client emitted", async () => {
      const { client, socket } = await connect();
      const greeted = nextEvent<[string, number]>(client, "greeting");

      socket.emit("greeting", "hello", 1);
      client.emit("message", { text: "hi" }, [1, 2]);

      expect(await greeted).toEqual(["hello", 1]);
      const entry = await server.expectEmitted("message", { text: "hi" }, [1, 2]);
      expect(entry).toMatchObject({ nsp: "/", socketId: socket.id });
      expect(server.received.map((received) => received.event)).toEqual(["message"]);
      await expect(server.expectEmitted("message", { text: "other" }, [1, 2])).rejects.toThrow(
        /no client emitted "message" with \[\{"text":"other"\},\[1,2\]\] within 300 ms\. Received:\n {2}\/ message \{"text":"hi"\}, \[1,2\]/,
      );
    });

    it("answers the client's acknowledgements and gets the client's", async () => {
      const { client, socket } = await connect();
      socket.on("add", (a: number, b: number, ack: (sum: number) => void) => ack(a + b));
      client.on("confirm", (question: string, ack: (answer: string) => void) =>
        ack(`yes: ${question}`),
      );

      expect(await client.timeout(2000).emitWithAck("add", 2, 3)).toBe(5);
      expect(await socket.timeout(2000).emitWithAck("confirm", "ok?")).toBe("yes: ok?");
      const plain = await new Promise((resolve) => socket.emit("confirm", "again?", resolve));
      expect(plain).toBe("yes: again?");
    });

    it("refuses an event name that is no string and a timeout out of range, leaving no flag behind", async () => {
      const { client, socket } = await connect();
      // Sent, they would make the client drop its connection over a parse error.
      expect(() => socket.emit(undefined as never)).toThrow(
        /an event name is a string, got undefined/,
      );
      expect(() => socket.volatile.timeout(Number.NaN)).toThrow(RangeError);
      const heard = nextEvent<[number]>(client, "next");
      socket.emit("next", 1);
      expect(await heard).toEqual([1]);
    });

    it("refuses a payload JSON cannot carry before its acknowledgement waits", async () => {
      const { socket } = await connect();
      const calls: unknown[][] = [];
      const record = (...args: unknown[]) => calls.push(args);
      expect(() => socket.timeout(50).emit("total", 1n, record)).toThrow(/JSON data or binary/);
      expect(() => server.timeout(50).emit("total", 1n, record)).toThrow(/JSON data or binary/);
      // Past the timeout: no ack was left to fail.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(calls).toEqual([]);
    });

    it("rejects a timed server emit the client never acknowledges", async () => {
      const { client, socket } = await connect();
      client.on("ignored", () => {});

      await expect(socket.timeout(100).emitWithAck("ignored")).rejects.toThrow(
        "operation has timed out",
      );
    });

    it("sends and receives binary data as attachments", async () => {
      const { client, socket } = await connect();
      const pushed = nextEvent<[{ file: ArrayBuffer; name: string }]>(client, "file");
      let uploaded: unknown;
      socket.on("upload", (data: { bytes: ArrayBuffer }, ack: (size: number) => void) => {
        uploaded = data.bytes;
        ack(data.bytes.byteLength);
      });

      socket.emit("file", { file: new Uint8Array([7, 8, 9]), name: "a.bin" });
      const size = await client
        .timeout(2000)
        .emitWithAck("upload", { bytes: new Uint8Array([1, 2, 3, 4]) });

      const [received] = await pushed;
      expect(received.name).toBe("a.bin");
      expect([...new Uint8Array(received.file)]).toEqual([7, 8, 9]);
      expect(size).toBe(4);
      // As socket.io's: a Buffer where there is one (Node), else an ArrayBuffer.
      const NodeBuffer = (globalThis as { Buffer?: { isBuffer(value: unknown): boolean } }).Buffer;
      expect(NodeBuffer ? NodeBuffer.isBuffer(uploaded) : uploaded instanceof ArrayBuffer).toBe(
        true,
      );
      await server.expectEmitted("upload", { bytes: new Uint8Array([1, 2, 3, 4]) });
    });

    it("serves namespaces declared with of() and refuses others", async () => {
      const chat = server.of("/chat");
      const joined = new Promise<MockServerSocket>((resolve) => chat.on("connection", resolve));
      const { client } = await connect("/chat");

      expect((await joined).nsp.name).toBe("/chat");
      client.emit("post", "in chat");
      expect(await server.expectEmitted("post", "in chat")).toMatchObject({ nsp: "/chat" });

      const stranger = open("/nowhere");
      const [error] = await nextEvent<[Error]>(stranger, "connect_error");
      expect(error.message).toBe("Invalid namespace");
    });

    it("lets a middleware refuse a connection with a message and data", async () => {
      server.use((socket, next) => {
        if (socket.handshake.auth.token === "good") return next();
        next(Object.assign(new Error("unauthorized"), { data: { retry: false } }));
      });

      const refused = open("", { auth: { token: "bad" } });
      const [error] = await nextEvent<[Error & { data?: unknown }]>(refused, "connect_error");
      expect(error.message).toBe("unauthorized");
      expect(error.data).toEqual({ retry: false });
      expect(refused.connected).toBe(false);

      const { client } = await connect("", { auth: { token: "good" } });
      expect(client.connected).toBe(true);
    });

    it("broadcasts to rooms and to everyone but the sender", async () => {
      const first = await connect();
      const second = await connect();
      const third = await connect();
      first.socket.join("red");
      second.socket.join("red");
      const got = new Map<ClientSocket, string[]>();
      for (const { client } of [first, second, third]) {
        got.set(client, []);
        client.on("news", (text: string) => got.get(client)!.push(text));
      }

      server.to("red").emit("news", "to red");
      first.socket.broadcast.emit("news", "from first");
      second.socket.leave("red");
      server.to("red").emit("news", "red again");
      server.emit("news", "to all");

      await vi.waitFor(
        () => {
          expect(got.get(first.client)).toHaveLength(3);
          expect(got.get(second.client)).toHaveLength(3);
          expect(got.get(third.client)).toHaveLength(2);
        },
        { timeout: 5000 },
      );
      expect(got.get(first.client)).toEqual(["to red", "red again", "to all"]);
      expect(got.get(second.client)).toEqual(["to red", "from first", "to all"]);
      expect(got.get(third.client)).toEqual(["from first", "to all"]);
      for (const { client } of [first, second, third]) {
        client.on("poll", (ack: (answer: string) => void) => ack(client.id ?? ""));
      }
      const answers = await server.to("red").timeout(2000).emitWithAck("poll");
      expect(answers).toEqual([first.client.id]);
    });

    it("gives socket.to()/broadcast the socket's timeout, which its own next emit no longer has", async () => {
      const sender = await connect();
      const other = await connect();
      other.socket.join("red");
      other.client.on("poll", (ack: (answer: string) => void) => setTimeout(() => ack("red"), 50));
      sender.client.on("ask", (ack: (answer: string) => void) => ack("sender"));
      await expect(sender.socket.timeout(2000).to("red").emitWithAck("poll")).resolves.toEqual([
        "red",
      ]);
      sender.socket.timeout(2000).broadcast.emit("nothing");
      const reply = await new Promise((resolve) =>
        sender.socket.emit("ask", (...args: unknown[]) => resolve(args)),
      );
      expect(reply).toEqual(["sender"]);
    });

    it("keeps sockets in the middlewares, refused or gone out of rooms and broadcasts", async () => {
      let waiting: MockServerSocket | undefined;
      let release: (() => void) | undefined;
      server.use((socket, next) => {
        expect(socket.rooms.size).toBe(0);
        socket.join("lobby");
        expect(socket.connected).toBe(false);
        if (socket.handshake.auth.refuse) return next(new Error("refused"));
        waiting = socket;
        release = next;
      });
      const refused = open("", { auth: { refuse: true } });
      await nextEvent(refused, "connect_error");
      expect(server.of("/").adapter.rooms.has("lobby")).toBe(false);

      const client = open();
      const news: string[] = [];
      client.on("news", (text: string) => news.push(text));
      await vi.waitFor(() => expect(release).toBeDefined());
      expect(await server.in("lobby").fetchSockets()).toEqual([]);
      server.to("lobby").emit("news", "too early");
      release!();
      await nextEvent(client, "connect");
      server.to("lobby").emit("news", "in time");
      await vi.waitFor(() => expect(news).toEqual(["in time"]));

      const left = disconnectReason(client);
      client.disconnect();
      await left;
      await vi.waitFor(() => expect(waiting!.connected).toBe(false));
      waiting!.join("late");
      expect(waiting!.rooms.size).toBe(0);
      expect(server.of("/").adapter.rooms.has("late")).toBe(false);
    });

    it("makes dynamic namespaces from a RegExp or a function, as socket.io's of(matcher)", async () => {
      const rooms = server.of(/^\/room-\d+$/);
      const order: string[] = [];
      rooms.use((socket, next) => {
        order.push(`middleware ${socket.nsp.name}`);
        next();
      });
      rooms.on("connection", (socket) => {
        order.push(`connection ${socket.nsp.name}`);
        socket.join("players");
      });
      server.of((name, auth, next) => next(null, name === "/team" && auth.team === "blue"));
      const first = open("/room-1");
      const second = open("/room-2");
      await Promise.all([nextEvent(first, "connect"), nextEvent(second, "connect")]);
      expect(order.sort()).toEqual([
        "connection /room-1",
        "connection /room-2",
        "middleware /room-1",
        "middleware /room-2",
      ]);
      const heard: string[] = [];
      first.on("news", (text: string) => heard.push(`1 ${text}`));
      second.on("news", (text: string) => heard.push(`2 ${text}`));
      // The parent's broadcasts reach every namespace it made, rooms included.
      rooms.to("players").emit("news", "to all rooms");
      await vi.waitFor(() => expect(heard.sort()).toEqual(["1 to all rooms", "2 to all rooms"]));
      expect(() => rooms.fetchSockets()).toThrow("not supported on parent namespaces");

      const [refusal] = await nextEvent<[Error]>(open("/room-x"), "connect_error");
      expect(refusal.message).toBe("Invalid namespace");
      const team = open("/team", { auth: { team: "blue" } });
      await nextEvent(team, "connect");
      expect((await server.waitForConnection({ nsp: "/team" })).nsp.name).toBe("/team");
      const [wrongTeam] = await nextEvent<[Error]>(
        open("/team-red", { auth: { team: "blue" } }),
        "connect_error",
      );
      expect(wrongTeam.message).toBe("Invalid namespace");
    });

    it("runs socket.use middlewares before listeners: they may rewrite an event or refuse it", async () => {
      const { client, socket } = await connect();
      const errors: string[] = [];
      const heard: unknown[][] = [];
      socket.onAny((...args: unknown[]) => heard.push(args));
      socket.use((packet, next) => {
        if (packet[0] === "forbidden") return next(new Error("not allowed"));
        if (typeof packet[1] === "string") packet[1] = packet[1].toUpperCase();
        next();
      });
      socket.on("error", (error) => errors.push(error.message));
      socket.on("forbidden", () => heard.push(["listener heard forbidden"]));
      socket.on("shout", (text: string, ack: (reply: string) => void) => ack(text));
      client.emit("forbidden", 1);
      expect(await client.timeout(2000).emitWithAck("shout", "hi")).toBe("HI");
      expect(errors).toEqual(["not allowed"]);
      // Catch-all listeners hear every event as it arrived, before the middlewares.
      expect(heard.map(([event, value]) => [event, value])).toEqual([
        ["forbidden", 1],
        ["shout", "hi"],
      ]);
    });

    it("has socket.io's catch-all API both ways: prependAny, listenersAny, onAnyOutgoing", async () => {
      const { client, socket } = await connect();
      const order: string[] = [];
      const last = () => order.push("last");
      socket.onAny(last);
      socket.prependAny(() => order.push("first"));
      expect(socket.listenersAny()).toHaveLength(2);
      const outgoing: unknown[][] = [];
      const recordOutgoing = (...args: unknown[]) => outgoing.push(args);
      socket.onAnyOutgoing(recordOutgoing);
      expect(socket.listenersAnyOutgoing()).toEqual([recordOutgoing]);
      socket.emit("direct", 1);
      server.emit("broadcast", 2);
      socket.volatile.emit("volatile", 3);
      socket.compress(false).emit("uncompressed", 4);
      const received: unknown[][] = [];
      client.on("uncompressed", (value: number) => received.push(["uncompressed", value]));
      await vi.waitFor(() => expect(received).toHaveLength(1));
      // Volatile goes only where the transport can write at once (never over polling here: the
      // first emit took the waiting GET), but socket.io's outgoing listeners hear it either way
      // (volatile-outgoing.test.ts).
      expect(outgoing).toEqual([
        ["direct", 1],
        ["broadcast", 2],
        ["volatile", 3],
        ["uncompressed", 4],
      ]);
      client.emit("ping-me");
      await vi.waitFor(() => expect(order).toEqual(["first", "last"]));
      socket.offAny(last);
      socket.offAnyOutgoing();
      expect(socket.listenersAny()).toHaveLength(1);
      expect(socket.listenersAnyOutgoing()).toEqual([]);
    });

    it("joins and leaves rooms for every socket from the server, as socket.io's socketsJoin", async () => {
      const { socket } = await connect();
      server.socketsJoin(["red", "blue"]);
      expect([...socket.rooms].sort()).toEqual([socket.id, "blue", "red"].sort());
      server.in("red").socketsLeave("red");
      expect(socket.rooms.has("red")).toBe(false);
      expect(await server.local.in("blue").fetchSockets()).toEqual([socket]);
    });

    it("keeps rooms in nsp.adapter as socket.io: live rooms and sids, room events in order", async () => {
      const { adapter } = server.of("/");
      const first = await connect();
      const second = await connect();
      const [a, b] = [first.socket.id, second.socket.id];
      const events: string[] = [];
      adapter.on("create-room", (room) => events.push(`create ${room}`));
      adapter.on("join-room", (room, id) => events.push(`join ${room} ${id}`));
      adapter.on("leave-room", (room, id) => events.push(`leave ${room} ${id}`));
      adapter.on("delete-room", (room) => events.push(`delete ${room}`));
      first.socket.join("game");
      second.socket.join(["game", "game"]);
      expect(adapter.rooms.get("game")).toEqual(new Set([a, b]));
      expect(first.socket.rooms).toBe(adapter.sids.get(a));
      expect(first.socket.rooms).toEqual(new Set([a, "game"]));
      first.socket.leave("game");
      second.client.disconnect();
      await vi.waitFor(() => expect(adapter.sids.has(b)).toBe(false));
      expect(adapter.rooms.has("game")).toBe(false);
      expect(events).toEqual([
        "create game",
        `join game ${a}`,
        `join game ${b}`,
        `leave game ${a}`,
        `leave ${b} ${b}`,
        `delete ${b}`,
        `leave game ${b}`,
        "delete game",
      ]);
    });

    it("reports what a server ack callback or catch-all listener throws, and the connection stays", async () => {
      const reported: unknown[] = [];
      const queue = globalThis.queueMicrotask;
      // Such errors are thrown from a microtask (uncaught): collect them instead.
      globalThis.queueMicrotask = (task) =>
        queue(() => {
          try {
            task();
          } catch (error) {
            reported.push(error);
          }
        });
      try {
        const { client, socket } = await connect();
        socket.on("echo", (value: unknown, ack: (reply: unknown) => void) => ack(value));
        socket.onAny(() => {
          throw new Error("catch-all bug");
        });
        client.on("question", (ack: (answer: string) => void) => ack("answer"));
        socket.emit("question", () => {
          throw new Error("ack bug");
        });
        // The catch-all listener throws on this event; its own listener still answers.
        const echoed = await new Promise((resolve) => client.emit("echo", 1, resolve));
        expect(echoed).toBe(1);
        await vi.waitFor(() =>
          expect(reported.map((error) => (error as Error).message).sort()).toEqual([
            "ack bug",
            "catch-all bug",
          ]),
        );
        expect(client.connected).toBe(true);
      } finally {
        globalThis.queueMicrotask = queue;
      }
    });

    it("socket.conn announces the upgrade and the end as socket.io's engine socket", async () => {
      const client = open();
      const socket = await server.waitForConnection();
      const upgrades: string[] = [];
      socket.conn.on("upgrade", (transport) => upgrades.push(transport.name));
      const upgraded = variant.transports.length > 1;
      await vi.waitFor(() => expect(socket.conn.upgraded).toBe(upgraded), { timeout: 5000 });
      expect(upgrades).toEqual(upgraded ? ["websocket"] : []);
      expect(socket.conn.transport.name).toBe(finalTransport(variant));
      expect(socket.conn.readyState).toBe("open");
      const closed = new Promise((resolve) => socket.conn.once("close", resolve));
      if (!client.connected) await nextEvent(client, "connect");
      client.disconnect();
      expect(await closed).toBe("transport close");
      expect(socket.conn.readyState).toBe("closed");
    });

    it("server.engine announces each connection on the transport it opened with, and counts it", async () => {
      const announced = new Map<unknown, string>();
      server.engine.on("connection", (connection) =>
        announced.set(connection, connection.transport.name),
      );
      const { client, socket } = await connect();
      expect(announced.get(socket.conn)).toBe(variant.transports[0]);
      expect(server.engine.clients[socket.conn.id]).toBe(socket.conn);
      expect(server.engine.clientsCount).toBeGreaterThanOrEqual(1);
      expect(socket.conn.request.url).toMatch(/^\/socket\.io\/\?EIO=4&transport=/);
      const closed = new Promise((resolve) => socket.conn.once("close", resolve));
      client.disconnect();
      await closed;
      expect(server.engine.clients[socket.conn.id]).toBeUndefined();
    });

    it("server.close() ends every socket with socket.io's reason, and clients stay down", async () => {
      const { client, socket } = await connect();
      const serverReason = new Promise((resolve) => socket.on("disconnect", resolve));
      const clientReason = disconnectReason(client);
      server.close();
      expect(await serverReason).toBe("server shutting down");
      expect(await clientReason).toBe("io server disconnect");
    });

    it("socket.conn.close() closes the connection as socket.io's: the client reconnects", async () => {
      const { client, socket } = await connect("", {
        reconnection: true,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
      });
      const serverReason = new Promise((resolve) => socket.on("disconnect", resolve));
      const clientReason = disconnectReason(client);
      const again = server.waitForConnection();
      socket.conn.close();
      expect(await clientReason).toBe("transport close");
      expect(await serverReason).toBe("forced close");
      await again;
      if (!client.connected) await nextEvent(client, "connect");
      expect(client.connected).toBe(true);
    });

    it("drops an event whose socket disconnected before its listeners' turn, as socket.io", async () => {
      const { client, socket } = await connect();
      const heard: string[] = [];
      // Catch-all listeners run at once; the event's own listeners a tick later.
      socket.onAny((event: string) => {
        if (event === "last") socket.disconnect();
      });
      socket.on("last", () => heard.push("last"));
      const ended = disconnectReason(client);
      client.emit("last");
      expect(await ended).toBe("io server disconnect");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toEqual([]);
    });

    it("disconnects a client from the server side", async () => {
      const { client, socket } = await connect();
      const ended = disconnectReason(client);
      const serverSide = new Promise<string>((resolve) => socket.on("disconnect", resolve));

      socket.disconnect();

      expect(await ended).toBe("io server disconnect");
      expect(await serverSide).toBe("server namespace disconnect");
    });

    it("pings on schedule, so the client stays connected past pingInterval + pingTimeout", async () => {
      const { client } = await connect();
      const disconnected = vi.fn();
      client.on("disconnect", disconnected);
      let pings = 0;
      client.io.on("ping", () => pings++);

      // Four pings span more than one pingInterval + pingTimeout (500 ms).
      await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(4), { timeout: 5000 });

      expect(disconnected).not.toHaveBeenCalled();
      expect(client.connected).toBe(true);
    });

    it("stopPinging() makes the client time out", async () => {
      const { client } = await connect();
      const ended = disconnectReason(client);

      server.stopPinging();

      expect(await ended).toBe("ping timeout");
    });

    it("dropConnection() loses the transport, and the client reconnects", async () => {
      const { client, socket } = await connect("", { reconnection: true, reconnectionDelay: 50 });
      const ended = disconnectReason(client);
      const serverSide = new Promise<string>((resolve) => socket.on("disconnect", resolve));

      server.dropConnection();

      expect(await ended).toBe(
        finalTransport(variant) === "websocket" ? "transport close" : "transport error",
      );
      expect(await serverSide).toBe("transport close");
      const again = await server.waitForConnection();
      expect(again.id).not.toBe(socket.id);
      await vi.waitFor(() => expect(client.connected).toBe(true), { timeout: 5000 });
    });

    it("socket.conn.dropConnection() drops that client only", async () => {
      const first = await connect();
      const second = await connect();
      const ended = disconnectReason(first.client);

      first.socket.conn.dropConnection();

      expect(await ended).toMatch(/^transport (close|error)$/);
      expect(first.socket.connected).toBe(false);
      expect(second.socket.connected).toBe(true);
      second.socket.on("still there?", (ack: (answer: string) => void) => ack("yes"));
      expect(await second.client.timeout(2000).emitWithAck("still there?")).toBe("yes");
    });

    it("sendRaw() injects a malformed packet: the client drops the connection", async () => {
      const { client, socket } = await connect();
      const ended = disconnectReason(client);
      const serverSide = new Promise<string>((resolve) => socket.on("disconnect", resolve));

      server.sendRaw('42["unterminated');

      expect(await ended).toBe("parse error");
      expect(await serverSide).toMatch(/^transport (close|error)$/);
      expect(client.connected).toBe(false);
    });

    it("reset() ends connections and forgets listeners, namespaces and received events", async () => {
      const { client } = await connect();
      server.of("/extra");
      client.emit("before", 1);
      await server.expectEmitted("before", 1);
      const ended = disconnectReason(client);

      server.reset();

      expect(await ended).toBe("io server disconnect");
      expect(server.received).toEqual([]);
      const stranger = open("/extra");
      const [error] = await nextEvent<[Error]>(stranger, "connect_error");
      expect(error.message).toBe("Invalid namespace");
    });
  });
}
