import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { Server, type ServerSocket } from "../src/index.ts";
import { connected } from "./helpers.ts";

// The official socket.io-client 4.8 against the mock server, over each transport.

let io: Server;
const clients: Socket[] = [];

async function start(setup: (server: Server) => void, options = {}): Promise<string> {
  const httpServer = createServer();
  io = new Server(httpServer, { pingInterval: 200, pingTimeout: 300, ...options });
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

function client(url: string, options: Parameters<typeof connect>[1] = {}): Socket {
  const socket = connect(url, {
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
    ...options,
  });
  clients.push(socket);
  return socket;
}

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  await io?.close();
});

function echoServer(server: Server): void {
  server.on("connection", (socket: ServerSocket) => {
    socket.emit("welcome", socket.handshake.auth);
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.pop() as (...reply: unknown[]) => void;
      ack(...args);
    });
  });
}

const transportCases: Array<[string, { transports?: Array<"polling" | "websocket"> }, string]> = [
  ["polling only", { transports: ["polling"] }, "polling"],
  ["websocket only", { transports: ["websocket"] }, "websocket"],
  ["polling upgraded to websocket", {}, "websocket"],
];

describe.each(transportCases)("socket.io-client over %s", (_name, options, finalTransport) => {
  it("connects with auth, exchanges acks both ways and binary, and ends on the expected transport", async () => {
    const url = await start((server) => {
      echoServer(server);
      server.on("connection", (socket: ServerSocket) => {
        socket.on("ask", async (ack: (reply: unknown) => void) => {
          ack(await socket.timeout(1000).emitWithAck("question", "2+2"));
        });
      });
    });
    const socket = client(url, { ...options, auth: { token: "t" } });
    socket.on("question", (_q: string, ack: (a: number) => void) => ack(4));
    const welcome = new Promise((resolve) => socket.once("welcome", resolve));
    await connected(socket);
    expect(await welcome).toEqual({ token: "t" });
    expect(await socket.timeout(1000).emitWithAck("echo", "hi", { n: 1 })).toBe("hi");
    const bytes = await socket.timeout(1000).emitWithAck("echo", Buffer.from([1, 2, 3]));
    expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(await socket.timeout(1000).emitWithAck("ask")).toBe(4);
    await expect.poll(() => socket.io.engine.transport.name).toBe(finalTransport);
    // A few heartbeats pass (pingInterval 200 ms) and the session stays up.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(socket.connected).toBe(true);
  });
});

describe("socket.io-client against the mock server", () => {
  it("reaches dynamic namespaces and is refused by middleware with message and data", async () => {
    const url = await start((server) => {
      server
        .of(/^\/room-\d+$/)
        .on("connection", (socket: ServerSocket) => socket.emit("where", socket.nsp.name));
      server.of("/private").use((_socket, next) => {
        const error = new Error("not authorized") as Error & { data?: unknown };
        error.data = { reason: "no token" };
        next(error);
      });
    });
    const room = client(`${url}/room-42`);
    expect(await new Promise((resolve) => room.once("where", resolve))).toBe("/room-42");
    const denied = client(`${url}/private`);
    const error = await new Promise<Error & { data?: unknown }>((resolve) =>
      denied.once("connect_error", resolve),
    );
    expect(error.message).toBe("not authorized");
    expect(error.data).toEqual({ reason: "no token" });
  });

  it("broadcasts to rooms and to everyone but the sender", async () => {
    const url = await start((server) => {
      server.on("connection", (socket: ServerSocket) => {
        socket.on("join", (room: string, ack: () => void) => {
          socket.join(room);
          ack();
        });
        socket.on("shout", (room: string, text: string) => socket.to(room).emit("heard", text));
      });
    });
    const [a, b, c] = [client(url), client(url), client(url)];
    await Promise.all([a, b, c].map(connected));
    await Promise.all([a, b].map((s) => s.timeout(1000).emitWithAck("join", "r1")));
    const heard = new Promise((resolve) => b.once("heard", resolve));
    let cHeard = false;
    c.on("heard", () => {
      cHeard = true;
    });
    a.emit("shout", "r1", "hello room");
    expect(await heard).toBe("hello room");
    expect(cHeard).toBe(false);
  });

  it("reconnects after the server drops every transport", async () => {
    const url = await start(echoServer);
    const socket = client(url, { transports: ["websocket"] });
    await connected(socket);
    const reconnected = new Promise<void>((resolve) =>
      socket.io.once("reconnect", () => resolve()),
    );
    io.faults.dropTransports();
    await reconnected;
    expect(await socket.timeout(1000).emitWithAck("echo", "again")).toBe("again");
  });

  it("falls back to polling when WebSocket is refused", async () => {
    const url = await start(echoServer);
    io.faults.refuseWebSocket();
    const socket = client(url);
    await connected(socket);
    expect(await socket.timeout(1000).emitWithAck("echo", "via polling")).toBe("via polling");
    expect(socket.io.engine.transport.name).toBe("polling");
  });

  it("recovers the connection state: same id, rooms, data, and the events missed while away", async () => {
    const url = await start(
      (server) => {
        server.on("connection", (socket: ServerSocket) => {
          if (!socket.recovered) {
            socket.join("news");
            socket.data.name = "ada";
          }
          socket.on("who", (ack: (reply: unknown) => void) => ack(socket.data.name));
        });
      },
      { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } },
    );
    const socket = client(url, { transports: ["websocket"] });
    const received: string[] = [];
    socket.on("headline", (text: string) => received.push(text));
    await connected(socket);
    const firstId = socket.id;
    io.to("news").emit("headline", "before");
    await expect.poll(() => received).toEqual(["before"]);

    const dropped = new Promise((resolve) => socket.once("disconnect", resolve));
    io.faults.restart({ keepRecoveryState: true });
    await dropped;
    io.to("news").emit("headline", "while away");
    await connected(socket);

    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(firstId);
    await expect.poll(() => received).toEqual(["before", "while away"]);
    expect(await socket.timeout(1000).emitWithAck("who")).toBe("ada");
  });

  it("does not recover after a restart that loses the recovery state", async () => {
    const url = await start(echoServer, { connectionStateRecovery: {} });
    const socket = client(url, { transports: ["websocket"] });
    await connected(socket);
    const firstId = socket.id;
    const dropped = new Promise((resolve) => socket.once("disconnect", resolve));
    io.faults.restart({ keepRecoveryState: false });
    await dropped;
    await connected(socket);
    expect(socket.recovered).toBe(false);
    expect(socket.id).not.toBe(firstId);
  });

  it("reports socket.io's disconnect reasons on both sides", async () => {
    const reasons: string[] = [];
    const url = await start((server) => {
      server.on("connection", (socket: ServerSocket) => {
        socket.on("disconnect", (reason: string) => reasons.push(`server: ${reason}`));
        socket.on("kick", () => socket.disconnect());
        socket.on("kick hard", () => socket.disconnect(true));
      });
    });
    const first = client(url, { transports: ["websocket"] });
    await connected(first);
    const firstReason = new Promise((resolve) => first.once("disconnect", resolve));
    first.emit("kick");
    expect(await firstReason).toBe("io server disconnect");

    const second = client(url, { transports: ["websocket"] });
    await connected(second);
    const secondReason = new Promise((resolve) => second.once("disconnect", resolve));
    second.emit("kick hard");
    expect(await secondReason).toBe("io server disconnect");

    const third = client(url, { transports: ["websocket"] });
    await connected(third);
    third.disconnect();
    await expect
      .poll(() => reasons)
      .toEqual([
        "server: server namespace disconnect",
        "server: server namespace disconnect",
        "server: client namespace disconnect",
      ]);
  });
});
