import type { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type IoOptions, io, type Socket, type TransportChoice } from "../index.ts";
import {
  mockServer,
  type ServerCapabilities,
  type ServerFactory,
  socketIoServer,
  type TestServer,
} from "./server-factories.ts";

const factories: Array<[string, ServerFactory, ServerCapabilities]> = [
  ["socket.io 4.8", socketIoServer, { transports: ["websocket", "polling"], recovery: true }],
  ["@wireline/mock-server", mockServer, { transports: ["websocket", "polling"], recovery: true }],
];
const transportSets: Array<[string, TransportChoice[]]> = [
  ["websocket", ["websocket"]],
  ["polling", ["polling"]],
  ["polling upgraded to websocket", ["polling", "websocket"]],
];
const matrix = factories.flatMap(([server, factory, capabilities]) =>
  transportSets
    .filter(([, transports]) =>
      transports.every((t) => capabilities.transports.includes(t as string)),
    )
    .map(([name, transports]) => [server, name, factory, transports, capabilities] as const),
);

/** Resolves with the arguments of the next `event` on `target`. */
function next<T extends unknown[] = unknown[]>(
  target: { once(event: string, listener: (...args: never[]) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => {
    target.once(event, ((...args: T) => resolve(args)) as never);
  });
}

describe.each(matrix)(
  "interop with %s over %s",
  (_server, _transport, startServer, transports, capabilities) => {
    let server: TestServer | undefined;
    const sockets: Socket[] = [];

    async function start(setup: (io: Server) => void, options = {}): Promise<TestServer> {
      server = await startServer(options, setup);
      return server;
    }

    function connect(path = "/", options: IoOptions = {}): Socket {
      if (!server) throw new Error("start a server first");
      const socket = io(server.url + path, {
        WebSocket,
        transports,
        forceNew: true,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
        ...options,
      });
      sockets.push(socket);
      return socket;
    }

    afterEach(async () => {
      for (const socket of sockets.splice(0)) socket.disconnect();
      await server?.close();
      server = undefined;
    });

    it("connects over WebSocket and gets the namespace session id", async () => {
      await start(() => {});
      const socket = connect();
      await next(socket, "connect");
      // Must expose the same state socket.io-client does once connected.
      expect(socket.connected).toBe(true);
      expect(socket.disconnected).toBe(false);
      expect(typeof socket.id).toBe("string");
      expect(socket.io.getSnapshot().status).toBe("connected");
      await expect.poll(() => socket.io.getSnapshot().transport).toBe(transports.at(-1));
    });

    it("receives the server's acknowledgement of an emit", async () => {
      await start((io) =>
        io.on("connection", (s) => s.on("double", (n: number, ack) => ack(n * 2))),
      );
      const socket = connect();
      const reply = await new Promise((resolve) => socket.emit("double", 21, resolve));
      expect(reply).toBe(42);
    });

    it("buffers emits made before connect and sends them in order", async () => {
      const seen: number[] = [];
      await start((io) => io.on("connection", (s) => s.on("n", (n: number) => seen.push(n))));
      const socket = connect();
      for (let n = 0; n <= 5; n++) socket.emit("n", n);
      await expect.poll(() => seen).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it("delivers server-pushed events and answers the server's ack requests", async () => {
      let answer: Promise<unknown> | undefined;
      await start((io) =>
        io.on("connection", (s) => {
          s.emit("hello", "world", { n: 1 });
          answer = s.timeout(2000).emitWithAck("question", "x");
        }),
      );
      const socket = connect();
      socket.on("question", (q: string, ack: (a: string) => void) => ack(`${q}!`));
      const [text, object] = await next(socket, "hello");
      expect(text).toBe("world");
      expect(object).toEqual({ n: 1 });
      await expect.poll(() => answer).toBeDefined();
      await expect(answer).resolves.toBe("x!");
    });

    it("fails an emit's ack with an error when the timeout passes without a reply", async () => {
      await start(() => {});
      const socket = connect();
      await next(socket, "connect");
      const [error] = await new Promise<[Error | null]>((resolve) =>
        socket.timeout(30).emit("ignored", (err: Error | null) => resolve([err])),
      );
      expect(error?.message).toBe("operation has timed out");
      expect(error).toMatchObject({ event: "ignored", timeout: 30, tries: 1 });
      await expect(socket.timeout(30).emitWithAck("ignored")).rejects.toThrow(
        "operation has timed out",
      );
    });

    it("carries binary data both ways", async () => {
      await start((io) =>
        io.on("connection", (s) =>
          s.on("echo", (data: Buffer, ack) => ack({ size: data.length, back: data })),
        ),
      );
      const socket = connect();
      const bytes = new Uint8Array([1, 2, 3, 250]);
      const reply = (await socket.emitWithAck("echo", bytes)) as { size: number; back: unknown };
      expect(reply.size).toBe(4);
      expect(new Uint8Array(reply.back as ArrayBuffer)).toEqual(bytes);
    });

    /** A server answering every event with its arguments, Buffers as byte arrays. */
    async function startEcho(options = {}): Promise<TestServer> {
      return start(
        (io) =>
          io.on("connection", (s) =>
            s.onAny((...args: unknown[]) => {
              const ack = args.pop() as (reply: unknown) => void;
              ack(args.map((arg) => (Buffer.isBuffer(arg) ? [...arg] : arg)));
            }),
          ),
        options,
      );
    }

    it("refuses a detached buffer at emit, writing nothing, and keeps the connection", async () => {
      await startEcho();
      const socket = connect();
      await next(socket, "connect");
      const disconnects: string[] = [];
      socket.on("disconnect", (reason) => disconnects.push(reason));
      const buffer = new ArrayBuffer(8);
      const view = new Uint8Array(buffer, 2);
      structuredClone(buffer, { transfer: [buffer] }); // as postMessage to a worker does
      for (const value of [buffer, view]) {
        expect(() => socket.emit("bin", value)).toThrow(/^Wireline: .*detached ArrayBuffer/);
      }
      expect(await socket.timeout(2000).emitWithAck("after", 1)).toEqual(["after", 1]);
      expect(disconnects).toEqual([]);
    });

    it("sends toJSON() results beside binary, binary from toJSON() and shared memory's bytes", async () => {
      await startEcho();
      const socket = connect();
      const shared = new SharedArrayBuffer(2);
      new Uint8Array(shared).set([3, 4]);
      const chunk = { toJSON: () => new Uint8Array([7, 8]) };
      const url = new URL("https://example.com/doc");
      const reply = await socket
        .timeout(2000)
        .emitWithAck("mixed", new Uint8Array([1]), { url }, chunk, shared);
      expect(reply).toEqual(["mixed", [1], { url: url.href }, [7, 8], [3, 4]]);
    });

    it("keeps a Blob sent as base64 (forceBase64) ahead of the next emit", async () => {
      await startEcho();
      const socket = connect("/", { forceBase64: true });
      await next(socket, "connect");
      const disconnects: string[] = [];
      socket.on("disconnect", (reason) => disconnects.push(reason));
      const blob = socket.timeout(2000).emitWithAck("blob", new Blob([new Uint8Array([1, 2])]));
      const after = socket.timeout(2000).emitWithAck("next", 1);
      expect(await Promise.all([blob, after])).toEqual([
        ["blob", [1, 2]],
        ["next", 1],
      ]);
      expect(disconnects).toEqual([]);
    });

    it("multiplexes namespaces over one connection", async () => {
      await start((io) => {
        io.of("/chat").on("connection", (s) => s.emit("where", "chat"));
      });
      const main = io(`${server?.url}/`, { WebSocket, transports });
      const chat = io(`${server?.url}/chat`, { WebSocket, transports });
      sockets.push(main, chat);
      expect(chat.io).toBe(main.io);
      const [where] = await next(chat, "where");
      expect(where).toBe("chat");
      // Must force a new connection for a second socket to the same namespace.
      const again = io(`${server?.url}/chat`, { WebSocket, transports });
      sockets.push(again);
      expect(again.io).not.toBe(chat.io);
    });

    it("sends auth in CONNECT and reports middleware refusals with err.data", async () => {
      await start((io) =>
        io.use((s, nextFn) => {
          if (s.handshake.auth.token === "good") return nextFn();
          const error = new Error("not authorized") as Error & { data?: unknown };
          error.data = { retry: false };
          nextFn(error);
        }),
      );
      const refused = connect("/", { auth: { token: "bad" } });
      const [error] = await next<[Error & { data?: unknown }]>(refused, "connect_error");
      expect(error.message).toBe("not authorized");
      expect(error.data).toEqual({ retry: false });
      expect(refused.active).toBe(false);
      const accepted = connect("/", { auth: (cb) => cb({ token: "good" }) });
      await next(accepted, "connect");
    });

    it("rejects reserved event names with a clear error", async () => {
      await start(() => {});
      const socket = connect();
      expect(() => socket.emit("connect" as never)).toThrow(
        'Wireline: "connect" is a reserved event name',
      );
    });

    it("reports the server's disconnect and does not reconnect", async () => {
      await start((io) => io.on("connection", (s) => s.on("kick", () => s.disconnect())));
      const socket = connect();
      await next(socket, "connect");
      socket.emit("kick");
      const [reason] = await next(socket, "disconnect");
      expect(reason).toBe("io server disconnect");
      expect(socket.active).toBe(false);
    });

    it("reports a client disconnect with its reason", async () => {
      await start(() => {});
      const socket = connect();
      await next(socket, "connect");
      const closed = next(socket, "disconnect");
      socket.disconnect();
      expect((await closed)[0]).toBe("io client disconnect");
      expect(socket.io.getSnapshot().status).toBe("disconnected");
    });

    it("delivers what was emitted just before disconnect(), then the disconnect itself", async () => {
      const received: unknown[] = [];
      let serverReason: Promise<unknown> | undefined;
      await start((io) =>
        io.on("connection", (s) => {
          s.onAny((event: string, value: unknown) => received.push(`${event} ${value}`));
          serverReason = next(s, "disconnect").then(([reason]) => reason);
        }),
      );
      const socket = connect();
      await next(socket, "connect");
      // Over polling the first POST is still in flight when the others are written.
      for (let n = 0; n < 5; n++) socket.emit("n", n);
      socket.disconnect();
      await expect.poll(() => serverReason).toBeDefined();
      expect(await serverReason).toBe("client namespace disconnect");
      expect(received).toEqual(["n 0", "n 1", "n 2", "n 3", "n 4"]);
    });

    // socket.io-client's behaviour in browsers (its Node XHR reports the cut differently).
    if (transports.join() === "polling")
      it("a polling request cut off once connected: the Manager's error, then disconnect with it", async () => {
        const server = await start(() => {});
        const socket = connect("/", { reconnection: false });
        await next(socket, "connect");
        const managerError = next<[Error & { type?: string; description?: unknown }]>(
          socket.io,
          "error",
        );
        const disconnected = next(socket, "disconnect");
        (
          server.io as unknown as { httpServer: { closeAllConnections(): void } }
        ).httpServer.closeAllConnections();
        const [error] = await managerError;
        expect(error.message).toBe("xhr poll error");
        expect(error.type).toBe("TransportError");
        // No HTTP status came: 0, as an XHR's.
        expect(error.description).toBe(0);
        expect(await disconnected).toEqual(["transport error", error]);
      });

    it("reconnects after a server restart", async () => {
      await start((io) => io.on("connection", (s) => s.on("ping?", (ack) => ack("pong!"))));
      const socket = connect();
      await next(socket, "connect");
      const firstId = socket.id;
      await expect.poll(() => socket.io.getSnapshot().transport).toBe(transports.at(-1));
      const via = socket.io.getSnapshot().transport;
      const reconnected = next(socket.io, "reconnect");
      const dropped = next(socket, "disconnect");
      await server?.restart();
      // Must match socket.io-client: a failed poll is a "transport error".
      expect((await dropped)[0]).toBe(via === "polling" ? "transport error" : "transport close");
      await reconnected;
      if (!socket.connected) await next(socket, "connect");
      expect(socket.id).not.toBe(firstId);
      await expect(socket.emitWithAck("ping?")).resolves.toBe("pong!");
    });

    it("drops a volatile emit made while disconnected", async () => {
      const seen: string[] = [];
      await start((io) => io.on("connection", (s) => s.on("v", (x: string) => seen.push(x))));
      const socket = connect();
      socket.volatile.emit("v", "lost");
      await next(socket, "connect");
      // Sent only when the transport is idle (the CONNECT may still be in flight over polling).
      await expect
        .poll(() => socket.io.engine?.writable && socket.io.engine.transport?.writable)
        .toBe(true);
      socket.volatile.emit("v", "kept");
      socket.emit("v", "last");
      await expect.poll(() => seen).toEqual(["kept", "last"]);
    });

    it("drops a volatile emit while the transport is still writing, as socket.io-client", async () => {
      const seen: string[] = [];
      await start((io) => io.on("connection", (s) => s.on("v", (x: string) => seen.push(x))));
      const socket = connect();
      await next(socket, "connect");
      await expect
        .poll(() => socket.io.engine?.writable && socket.io.engine.transport?.writable)
        .toBe(true);
      socket.emit("v", "first");
      socket.volatile.emit("v", "dropped");
      socket.emit("v", "last");
      await expect.poll(() => seen).toEqual(["first", "last"]);
    });

    it.skipIf(!capabilities.recovery)(
      "recovers the session and the missed events after a dropped transport",
      async () => {
        await start(
          (io) =>
            io.on("connection", (s) => {
              s.on("drop", () => s.conn.close());
              s.on("join", (ack) => {
                s.join("room");
                ack();
              });
            }),
          { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } },
        );
        const socket = connect();
        await next(socket, "connect");
        expect(socket.recovered).toBe(false);
        await socket.emitWithAck("join");
        const received: string[] = [];
        socket.on("news", (x: string) => received.push(x));
        server?.io.to("room").emit("news", "one");
        await expect.poll(() => received).toEqual(["one"]);
        const id = socket.id;
        socket.emit("drop");
        await next(socket, "disconnect");
        server?.io.to("room").emit("news", "missed");
        await next(socket, "connect");
        // Must restore the id and replay what was missed, with the offset stripped from the args.
        expect(socket.recovered).toBe(true);
        expect(socket.id).toBe(id);
        await expect.poll(() => received).toEqual(["one", "missed"]);
      },
    );

    it.skipIf(!capabilities.recovery)(
      "takes no long string of a volatile event for an offset, and recovers after it (binary events too)",
      async () => {
        await start((io) => io.on("connection", (s) => s.on("drop", () => s.conn.close())), {
          connectionStateRecovery: { maxDisconnectionDuration: 10_000 },
        });
        const socket = connect();
        await next(socket, "connect");
        const received: string[] = [];
        const describe = (event: string, args: unknown[]) =>
          `${event}(${args.map((arg) => (typeof arg === "string" ? arg.slice(0, 8) : "binary")).join(", ")})`;
        socket.onAny((event: string, ...args: unknown[]) => received.push(describe(event, args)));
        server?.io.emit("plain", "one");
        server?.io.emit("bin", Buffer.from([1, 2]), "label");
        await expect.poll(() => received).toEqual(["plain(one)", "bin(binary, label)"]);
        // socket.io logs no offset for a volatile event: its last string is the app's. Dropped
        // while the transport is busy, it is sent until one arrives.
        const volley = setInterval(() => server?.io.volatile.emit("vol", "v".repeat(100)), 50);
        await expect
          .poll(() => received.length)
          .toBeGreaterThan(2)
          .finally(() => clearInterval(volley));
        socket.emit("drop");
        await next(socket, "disconnect");
        await next(socket, "connect");
        // Recovered from the binary event's offset: nothing is replayed twice.
        expect(socket.recovered).toBe(true);
        server?.io.emit("plain", "after");
        await expect.poll(() => received.at(-1)).toBe("plain(after)");
        expect(received.slice(0, 2)).toEqual(["plain(one)", "bin(binary, label)"]);
        expect(new Set(received.slice(2, -1))).toEqual(new Set(["vol(vvvvvvvv)"]));
      },
    );

    it("retries unacknowledged emits, pipelined and in order, with ids a server can dedupe", async () => {
      const processed: number[] = [];
      let duplicates = 0;
      let firstSends = 0;
      await start((io) =>
        io.on("connection", (s) => {
          const seen = new Set<number>();
          // Raw messages carry the ack id. socket.io dispatches a tick after the raw message, the
          // mock server just before it: read the id in a microtask, after both, in order.
          const rawIds: number[] = [];
          s.conn.on("message", (data: unknown) => {
            const match = typeof data === "string" ? /^2(\d+)\[/.exec(data) : null;
            if (match) rawIds.push(Number(match[1]));
          });
          s.on("save", (n: number, ack: (r: string) => void) =>
            queueMicrotask(() => {
              const id = rawIds.shift() ?? -1;
              if (seen.has(id)) {
                duplicates++;
                ack(`ok ${n}`);
                return;
              }
              seen.add(id);
              processed.push(n);
              firstSends++;
              // Lose every other first ack, so the client must retry those.
              if (n % 2 === 0) ack(`ok ${n}`);
            }),
          );
        }),
      );
      const socket = connect("/", { retries: 3, ackTimeout: 250 });
      const replies = await Promise.all([0, 1, 2, 3, 4].map((n) => socket.emitWithAck("save", n)));
      // Must deliver each emit exactly once to the handler, in order, and ack every one.
      expect(replies).toEqual(["ok 0", "ok 1", "ok 2", "ok 3", "ok 4"]);
      expect(processed).toEqual([0, 1, 2, 3, 4]);
      expect(firstSends).toBe(5);
      // The two lost acks force at least two retries; on a loaded machine an ack can also arrive
      // after its 250 ms timeout, which adds a retry the server must drop as well.
      expect(duplicates).toBeGreaterThanOrEqual(2);
    });

    it("spends no try while disconnected: the first goes out at connect, its deadline with it", async () => {
      const seen: string[] = [];
      await start((io) =>
        io.on("connection", (s) =>
          s.on("e", (x: string, ack: (n: number) => void) => {
            seen.push(x);
            ack(1);
          }),
        ),
      );
      // A deadline long enough that a loaded machine's ack still makes it, so one try suffices.
      const socket = connect("/", { retries: 1, ackTimeout: 400, autoConnect: false });
      const settled: unknown[][] = [];
      socket.emit("e", "waits", (...args: unknown[]) => settled.push(args));
      // Both tries' deadlines pass while disconnected: socket.io-client spends no try on them.
      await new Promise((resolve) => setTimeout(resolve, 900));
      expect(settled).toEqual([]);
      socket.connect();
      await expect.poll(() => settled).toEqual([[null, 1]]);
      expect(seen).toEqual(["waits"]);
    });

    it("never sends late a timed-out emit buffered while disconnected", async () => {
      const seen: string[] = [];
      await start((io) => io.on("connection", (s) => s.on("e", (x: string) => seen.push(x))));
      const socket = connect("/", { autoConnect: false });
      await new Promise((resolve) => socket.timeout(10).emit("e", "stale", resolve));
      socket.connect();
      socket.emit("e", "fresh");
      await expect.poll(() => seen).toEqual(["fresh"]);
    });

    it("loses and reorders no packet across the transport upgrade", async () => {
      const seen: number[] = [];
      await start((io) =>
        io.on("connection", (s) => {
          s.on("n", (n: number) => seen.push(n));
          for (let n = 0; n < 50; n++) s.emit("down", n);
        }),
      );
      const received: number[] = [];
      const socket = connect();
      socket.on("down", (n: number) => received.push(n));
      await next(socket, "connect");
      for (let n = 0; n < 50; n++) socket.emit("n", n);
      const upgraded = transports.length > 1 && socket.io.getSnapshot().transport !== "websocket";
      if (upgraded) await next(socket.io.engine as never, "upgrade");
      for (let n = 50; n < 100; n++) socket.emit("n", n);
      const all = Array.from({ length: 100 }, (_, n) => n);
      await expect.poll(() => seen).toEqual(all);
      expect(received).toEqual(all.slice(0, 50));
    });

    it("sends query parameters and extra headers with the handshake", async () => {
      let seen: { query: unknown; header: unknown } | undefined;
      await start((io) =>
        io.on("connection", (s) => {
          seen = { query: s.handshake.query.room, header: s.handshake.headers["x-app"] };
        }),
      );
      const socket = connect("/?room=blue", { extraHeaders: { "x-app": "wireline" } });
      await next(socket, "connect");
      await expect.poll(() => seen).toEqual({ query: "blue", header: "wireline" });
    });

    it("counts emits waiting for the connection in the snapshot's outboxSize", async () => {
      await start(() => {});
      const socket = connect("/", { autoConnect: false });
      socket.emit("a");
      socket.emit("b");
      expect(socket.io.getSnapshot().outboxSize).toBe(2);
      socket.connect();
      await next(socket, "connect");
      expect(socket.io.getSnapshot().outboxSize).toBe(0);
    });
  },
);
