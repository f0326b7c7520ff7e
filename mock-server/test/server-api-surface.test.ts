// The parts of socket.io's Server, Namespace and Socket API beyond the feature suites that server
// scripts call: the server's listener methods, allSockets(), socket.local, path() and
// connectTimeout(). Each runs side by side with the official socket.io server.
import { describe, expect, it } from "vitest";
import type { Server, ServerSocket } from "../src/index.ts";
import { connected } from "./helpers.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

describe.each(implementations)("%s", (_name, make) => {
  it("runs a once('connection') listener for the first client only, and counts and removes listeners", async () => {
    let io: Server | undefined;
    const seen: string[] = [];
    const url = await start(make, (server: Server) => {
      io = server;
      server.once("connection", (socket) => seen.push(`once ${socket.handshake.auth.n}`));
    });
    const every = (socket: ServerSocket) => seen.push(`every ${socket.handshake.auth.n}`);
    io!.addListener("connection", every);
    expect(io!.listenerCount("connection")).toBe(2);
    expect(io!.listeners("connection")).toContain(every);

    await connected(client(url, { auth: { n: 1 } }));
    await expect.poll(() => seen).toEqual(["once 1", "every 1"]);
    expect(io!.listenerCount("connection")).toBe(1);
    io!.removeListener("connection", every);
    io!.on("connection", every);
    io!.removeAllListeners("connection");
    await connected(client(url, { auth: { n: 2 } }));
    expect(seen).toEqual(["once 1", "every 1"]);
  });

  it("gives the ids of the sockets a namespace, a room or the server has with allSockets()", async () => {
    let io: Server | undefined;
    const ids: string[] = [];
    const url = await start(make, (server: Server) => {
      io = server;
      server.on("connection", (socket) => {
        ids.push(socket.id);
        if (socket.handshake.auth.vip) socket.join("vip");
      });
    });
    await Promise.all([client(url), client(url, { auth: { vip: true } })].map(connected));
    await expect.poll(() => ids).toHaveLength(2);
    expect(await io!.allSockets()).toEqual(new Set(ids));
    expect(await io!.of("/").allSockets()).toEqual(new Set(ids));
    expect(await io!.in("vip").allSockets()).toEqual(new Set([ids[1]]));
    expect(await io!.of("/other").allSockets()).toEqual(new Set());
  });

  it("sends socket.local.emit to every other socket, as socket.broadcast on one server", async () => {
    const url = await start(make, (server: Server) =>
      server.on("connection", (socket) => {
        if (socket.handshake.auth.sender) socket.local.emit("news", "local");
      }),
    );
    const listener = client(url);
    await connected(listener);
    const heard = new Promise((resolve) => listener.once("news", resolve));
    const sender = client(url, { auth: { sender: true } });
    let senderHeard = false;
    sender.on("news", () => (senderHeard = true));
    expect(await heard).toBe("local");
    expect(senderHeard).toBe(false);
  });

  it("reads path() without its trailing slash and reads and sets connectTimeout()", async () => {
    let io: Server | undefined;
    await start(make, (server: Server) => (io = server), { path: "/realtime/" });
    expect(io!.path()).toBe("/realtime");
    expect(io!.connectTimeout()).toBe(45000);
    expect(io!.connectTimeout(200)).toBe(io);
    expect(io!.connectTimeout()).toBe(200);
  });
});

/** Public names on `value`'s prototype chain (socket.io marks internals with a leading "_"). */
function publicNames(value: object): string[] {
  const names = new Set<string>();
  for (let proto = value; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    for (const name of Object.getOwnPropertyNames(proto))
      if (!name.startsWith("_") && name !== "constructor") names.add(name);
  return [...names].sort();
}

// What socket.io has and the mock does not, each for a reason; anything else missing fails.
const NOT_MOCKED: Record<string, string[]> = {
  // Serving the client bundle, cluster adapters and uWebSockets are not for tests; the rest
  // are socket.io's internals (public in JavaScript only).
  Server: [
    "adapter",
    "attachApp",
    "attachServe",
    "bind",
    "emitReserved",
    "emitUntyped",
    "encoder",
    "eventNames",
    "extractFilename",
    "getMaxListeners",
    "initEngine",
    "onconnection",
    "opts",
    "parentNamespacesFromRegExp",
    "parentNsps",
    "prependListener",
    "prependOnceListener",
    "rawListeners",
    "serve",
    "serveClient",
    "setMaxListeners",
  ],
  Namespace: ["emitReserved", "emitUntyped", "run"],
  BroadcastOperator: ["adapter", "exceptRooms"],
  Socket: [
    "ack",
    "buildHandshake",
    "emitReserved",
    "emitUntyped",
    "leaveAll",
    "newBroadcastOperator",
    "notifyOutgoingListeners",
    "onack",
    "ondisconnect",
    "onevent",
    "packet",
    "registerAckCallback",
    "run",
  ],
};

describe("the API surface against socket.io 4.8's", () => {
  it("has every public method and accessor of Server, Namespace, BroadcastOperator and Socket", async () => {
    const official = await import("socket.io");
    const { Server: Mock, ServerSocket } = await import("../src/index.ts");
    const theirs = new official.Server();
    const ours = new Mock();
    // Accessors on socket.io's prototype that are plain fields of each socket here.
    const fields = ["conn", "request"];
    const missing = (label: string, their: object, our: object) => [
      label,
      publicNames(their).filter(
        (name) => !(name in our) && !NOT_MOCKED[label]?.includes(name) && !fields.includes(name),
      ),
    ];
    try {
      expect(
        Object.fromEntries([
          missing("Server", theirs, ours),
          missing("Namespace", theirs.of("/"), ours.of("/")),
          missing("BroadcastOperator", theirs.to("room"), ours.to("room")),
          missing("Socket", official.Socket.prototype, ServerSocket.prototype),
        ]),
      ).toEqual({ Server: [], Namespace: [], BroadcastOperator: [], Socket: [] });
    } finally {
      // socket.io's server, attached to nothing, holds nothing to close.
      await ours.close();
    }
  });
});
