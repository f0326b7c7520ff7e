// Behaviours socket.io-client's own test suite pins down beyond its documentation: a disconnect
// inside a reconnection, acks and promises cut off by a disconnect, volatile emits on a busy
// transport, retries while disconnected, compression flags. Same setup as the other
// compat*.test.ts files (see compat-helpers.ts).
import { describe, expect, it } from "vitest";
import { deadUrl, matrix, next, useCompatEnv } from "./compat-helpers.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(matrix)("socket.io-client's tested behaviours with %s", (_name, client, server) => {
  const env = useCompatEnv(client, server);

  it("socket.disconnect() in a reconnect_attempt listener ends the reconnection for good", async () => {
    const socket = env.open("", { reconnectionDelay: 10, reconnectionDelayMax: 20 });
    await env.connected(socket);
    let attempts = 0;
    socket.io.on("reconnect_attempt", () => {
      attempts++;
      socket.disconnect();
    });
    socket.io.engine.close();
    await sleep(300);
    expect(attempts).toBe(1);
    expect(socket.active).toBe(false);
    expect(socket.connected).toBe(false);
    // No connection was opened behind the app's back.
    await expect.poll(() => env.server.io.engine.clientsCount).toBe(0);
  });

  it('emitWithAck() without a timeout rejects with "socket has been disconnected"', async () => {
    const socket = env.open();
    await env.connected(socket);
    // "whoami" is answered, but the disconnect comes first, in the same task.
    const promise = socket.emitWithAck("never answered");
    socket.disconnect();
    await expect(promise).rejects.toThrow("socket has been disconnected");
  });

  it("a plain ack callback cut off by a disconnect is never called", async () => {
    const socket = env.open();
    await env.connected(socket);
    const calls: unknown[] = [];
    socket.emit("never answered", (...args: unknown[]) => calls.push(args));
    socket.disconnect();
    await sleep(50);
    expect(calls).toEqual([]);
  });

  it("a volatile emit with a timeout, dropped while disconnected, fails at its timeout", async () => {
    const socket = env.open("", { autoConnect: false });
    const error = await new Promise<Error>((resolve) =>
      socket.volatile.timeout(30).emit("hello", "x", (err: Error) => resolve(err)),
    );
    expect(error.message).toBe("operation has timed out");
    await expect(socket.volatile.timeout(30).emitWithAck("hello", "y")).rejects.toThrow(
      "operation has timed out",
    );
  });

  it("a volatile emit is dropped while the transport is still writing", async () => {
    const socket = env.open("", { transports: ["websocket"] });
    await env.connected(socket);
    await sleep(20);
    socket.emit("hello", "first");
    socket.volatile.emit("hello", "dropped");
    await socket.timeout(2000).emitWithAck("hello", "last");
    expect(env.server.received.filter(([event]) => event === "hello")).toEqual([
      ["hello", "first"],
      ["hello", "last"],
    ]);
  });

  it("retries spend no try while disconnected: the first goes out at connect", async () => {
    const socket = env.open("", { retries: 3, ackTimeout: 10, autoConnect: false });
    const settled: unknown[][] = [];
    socket.emit("hello", "x", (...args: unknown[]) => settled.push(args));
    await sleep(100);
    expect(settled).toEqual([]);
    socket.connect();
    await expect.poll(() => settled).toEqual([[null, "got x"]]);
  });

  it("binary arrives as a Buffer in Node, or as an ArrayBuffer once engine.binaryType says so", async () => {
    const socket = env.open("", { transports: ["websocket"] });
    await env.connected(socket);
    const asBuffer = await socket.emitWithAck("echo", new Uint8Array([1, 2]));
    expect(Buffer.isBuffer(asBuffer)).toBe(true);
    socket.io.engine.binaryType = "arraybuffer";
    const asArrayBuffer = await socket.emitWithAck("echo", new Uint8Array([3, 4]));
    expect(asArrayBuffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(asArrayBuffer as ArrayBuffer)]).toEqual([3, 4]);
  });

  it("packetCreate says whether each message may be compressed: true unless compress(false)", async () => {
    const socket = env.open("", { transports: ["websocket"] });
    await env.connected(socket);
    const flags: unknown[] = [];
    socket.io.engine.on("packetCreate", (packet: { type: string; options?: unknown }) => {
      if (packet.type === "message") flags.push(packet.options);
    });
    socket.emit("hello", "a");
    socket.compress(false).emit("hello", "b");
    expect(flags).toEqual([{ compress: true }, { compress: false }]);
  });

  it("socket.io.engine's upgrading and upgrade events hand over the transport itself", async () => {
    const socket = env.open("", { transports: ["polling", "websocket"] });
    const names: string[] = [];
    const upgraded = new Promise<void>((resolve) => {
      socket.io.engine.on("upgrading", (transport: { name: string }) => names.push(transport.name));
      socket.io.engine.on("upgrade", (transport: { name: string }) => {
        names.push(transport.name);
        resolve();
      });
    });
    await upgraded;
    expect(names).toEqual(["websocket", "websocket"]);
  });

  it("socket.io.engine's handshake, heartbeat, message, flush events", async () => {
    const socket = env.open("", { transports: ["websocket"], autoConnect: false });
    socket.connect();
    const seen = new Set<string>();
    const engine = socket.io.engine;
    let handshakeSid: unknown;
    engine.on("handshake", (handshake: { sid: string }) => {
      handshakeSid = handshake.sid;
    });
    for (const event of ["heartbeat", "message", "flush"] as const) {
      engine.on(event, () => seen.add(event));
    }
    await env.connected(socket);
    await socket.emitWithAck("hello", "x");
    expect(handshakeSid).toBe(engine.id);
    expect([...seen].sort()).toEqual(["flush", "heartbeat", "message"]);
  });

  it("timeout: false waits for a slow handshake without a limit; timeout() reads it", async () => {
    const slow = await env.startServer({
      allowRequest: (_request, callback) => setTimeout(() => callback(null, true), 150),
    });
    const socket = env.lookup(slow.url, { forceNew: true, timeout: false });
    expect(socket.io.timeout()).toBe(false);
    await env.connected(socket);
    const hurried = env.lookup(slow.url, { forceNew: true, timeout: 20, reconnection: false });
    expect((await next<Error>(hurried, "connect_error")).message).toBe("timeout");
  });

  it.each([
    ["websocket", "websocket error"],
    ["polling", "xhr poll error"],
  ])(
    "a server that is down: connect_error over %s says %j, type TransportError",
    async (transport, message) => {
      const socket = env.lookup(await deadUrl(), {
        forceNew: true,
        transports: [transport],
        reconnection: false,
      });
      const error = await next<Error & { type?: string }>(socket, "connect_error");
      expect(error.message).toBe(message);
      expect(error.type).toBe("TransportError");
    },
  );

  it("a polling request the server refuses: the HTTP status as description, and in context", async () => {
    const refusing = await env.startServer({
      allowRequest: (_request, callback) => callback("no entry", false),
    });
    const socket = env.lookup(refusing.url, {
      forceNew: true,
      transports: ["polling"],
      reconnection: false,
    });
    const error = await next<Error & { description?: unknown; context?: { status?: number } }>(
      socket,
      "connect_error",
    );
    expect(error.message).toBe("xhr poll error");
    expect(error.description).toBe(403);
    expect(error.context?.status).toBe(403);
  });

  it('socket.disconnect() after reconnect_failed: the Manager still announces "forced close"', async () => {
    const socket = env.lookup(await deadUrl(), {
      forceNew: true,
      reconnectionAttempts: 1,
      reconnectionDelay: 10,
      reconnectionDelayMax: 10,
    });
    await next(socket.io, "reconnect_failed");
    const closes: unknown[] = [];
    socket.io.on("close", (reason: string) => closes.push(reason));
    socket.disconnect();
    expect(closes).toEqual(["forced close"]);
  });

  it("socket.disconnect() while a reconnection waits: the Manager announces the end", async () => {
    const socket = env.open("", { reconnectionDelay: 5_000, reconnectionDelayMax: 5_000 });
    await env.connected(socket);
    const closes: unknown[] = [];
    socket.io.on("close", (reason: string) => closes.push(reason));
    socket.io.engine.close();
    expect(closes).toEqual(["forced close"]);
    socket.disconnect();
    expect(closes).toEqual(["forced close", "forced close"]);
  });

  it("the Manager's close and the socket's disconnect on a server disconnect", async () => {
    const socket = env.open();
    await env.connected(socket);
    socket.emit("kick");
    expect(await next(socket, "disconnect")).toBe("io server disconnect");
    expect(socket.active).toBe(false);
  });
});
