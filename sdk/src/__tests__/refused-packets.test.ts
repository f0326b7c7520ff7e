// A well-framed event or ack whose content the decoder refuses (a `__proto__` key, nesting too
// deep) is dropped alone: the Manager reports it as `error`, an ack waiting for it fails with
// it, and the connection goes on. A chat server relaying one user's `{"__proto__": …}` must not
// disconnect every client in the room (and, with recovery, replay it to them again and again).
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { io, type Socket } from "../index.ts";
import { DecodeError, PacketType } from "../protocol/index.ts";
import { socketIoServer, type TestServer } from "./server-factories.ts";

let server: TestServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

/** An object with an own `__proto__` key, as JSON.parse makes one from a user's message. */
const hostile = () => JSON.parse('{"__proto__":{"admin":true},"text":"hi"}') as unknown;

/** A value nested `levels` arrays deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

async function start(transport: "websocket" | "polling", path = "/"): Promise<Socket> {
  server = await socketIoServer({}, (ioServer) => {
    const relay = (socket: import("socket.io").Socket) => {
      socket.on("send me", (kind: string) => {
        if (kind === "hostile") socket.emit("chat", hostile());
        if (kind === "deep") socket.emit("chat", nested(40));
        // socket.io's encoder turns a `__proto__` key beside binary into a prototype: too deep, then.
        if (kind === "binary") socket.emit("file", nested(40), Buffer.from([1, 2, 3]));
        socket.emit("chat", { text: "after" });
        socket.emit("file", { name: "after" }, Buffer.from([4, 5]));
      });
      socket.on("question", (ack: (answer: unknown) => void) => ack(hostile()));
    };
    ioServer.on("connection", relay);
    ioServer.of("/slow").use((_socket, next) => setTimeout(next, 300));
    ioServer.of("/slow").on("connection", relay);
  });
  const socket = io(`${server.url}${path}`, {
    forceNew: true,
    transports: [transport],
    WebSocket,
  });
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return socket;
}

/** Collects a socket's events of `name` and the Manager's errors. */
function record(socket: Socket) {
  const seen = { chat: [] as unknown[], file: [] as unknown[], errors: [] as Error[] };
  const lost: string[] = [];
  socket.on("chat", (message: unknown) => seen.chat.push(message));
  socket.on("file", (meta: unknown, data: unknown) => seen.file.push([meta, data]));
  socket.io.on("error", (error) => seen.errors.push(error));
  socket.on("disconnect", (reason) => lost.push(`disconnect: ${reason}`));
  socket.on("connect_error", (error) => lost.push(`connect_error: ${error.message}`));
  return { seen, lost };
}

describe.each(["websocket", "polling"] as const)("over %s", (transport) => {
  it("drops an event with a __proto__ key, reports it, and keeps the connection", async () => {
    const socket = await start(transport);
    const { seen, lost } = record(socket);
    const engineId = socket.io.engine?.id;
    socket.emit("send me", "hostile");
    await expect.poll(() => seen.file.length).toBe(1);
    expect(seen.chat).toEqual([{ text: "after" }]);
    expect(seen.errors).toHaveLength(1);
    const [error] = seen.errors as [DecodeError];
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.code).toBe("FORBIDDEN_KEY");
    expect(error.packet).toEqual({ type: PacketType.EVENT, nsp: "/" });
    expect(lost).toEqual([]);
    expect(socket.connected).toBe(true);
    expect(socket.io.engine?.id).toBe(engineId);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });

  it("drops an event nested too deep the same way", async () => {
    const socket = await start(transport);
    const { seen, lost } = record(socket);
    socket.emit("send me", "deep");
    await expect.poll(() => seen.file.length).toBe(1);
    expect(seen.chat).toEqual([{ text: "after" }]);
    expect((seen.errors[0] as DecodeError).code).toBe("TOO_DEEP");
    expect(lost).toEqual([]);
  });

  it("reads a refused binary event's attachments, so the next binary event arrives whole", async () => {
    const socket = await start(transport);
    const { seen, lost } = record(socket);
    socket.emit("send me", "binary");
    await expect.poll(() => seen.file.length).toBe(1);
    const [[meta, data]] = seen.file as [[unknown, Uint8Array]];
    expect(meta).toEqual({ name: "after" });
    expect([...new Uint8Array(data)]).toEqual([4, 5]);
    expect((seen.errors[0] as DecodeError).packet).toEqual({ type: PacketType.EVENT, nsp: "/" });
    expect(lost).toEqual([]);
  });
});

describe("a refused ack reply", () => {
  it("rejects emitWithAck with the DecodeError; the connection stays", async () => {
    const socket = await start("websocket");
    const { lost } = record(socket);
    const error = await socket.emitWithAck("question").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).packet).toMatchObject({ type: PacketType.ACK, nsp: "/" });
    expect(lost).toEqual([]);
    expect(socket.connected).toBe(true);
  });

  it("drops a plain callback uncalled, as at a disconnect, rather than handing it the error as a reply", async () => {
    const socket = await start("websocket");
    const calls: unknown[][] = [];
    socket.emit("question", (...args: unknown[]) => calls.push(args));
    const errors: Error[] = [];
    socket.io.on("error", (error) => errors.push(error));
    await expect.poll(() => errors.length).toBe(1);
    // A later question on the same connection is answered: only that reply was dropped.
    const later = await socket
      .timeout(1000)
      .emitWithAck("question")
      .catch((error) => error);
    expect(later).toBeInstanceOf(DecodeError);
    expect(calls).toEqual([]);
    expect(socket.connected).toBe(true);
  });

  it("gives an error-first callback the DecodeError, once, and no timeout later", async () => {
    const socket = await start("websocket");
    const calls: unknown[][] = [];
    socket.timeout(200).emit("question", (...args: unknown[]) => calls.push(args));
    await expect.poll(() => calls.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBeInstanceOf(DecodeError);
  });
});

describe("another namespace", () => {
  it("still connecting, gets no connect_error for a packet refused elsewhere", async () => {
    const main = await start("websocket");
    const slow = main.io.socket("/slow");
    sockets.push(slow);
    const failures: Error[] = [];
    slow.on("connect_error", (error) => failures.push(error));
    slow.connect();
    const { seen } = record(main);
    main.emit("send me", "hostile");
    await expect.poll(() => seen.errors.length).toBe(1);
    await new Promise<void>((resolve) => slow.once("connect", () => resolve()));
    expect(failures).toEqual([]);
  });
});
