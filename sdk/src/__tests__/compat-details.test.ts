// The finer points of socket.io-client's documented API that apps may rely on: the ack
// timeout's message, the Manager's option getters and setters, the engine's `drain`, a closed
// WebSocket's disconnect details. Same setup as the other compat*.test.ts files (see
// compat-helpers.ts).
// Two differences are deliberate and not tested here: the default transport order (WebSocket
// first: one request before connect instead of four) and `retries` (pipelined, not one by one).
import { describe, expect, it } from "vitest";
import { matrix, next, useCompatEnv } from "./compat-helpers.ts";

describe.each(matrix)("documented socket.io-client details with %s", (_name, client, server) => {
  const env = useCompatEnv(client, server);

  it("Manager getters and setters: reconnectionDelay(), reconnectionAttempts(), timeout()", async () => {
    const socket = env.open("", { reconnectionDelay: 300, autoConnect: false });
    expect(socket.io.reconnectionDelay()).toBe(300);
    expect(socket.io.reconnectionDelay(20)).toBe(socket.io);
    expect(socket.io.reconnectionDelay()).toBe(20);
    expect(socket.io.reconnection()).toBe(true);
    socket.io.reconnectionAttempts(3);
    expect(socket.io.reconnectionAttempts()).toBe(3);
    expect(socket.io.reconnectionDelayMax()).toBe(5000);
    expect(socket.io.timeout()).toBe(20000);
  });

  it("the module exports protocol (the Socket.IO protocol revision, 5)", () => {
    expect(client.module.protocol).toBe(5);
  });

  it('socket.io.engine.on("drain") after a write', async () => {
    const socket = env.open("", { transports: ["websocket"] });
    await env.connected(socket);
    const drained = next(socket.io.engine, "drain");
    socket.emit("hello", "x");
    await drained;
  }, 2000);

  it("socket.io.engine.write(data, callback) and send(data, options, callback) write a raw message, calling back once written", async () => {
    const socket = env.open("", { transports: ["websocket"] });
    await env.connected(socket);
    const engine = socket.io.engine;
    const written: string[] = [];
    // A Socket.IO packet by hand: an ack request for "hello", ack id 7.
    expect(engine.write('27["hello","raw"]', {}, () => written.push("write"))).toBe(engine);
    expect(engine.send('28["hello","sent"]', { compress: false }, () => written.push("send"))).toBe(
      engine,
    );
    const replies: unknown[] = [];
    socket.io.on("packet", (packet) => {
      if (packet.type === 3) replies.push([packet.id, packet.data]);
    });
    await expect
      .poll(() => replies)
      .toEqual([
        [7, ["got raw"]],
        [8, ["got sent"]],
      ]);
    expect(written).toEqual(["write", "send"]);
  }, 3000);

  it("disconnect(reason, details): details.description and details.context of a closed WebSocket", async () => {
    const socket = env.open("", { transports: ["websocket"], reconnection: false });
    await env.connected(socket);
    socket.emit("drop");
    const [reason, details] = await new Promise<unknown[]>((resolve) =>
      socket.once("disconnect", (...args) => resolve(args)),
    );
    expect(reason).toBe("transport close");
    expect(details).toMatchObject({
      description: expect.any(String),
      context: expect.anything(),
    });
  });

  it("socket.io.engine.id is null in disconnect listeners: the session is over", async () => {
    const socket = env.open("", { reconnection: false });
    await env.connected(socket);
    expect(typeof socket.io.engine.id).toBe("string");
    const idAtDisconnect = new Promise((resolve) =>
      socket.once("disconnect", () => resolve(socket.io.engine.id)),
    );
    socket.emit("drop");
    expect(await idAtDisconnect).toBeNull();
  });

  it("disconnect(reason, details) of a polling connection the server closed", async () => {
    const socket = env.open("", { transports: ["polling"], reconnection: false });
    await env.connected(socket);
    const closed = new Promise<unknown[]>((resolve) =>
      socket.io.once("close", (...args: unknown[]) => resolve(args)),
    );
    socket.emit("drop");
    const [reason, details] = await new Promise<unknown[]>((resolve) =>
      socket.once("disconnect", (...args) => resolve(args)),
    );
    expect(reason).toBe("transport close");
    expect(details).toEqual({ description: "transport closed by the server" });
    expect(await closed).toEqual([reason, details]);
  });

  it('timeout(ms).emit: the error\'s message is "operation has timed out"', async () => {
    const socket = env.open();
    await env.connected(socket);
    const err = await new Promise<Error>((resolve) =>
      socket.timeout(50).emit("no-ack", (err: Error) => resolve(err)),
    );
    expect(err.message).toBe("operation has timed out");
    await expect(socket.timeout(50).emitWithAck("no-ack")).rejects.toThrow(
      /^operation has timed out$/,
    );
  });
});
