// The examples of socket.io-client's documentation, run against socket.io-client itself and
// against @wireline/sdk: the same code, only the `io` import differs (plus the WebSocket
// constructor Node 20 lacks, which socket.io-client ignores).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as socketIoClient } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { io as wireline } from "../index.ts";

type AnySocket = ReturnType<typeof socketIoClient>;
type Connect = (url: string, options?: Record<string, unknown>) => AnySocket;

const clients: Array<[string, Connect]> = [
  ["socket.io-client", (url, options) => socketIoClient(url, { forceNew: true, ...options })],
  [
    "@wireline/sdk",
    (url, options) => wireline(url, { forceNew: true, WebSocket, ...options }) as never,
  ],
];

describe.each(clients)("documented socket.io-client usage with %s", (_name, connect) => {
  let server: Server;
  let url: string;
  const sockets: AnySocket[] = [];

  beforeEach(async () => {
    const http = createServer();
    server = new Server(http);
    server.use((socket, next) => {
      if (socket.handshake.auth.token === "bad") {
        const err = new Error("not authorized") as Error & { data?: unknown };
        err.data = { content: "Please retry later" };
        return next(err);
      }
      next();
    });
    server.on("connection", (socket) => {
      socket.on("hello", (arg: string, callback?: (r: string) => void) => callback?.(`got ${arg}`));
      socket.on("kick", () => socket.disconnect());
      socket.emit("greeting", "welcome");
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await new Promise((resolve) => server.close(resolve));
  });

  function open(options?: Record<string, unknown>) {
    const socket = connect(url, options);
    sockets.push(socket);
    return socket;
  }

  it("connects, listens and emits with an acknowledgement", async () => {
    const socket = open();
    const greeting = await new Promise((resolve) => socket.on("greeting", resolve));
    expect(greeting).toBe("welcome");
    expect(socket.connected).toBe(true);
    const reply = await new Promise((resolve) => socket.emit("hello", "world", resolve));
    expect(reply).toBe("got world");
    await expect(socket.emitWithAck("hello", "again")).resolves.toBe("got again");
    await expect(socket.timeout(1000).emitWithAck("hello", "t")).resolves.toBe("got t");
  });

  it("reports a middleware error with its data", async () => {
    const socket = open({ auth: { token: "bad" } });
    const err = await new Promise<Error & { data?: unknown }>((resolve) =>
      socket.on("connect_error", resolve),
    );
    expect(err.message).toBe("not authorized");
    expect(err.data).toEqual({ content: "Please retry later" });
    expect(socket.active).toBe(false);
  });

  it("calls catch-all listeners both ways", async () => {
    const socket = open();
    const incoming: unknown[] = [];
    const outgoing: unknown[] = [];
    socket.onAny((event, ...args) => incoming.push([event, ...args]));
    socket.onAnyOutgoing((event, ...args) => outgoing.push([event, ...args]));
    await new Promise((resolve) => socket.on("greeting", resolve));
    socket.emit("hello", "x");
    expect(incoming).toEqual([["greeting", "welcome"]]);
    expect(outgoing).toEqual([["hello", "x"]]);
    expect(socket.listenersAny()).toHaveLength(1);
    socket.offAny();
    expect(socket.listenersAny()).toHaveLength(0);
  });

  it("tells why it disconnected, and whether it will reconnect", async () => {
    const socket = open();
    await new Promise((resolve) => socket.on("connect", () => resolve(undefined)));
    socket.emit("kick");
    const reason = await new Promise((resolve) => socket.on("disconnect", resolve));
    expect(reason).toBe("io server disconnect");
    expect(socket.active).toBe(false);
    socket.connect();
    await new Promise((resolve) => socket.on("connect", () => resolve(undefined)));
    const closed = new Promise((resolve) => socket.on("disconnect", resolve));
    socket.disconnect();
    expect(await closed).toBe("io client disconnect");
  });

  it("exposes the Manager and its engine", async () => {
    const socket = open({ transports: ["websocket"] });
    await new Promise((resolve) => socket.on("connect", () => resolve(undefined)));
    expect(socket.io.engine.transport.name).toBe("websocket");
    expect(typeof socket.io.on).toBe("function");
  });
});
