import { createServer, type Server as HttpServer } from "node:http";
import { type AddressInfo, connect as netConnect } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { Server, type ServerSocket } from "../src/index.ts";
import { connected, upgradeRequest } from "./helpers.ts";

// The socket.io Server API subset, exercised with the official socket.io-client 4.8.

let io: Server;
let url: string;
const clients: Socket[] = [];

async function start(setup: (server: Server) => void, options = {}, port = 0): Promise<void> {
  const httpServer = createServer();
  io = new Server(httpServer, { pingInterval: 200, pingTimeout: 300, ...options });
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

function client(path = "", options: Parameters<typeof connect>[1] = {}): Socket {
  const socket = connect(url + path, {
    forceNew: true,
    transports: ["websocket"],
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    ...options,
  });
  clients.push(socket);
  return socket;
}

/** The server socket of the client that just connected. */
function nextServerSocket(namespace = "/"): Promise<ServerSocket> {
  return new Promise((resolve) => io.of(namespace).once("connection", resolve));
}

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  await io?.close();
});

describe("acknowledgements with timeouts", () => {
  it("fails a server emit with 'operation has timed out' when the client never acknowledges", async () => {
    await start(() => undefined);
    const serverSide = nextServerSocket();
    const socket = client();
    socket.on("ignored", () => undefined);
    await connected(socket);
    const error = await new Promise<Error | null>(
      (resolve) =>
        void serverSide.then((s) =>
          s.timeout(100).emit("ignored", 1, (err: Error | null) => resolve(err)),
        ),
    );
    expect(error?.message).toBe("operation has timed out");
  });

  it("rejects the server's emitWithAck on timeout and resolves it when the client answers", async () => {
    await start(() => undefined);
    const serverSide = nextServerSocket();
    const socket = client();
    socket.on("double", (n: number, ack: (m: number) => void) => ack(n * 2));
    await connected(socket);
    const server = await serverSide;
    expect(await server.timeout(1000).emitWithAck("double", 21)).toBe(42);
    await expect(server.timeout(50).emitWithAck("nobody-listens")).rejects.toThrow(
      "operation has timed out",
    );
  });

  it("lets the client time out an event the server never acknowledges", async () => {
    await start((server) => server.on("connection", (s) => s.on("black-box", () => undefined)));
    const socket = client();
    await connected(socket);
    await expect(socket.timeout(50).emitWithAck("black-box")).rejects.toThrow();
  });

  it("collects one acknowledgement per client for a broadcast, or fails with those received", async () => {
    await start(() => undefined);
    const [a, b] = [client(), client()];
    a.on("vote", (ack: (choice: string) => void) => ack("yes"));
    b.on("vote", (ack: (choice: string) => void) => ack("no"));
    await Promise.all([a, b].map(connected));
    const votes = (await io.timeout(1000).emitWithAck("vote")) as string[];
    expect(votes.sort()).toEqual(["no", "yes"]);

    const silent = client();
    silent.on("vote", () => undefined);
    await connected(silent);
    const outcome = await new Promise<[Error | null, unknown[]]>((resolve) =>
      io
        .timeout(150)
        .emit("vote", (error: Error | null, responses: unknown[]) => resolve([error, responses])),
    );
    expect(outcome[0]?.message).toBe("operation has timed out");
    expect(outcome[1]).toHaveLength(2);
  });
});

describe("volatile events", () => {
  it("delivers a volatile event over an open WebSocket", async () => {
    await start((server) =>
      server.on("connection", (s) => s.on("go", () => s.volatile.emit("light", 1))),
    );
    const socket = client();
    await connected(socket);
    const light = new Promise((resolve) => socket.once("light", resolve));
    socket.emit("go");
    expect(await light).toBe(1);
  });

  it("drops a volatile event when the polling transport cannot take it now, keeping the others", async () => {
    await start((server) =>
      server.on("connection", (s) =>
        s.on("go", () => {
          // The first emit takes the waiting GET (if any), so the volatile one finds none.
          s.emit("seq", "a");
          s.volatile.emit("seq", "b");
          s.emit("seq", "c");
        }),
      ),
    );
    const socket = client("", { transports: ["polling"] });
    await connected(socket);
    const seen: string[] = [];
    socket.on("seq", (value: string) => seen.push(value));
    socket.emit("go");
    await expect.poll(() => seen).toEqual(["a", "c"]);
  });
});

describe("catch-all listeners", () => {
  it("reports incoming events to onAny and outgoing ones (also broadcasts) to onAnyOutgoing", async () => {
    const incoming: unknown[][] = [];
    const outgoing: unknown[][] = [];
    await start((server) =>
      server.on("connection", (s) => {
        s.onAny((...args) => incoming.push(args));
        s.onAnyOutgoing((...args) => outgoing.push(args));
        s.on("hello", () => {
          s.emit("direct", 1);
          server.emit("to-all", 2);
        });
      }),
    );
    const socket = client();
    await connected(socket);
    const last = new Promise((resolve) => socket.once("to-all", resolve));
    socket.emit("hello", "there");
    await last;
    expect(incoming).toEqual([["hello", "there"]]);
    expect(outgoing).toEqual([
      ["direct", 1],
      ["to-all", 2],
    ]);
  });
});

describe("server-side socket management", () => {
  it("fetches, joins, leaves and disconnects sockets by room", async () => {
    await start(() => undefined);
    const [a, b] = [client(), client()];
    await Promise.all([a, b].map(connected));
    expect(await io.fetchSockets()).toHaveLength(2);
    io.in(a.id!).socketsJoin("vip");
    expect((await io.in("vip").fetchSockets()).map((s) => s.id)).toEqual([a.id]);
    const toVip = new Promise((resolve) => a.once("perk", resolve));
    let bGotPerk = false;
    b.on("perk", () => {
      bGotPerk = true;
    });
    io.to("vip").emit("perk", "lounge");
    expect(await toVip).toBe("lounge");
    expect(bGotPerk).toBe(false);
    io.socketsLeave("vip");
    expect(await io.in("vip").fetchSockets()).toHaveLength(0);
    const kicked = new Promise((resolve) => b.once("disconnect", resolve));
    io.except(a.id!).disconnectSockets();
    expect(await kicked).toBe("io server disconnect");
    expect(a.connected).toBe(true);
  });

  it("fills socket.handshake like socket.io and keeps socket.data and rooms", async () => {
    await start(() => undefined);
    const serverSide = nextServerSocket();
    const socket = client("", { auth: { token: "abc" }, query: { room: "7" } });
    await connected(socket);
    const server = await serverSide;
    expect(server.id).toBe(socket.id);
    expect(server.handshake).toMatchObject({
      auth: { token: "abc" },
      query: { room: "7", EIO: "4", transport: "websocket" },
      address: expect.stringContaining("127.0.0.1"),
      xdomain: false,
      secure: false,
      url: expect.stringContaining("/socket.io/?"),
    });
    expect(typeof server.handshake.time).toBe("string");
    expect(server.handshake.issued).toBeLessThanOrEqual(Date.now());
    expect(server.handshake.headers.host).toBe(url.slice("http://".length));
    expect([...server.rooms]).toEqual([socket.id]);
    server.join(["a", "b"]);
    server.leave("a");
    expect([...server.rooms]).toEqual([socket.id, "b"]);
  });

  it("fills handshake.address over polling too, and gives socket.request and conn.protocol", async () => {
    await start(() => undefined);
    const serverSide = nextServerSocket();
    const socket = client("", { transports: ["polling"] });
    await connected(socket);
    const server = await serverSide;
    // The polling handshake's request is over by the CONNECT: the address is kept from it.
    expect(server.handshake.address).toContain("127.0.0.1");
    expect(server.request.headers.host).toBe(url.slice("http://".length));
    expect(server.conn.protocol).toBe(4);
  });

  it("runs middlewares on a socket not connected yet and in no room, as socket.io", async () => {
    const seen: unknown[] = [];
    await start((server) => {
      server.use((s, next) => {
        seen.push([s.connected, [...s.rooms]]);
        next();
      });
      server.on("connection", (s) => seen.push([s.connected, [...s.rooms]]));
    });
    const socket = client();
    await connected(socket);
    expect(seen).toEqual([
      [false, []],
      [true, [socket.id]],
    ]);
  });

  it("reads rooms and their members through nsp.adapter, as scripts do with socket.io's", async () => {
    await start((server) => server.on("connection", (s) => s.join("lobby")));
    const [first, second] = [client(), client()];
    await Promise.all([first, second].map(connected));
    const { rooms, sids } = io.of("/").adapter;
    expect(rooms.get("lobby")).toEqual(new Set([first.id, second.id]));
    expect(rooms.get(first.id!)).toEqual(new Set([first.id]));
    expect(sids.get(second.id!)).toEqual(new Set([second.id, "lobby"]));
    expect(io.sockets.adapter.rooms.get("nobody")?.size ?? 0).toBe(0);
  });

  it("empties socket.rooms once disconnected", async () => {
    const rooms: string[][] = [];
    await start((server) =>
      server.on("connection", (s) => {
        s.join("lobby");
        s.on("disconnect", () => rooms.push([...s.rooms]));
      }),
    );
    const socket = client();
    await connected(socket);
    socket.disconnect();
    await expect.poll(() => rooms).toEqual([[]]);
  });

  it("emits disconnecting while the socket is still in its rooms, then disconnect", async () => {
    const events: string[] = [];
    await start((server) =>
      server.on("connection", (s) => {
        s.join("lobby");
        s.on("disconnecting", (reason: string) =>
          events.push(`disconnecting ${reason} ${[...s.rooms].includes("lobby")}`),
        );
        s.on("disconnect", (reason: string) => events.push(`disconnect ${reason}`));
      }),
    );
    const socket = client();
    await connected(socket);
    socket.disconnect();
    await expect
      .poll(() => events)
      .toEqual([
        "disconnecting client namespace disconnect true",
        "disconnect client namespace disconnect",
      ]);
  });

  it("reports 'server shutting down' to server sockets when the server closes", async () => {
    const reasons: string[] = [];
    await start((server) =>
      server.on("connection", (s) => s.on("disconnect", (reason: string) => reasons.push(reason))),
    );
    const socket = client("", { reconnection: false });
    await connected(socket);
    await io.close();
    expect(reasons).toEqual(["server shutting down"]);
  });

  it("closes a WebSocket whose peer never answers the close frame after a second, not ws's 30 s", async () => {
    await start(() => undefined);
    // A client that upgraded and then stopped reading (a frozen process, a dead path): it never
    // answers the close frame, and ws waits 30 s for it.
    const { port } = new URL(url);
    const silent = netConnect(Number(port), "127.0.0.1");
    silent.on("error", () => undefined);
    silent.write(upgradeRequest());
    await expect.poll(() => io.engine.clientsCount).toBe(1);
    silent.pause();
    const closed = await Promise.race([
      io.close().then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 5000)),
    ]);
    expect(closed).toBe("closed");
    silent.destroy();
  });

  it("calls a second close()'s callback with Node's 'Server is not running.', as socket.io", async () => {
    await start(() => undefined);
    const first = await new Promise((resolve) => io.close(resolve));
    const second = await new Promise<Error | undefined>((resolve) => io.close(resolve));
    expect(first).toBeUndefined();
    expect(second?.message).toBe("Server is not running.");
  });
});

describe("namespaces and middlewares", () => {
  it("refuses an unknown namespace with 'Invalid namespace'", async () => {
    await start(() => undefined);
    const socket = client("/nowhere");
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toBe("Invalid namespace");
  });

  it("creates namespaces from a function and broadcasts from a RegExp parent to its children", async () => {
    let rooms: ReturnType<Server["of"]> | undefined;
    await start((server) => {
      server.of((name, _auth, next) => next(null, name.startsWith("/team-")));
      rooms = server.of(/^\/room-\w+$/);
    });
    const team = client("/team-red");
    const [r1, r2] = [client("/room-a"), client("/room-b")];
    await Promise.all([team, r1, r2].map(connected));
    const heard = Promise.all(
      [r1, r2].map((s) => new Promise((resolve) => s.once("announce", resolve))),
    );
    rooms!.emit("announce", "hi rooms");
    expect(await heard).toEqual(["hi rooms", "hi rooms"]);
    // A parent has no sockets of its own: socket.io refuses to fetch them.
    expect(() => rooms!.fetchSockets()).toThrow(
      "fetchSockets() is not supported on parent namespaces",
    );
    expect(await io.of("/room-a").fetchSockets()).toHaveLength(1);
  });

  it("runs io.use and nsp.use in order, and turns a throwing middleware into connect_error", async () => {
    const order: string[] = [];
    await start((server) => {
      server.use((_s, next) => {
        order.push("io");
        next();
      });
      server.of("/guarded").use(() => {
        throw new Error("middleware blew up");
      });
    });
    const main = client();
    await connected(main);
    expect(order).toEqual(["io"]);
    const guarded = client("/guarded");
    const error = await new Promise<Error>((resolve) => guarded.once("connect_error", resolve));
    expect(error.message).toBe("middleware blew up");
    expect(main.connected).toBe(true);
  });

  it("skips the middlewares of a recovered socket unless skipMiddlewares is false", async () => {
    let runs = 0;
    await start(
      (server) => {
        server.use((_s, next) => {
          runs++;
          next();
        });
        server.on("connection", (s) => s.emit("offset-please"));
      },
      { connectionStateRecovery: { skipMiddlewares: false } },
    );
    const socket = client();
    // socket.io-client asks for recovery only once an event gave it an offset.
    const first = new Promise((resolve) => socket.once("offset-please", resolve));
    await connected(socket);
    await first;
    io.faults.restart({ keepRecoveryState: true });
    await new Promise((resolve) => socket.once("disconnect", resolve));
    await connected(socket);
    expect(socket.recovered).toBe(true);
    expect(runs).toBe(2);
  });
});

describe("recovery and timing as socket.io", () => {
  it("hands a recovered client what it missed before its connect event, and keeps pid in auth", async () => {
    let auth: Record<string, unknown> | undefined;
    await start(
      (server) => {
        server.on("connection", (s) => {
          auth = s.handshake.auth;
          if (!s.recovered) s.emit("tick", 0);
        });
      },
      { connectionStateRecovery: {} },
    );
    const socket = client("", { auth: { token: "t" } });
    const order: string[] = [];
    socket.on("tick", (n: number) => order.push(`tick ${n}`));
    socket.on("connect", () => order.push(`connect ${socket.recovered}`));
    await expect.poll(() => order).toEqual(["connect false", "tick 0"]);
    io.faults.restart({ keepRecoveryState: true });
    await new Promise((resolve) => socket.once("disconnect", resolve));
    io.emit("tick", 1);
    await expect.poll(() => order.length).toBe(4);
    expect(order.slice(2)).toEqual(["tick 1", "connect true"]);
    expect(auth).toMatchObject({ token: "t", pid: expect.any(String), offset: expect.any(String) });
  });

  it("closes a connection whose middleware outlasts connectTimeout", async () => {
    await start((server) => server.use((_s, next) => void setTimeout(next, 400)), {
      connectTimeout: 150,
    });
    const socket = client("", { reconnection: false });
    const outcome = await new Promise<string>((resolve) => {
      socket.once("connect", () => resolve("connected"));
      socket.io.once("close", (reason) => resolve(`closed: ${reason}`));
    });
    expect(outcome).toBe("closed: transport close");
  });

  it("reads and sets connectTimeout() and reads path() as socket.io's do, refusing what they cannot take", async () => {
    await start(() => {}, { path: "/realtime/" });
    expect(io.path()).toBe("/realtime");
    expect(() => io.path("/other" as never)).toThrow(
      /the path is fixed when the server is made; pass it as the "path" option/,
    );
    expect(io.connectTimeout()).toBe(45000);
    expect(() => io.connectTimeout(-1)).toThrow(
      'Wireline: the "connectTimeout" option takes a number of ms from 0 to 2147483647, got -1.',
    );
    expect(io.connectTimeout(150).connectTimeout()).toBe(150);
    // A connection made from then on has that long to join a namespace.
    io.use((_socket, next) => void setTimeout(next, 400));
    const socket = client("", { reconnection: false, path: "/realtime/" });
    const outcome = await new Promise<string>((resolve) => {
      socket.once("connect", () => resolve("connected"));
      socket.io.once("close", (reason) => resolve(`closed: ${reason}`));
    });
    expect(outcome).toBe("closed: transport close");
  });

  it("sends a message event with write(), as send(), from the server, a namespace and a socket", async () => {
    let serverSide: ServerSocket | undefined;
    await start((server) => server.on("connection", (s) => (serverSide = s)));
    const socket = client();
    await connected(socket);
    const heard: unknown[][] = [];
    socket.on("message", (...args) => heard.push(args));
    expect(io.write("server")).toBe(io);
    expect(io.of("/").write("namespace")).toBe(io.of("/"));
    expect(serverSide?.write("socket", 1)).toBe(serverSide);
    await expect.poll(() => heard).toEqual([["server"], ["namespace"], ["socket", 1]]);
  });

  it("tells every socket of the connection why, with its error event, before an undecodable packet ends it", async () => {
    const errors: string[] = [];
    await start((server) =>
      server.on("connection", (s) => s.on("error", (e: Error) => errors.push(e.name))),
    );
    const socket = client("", { reconnection: false });
    await connected(socket);
    const closed = new Promise((resolve) => socket.once("disconnect", resolve));
    socket.io.engine.write("4zzz");
    await closed;
    expect(errors).toEqual(["DecodeError"]);
  });
});

describe("oversized messages", () => {
  it("over polling: the client's write fails and it leaves, with socket.io's reasons on both sides", async () => {
    const serverReasons: string[] = [];
    await start(
      (server) =>
        server.on("connection", (s) => s.on("disconnect", (r: string) => serverReasons.push(r))),
      {
        maxHttpBufferSize: 1000,
      },
    );
    const socket = client("", { transports: ["polling"], reconnection: false });
    await connected(socket);
    const clientReason = new Promise((resolve) => socket.once("disconnect", resolve));
    socket.emit("big", "x".repeat(2000));
    expect(await clientReason).toBe("transport error");
    await expect.poll(() => serverReasons).toEqual(["transport close"]);
  });
});

describe("restarts", () => {
  it("lets a client reconnect to a new server on the same port after the old one closed", async () => {
    await start((server) => server.on("connection", (s) => s.emit("hello", "first")));
    const port = Number(new URL(url).port);
    const socket = client("", { transports: ["polling", "websocket"] });
    await connected(socket);
    const lost = new Promise((resolve) => socket.once("disconnect", resolve));
    await io.close();
    await lost;
    await start((server) => server.on("connection", (s) => s.emit("hello", "second")), {}, port);
    expect(await new Promise((resolve) => socket.once("hello", resolve))).toBe("second");
  });
});

describe("construction", () => {
  it("attaches later with io.listen(httpServer) and serves other paths through the app's handler", async () => {
    const httpServer: HttpServer = createServer((_request, response) => response.end("app"));
    io = new Server({ pingInterval: 200 });
    io.listen(httpServer);
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    expect(await (await fetch(`${url}/other`)).text()).toBe("app");
    const socket = client();
    await connected(socket);
  });
});
