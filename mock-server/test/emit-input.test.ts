import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Server, type ServerOptions, type ServerSocket } from "../src/index.ts";
import { connected, reportedDuring } from "./helpers.ts";

// What a server script passes to emit and timeout: refused up front with a clear error, before
// anything goes out, is logged for a recovery or waits for an ack.

let io: Server;
let url: string;
let serverSockets: ServerSocket[];
const clients: Socket[] = [];

async function start(options: ServerOptions = {}): Promise<void> {
  const httpServer = createServer();
  io = new Server(httpServer, { pingInterval: 1000, pingTimeout: 2000, ...options });
  serverSockets = [];
  io.on("connection", (socket) => {
    serverSockets.push(socket);
    socket.join("room");
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

async function client(options: Parameters<typeof connect>[1] = {}): Promise<Socket> {
  const socket = connect(url, { forceNew: true, transports: ["websocket"], ...options });
  clients.push(socket);
  await connected(socket);
  return socket;
}

/** A raw client joined to "/": the server's frames after the CONNECT reply, and its socket. */
async function rawClient(): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  ws.on("message", (data) => frames.push(String(data)));
  await new Promise((resolve) => ws.once("open", resolve));
  ws.send("40");
  await expect.poll(() => frames.some((frame) => frame.startsWith("40"))).toBe(true);
  frames.length = 0;
  return { ws, frames };
}

const nextEvent = (socket: Socket, event: string) =>
  new Promise<unknown>((resolve) => socket.once(event, resolve));

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  await io?.close();
});

const emitters = [
  ["socket.emit", (name: unknown) => serverSockets[0]!.emit(name as string, "x")],
  ["io.emit", (name: unknown) => io.emit(name as string, "x")],
  ["io.to(room).emit", (name: unknown) => io.to("room").emit(name as string, "x")],
] as const;

describe("event names", () => {
  describe.each([
    ["undefined", undefined, "undefined"],
    ["null", null, "object"],
    ["an object", { name: "x" }, "object"],
    ["a symbol", Symbol("x"), "symbol"],
    ["a boolean", true, "boolean"],
  ])("%s", (_label, name, type) => {
    it.each(emitters)("%s throws a TypeError and the clients stay connected", async (_, emit) => {
      await start();
      const socket = await client();
      expect(() => emit(name)).toThrow(
        new TypeError(`Wireline: an event name is a string, got ${type}.`),
      );
      const next = nextEvent(socket, "fine");
      io.emit("fine", 1);
      expect(await next).toBe(1);
      expect(socket.connected).toBe(true);
    });
  });

  it('io.emit("connect") throws as a reserved name, calling no listener of the server', async () => {
    await start();
    let called = 0;
    io.on("connect", () => called++);
    expect(() => io.emit("connect", "x")).toThrow('"connect" is a reserved event name');
    expect(called).toBe(0);
  });

  it('io.emit("connection") reaches the clients, as socket.io broadcasts it', async () => {
    await start();
    const socket = await client();
    const heard = nextEvent(socket, "connection");
    io.emit("connection", "hello");
    expect(await heard).toBe("hello");
  });
});

describe("timeout(ms)", () => {
  it.each([
    ["NaN", Number.NaN],
    ["-1", -1],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["2^31 (past a timer's range)", 2 ** 31],
    ['"1000"', "1000"],
  ])("refuses %s with a RangeError on a socket, io and to(room)", async (_label, ms) => {
    await start();
    await client();
    const expected = /^Wireline: timeout\(ms\) needs a number of ms from 0 to 2147483647, got /;
    expect(() => serverSockets[0]!.timeout(ms as number)).toThrow(RangeError);
    expect(() => serverSockets[0]!.timeout(ms as number)).toThrow(expected);
    expect(() => io.timeout(ms as number)).toThrow(expected);
    expect(() => io.to("room").timeout(ms as number)).toThrow(expected);
  });
});

describe("a payload that cannot be encoded (BigInt)", () => {
  it.each([
    ["socket.timeout(50).emit", () => serverSockets[0]!.timeout(50)],
    ["socket.emit", () => serverSockets[0]!],
    ["io.timeout(50).emit", () => io.timeout(50)],
  ])("%s with an ack throws, and leaves no ack waiting", async (_label, target) => {
    await start();
    const { ws, frames } = await rawClient();
    const calls: unknown[][] = [];
    expect(() => target().emit("big", 1n, (...reply: unknown[]) => calls.push(reply))).toThrow(
      /BigInt/,
    );
    // The client answers the id the failed emit took (the namespace's first): nobody waits.
    ws.send('430["late"]');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toEqual([]);
    expect(frames).toEqual([]);
    ws.close();
  });

  describe("with connection state recovery", () => {
    const recovering = { reconnectionDelay: 20, reconnectionDelayMax: 20 };

    it.each([
      ["io.emit", () => io.emit("big", 1n)],
      ["io.to(room).emit", () => io.to("room").emit("big", 1n)],
      ["socket.emit to the dropped socket", () => serverSockets[0]!.emit("big", 1n)],
    ])("%s throws at once and is not replayed: the client recovers", async (_label, emit) => {
      await start({ connectionStateRecovery: {} });
      const socket = await client(recovering);
      // Gives the client an offset to recover from.
      const first = nextEvent(socket, "first");
      io.emit("first");
      await first;
      const reported = await reportedDuring(async () => {
        io.faults.dropTransports();
        await expect.poll(() => serverSockets[0]!.connected).toBe(false);
        expect(emit).toThrow(/BigInt/);
        const after = nextEvent(socket, "after");
        io.emit("after", 2);
        await expect.poll(() => socket.connected).toBe(true);
        expect(await after).toBe(2);
      });
      expect(reported).toEqual([]);
      expect(socket.recovered).toBe(true);
    });
  });
});

describe("rooms", () => {
  it.each([
    ["socket.join(undefined)", () => serverSockets[0]!.join(undefined as never)],
    ['socket.join(["a", null])', () => serverSockets[0]!.join(["a", null] as never)],
    ["socket.leave({})", () => serverSockets[0]!.leave({} as never)],
    ["io.to(undefined)", () => io.to(undefined as never)],
    ["socket.except(new Set())", () => serverSockets[0]!.except(new Set() as never)],
  ])("%s throws a TypeError saying a room is a string", async (_, call) => {
    await start();
    await client();
    expect(call).toThrow(/Wireline: a room is a string \(or an array of them\), got /);
    // Nothing was joined: the socket is in its own room and "room" only.
    expect(serverSockets[0]!.rooms).toEqual(new Set([serverSockets[0]!.id, "room"]));
  });

  it("takes numbers as rooms, as socket.io keys rooms by them too", async () => {
    await start();
    const peer = await client();
    serverSockets[0]!.join(7 as never);
    const heard = nextEvent(peer, "news");
    io.to(7 as never).emit("news", "to 7");
    expect(await heard).toBe("to 7");
  });
});
