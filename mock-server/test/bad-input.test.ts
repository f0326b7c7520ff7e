import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Server, type ServerSocket } from "../src/index.ts";
import { uncaughtDuring } from "./helpers.ts";

let io: Server;
let base: string;
const clients: Socket[] = [];

async function start(options = {}): Promise<void> {
  const httpServer = createServer();
  io = new Server(httpServer, {
    pingInterval: 5000,
    pingTimeout: 5000,
    maxHttpBufferSize: 10_000,
    ...options,
  });
  io.on("connection", (socket: ServerSocket) => {
    socket.on("echo", (text: unknown, ack: (reply: unknown) => void) => ack(text));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await io.close();
});

async function healthyClient(): Promise<Socket> {
  const socket = connect(base, { forceNew: true, transports: ["websocket"] });
  clients.push(socket);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return socket;
}

function rawSocket(): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    const closed = new Promise<number>((done) => ws.once("close", done));
    ws.once("message", () => resolve({ ws, closed }));
  });
}

describe("the mock server under bad input", () => {
  it.each([
    ["a malformed Socket.IO packet", "4garbage"],
    ["an unknown Engine.IO packet type", "9?"],
    ["binary nobody announced", Buffer.from([1, 2, 3])],
  ])(
    "closes only the connection that sent %s; everyone else keeps working",
    async (_name, frame) => {
      await start();
      const healthy = await healthyClient();
      const { ws, closed } = await rawSocket();
      ws.send("40");
      await new Promise((resolve) => setTimeout(resolve, 20));
      ws.send(frame);
      await closed;
      expect(await healthy.timeout(1000).emitWithAck("echo", "still here")).toBe("still here");
    },
  );

  it("survives a client emitting an event named error, which reaches only error listeners", async () => {
    await start();
    const heard: unknown[] = [];
    io.of("/heard").on("connection", (socket: ServerSocket) => {
      socket.on("error", (reason: unknown) => heard.push(reason));
    });
    const client = await healthyClient();
    const uncaught = await uncaughtDuring(async () => {
      // Node's emitter throws an "error" event nobody listens to, as the default namespace's
      // socket has none here; socket.io's sockets always have one.
      client.emit("error", "boom");
      expect(await client.emitWithAck("echo", "still here")).toBe("still here");
    });
    expect(uncaught).toEqual([]);
    const listening = connect(`${base}/heard`, { forceNew: true, transports: ["websocket"] });
    clients.push(listening);
    listening.emit("error", "boom");
    await expect.poll(() => heard).toEqual(["boom"]);
  });

  it("closes a WebSocket whose frame exceeds maxHttpBufferSize with code 1009", async () => {
    await start();
    const { ws, closed } = await rawSocket();
    ws.send(`42["echo","${"x".repeat(20_000)}"]`);
    expect(await closed).toBe(1009);
  });

  it("stays up through 500 handshakes that never send CONNECT, and lets them go after connectTimeout", async () => {
    // Long enough that all 500 are open at once even on a loaded machine.
    await start({ connectTimeout: 3000 });
    const pending = await Promise.all(Array.from({ length: 500 }, () => rawSocket()));
    expect(io.engine.clientsCount).toBe(500);
    const healthy = await healthyClient();
    await Promise.all(pending.map(({ closed }) => closed));
    await expect.poll(() => io.engine.clientsCount).toBe(1);
    expect(await healthy.timeout(1000).emitWithAck("echo", "ok")).toBe("ok");
  });

  it("drops half-open clients that stop answering pings, and forgets them", async () => {
    await start({ pingInterval: 100, pingTimeout: 100 });
    const { ws } = await rawSocket();
    ws.send("40");
    // This client never answers pings: the server must close it (ping timeout) on its own.
    await expect.poll(() => io.engine.clientsCount, { timeout: 2000 }).toBe(0);
    ws.terminate();
  });

  it("returns to its baseline memory once 500 abandoned handshakes have been let go", async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, "run with --expose-gc (the node test project does)").toBeTypeOf("function");
    await start({ connectTimeout: 200 });
    const heap = () => {
      gc!();
      return process.memoryUsage().heapUsed;
    };
    // Warm up once so that lazily created module state is not counted as a leak.
    await Promise.all(
      (await Promise.all(Array.from({ length: 50 }, () => rawSocket()))).map(
        ({ closed }) => closed,
      ),
    );
    const baseline = heap();
    const pending = await Promise.all(Array.from({ length: 500 }, () => rawSocket()));
    await Promise.all(pending.map(({ closed }) => closed));
    await expect.poll(() => io.engine.clientsCount).toBe(0);
    for (const { ws } of pending) ws.removeAllListeners();
    pending.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Must: what 500 sessions held (several MB while open) is released; allow 1 MB of noise.
    expect(heap() - baseline).toBeLessThan(1_000_000);
  });
});
