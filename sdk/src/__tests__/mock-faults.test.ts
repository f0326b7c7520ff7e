import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@wireline/mock-server";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type IoOptions, io, type Socket } from "../index.ts";

let server: Server | undefined;
const sockets: Socket[] = [];

async function start(options: ConstructorParameters<typeof Server>[1] = {}): Promise<string> {
  const http = createServer();
  server = new Server(http, options);
  server.on("connection", (s) => s.on("echo", (x: unknown, ack: (r: unknown) => void) => ack(x)));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function connect(url: string, options: IoOptions = {}): Socket {
  const socket = io(url, { forceNew: true, WebSocket, ...options });
  sockets.push(socket);
  return socket;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

describe("the client under the mock server's faults", () => {
  it("falls back to polling when WebSockets are refused, with the default transports", async () => {
    const url = await start();
    server?.faults.refuseWebSocket();
    const socket = connect(url);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    expect(socket.io.getSnapshot().transport).toBe("polling");
    await expect(socket.emitWithAck("echo", "still here")).resolves.toBe("still here");
  });

  it("stays on polling when the upgrade probe is refused, losing nothing", async () => {
    const url = await start();
    server?.faults.refuseWebSocket();
    const socket = connect(url, { transports: ["polling", "websocket"] });
    const upgradeError = new Promise((resolve) =>
      socket.io.on("open", () => socket.io.engine?.once("upgradeError", resolve)),
    );
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    await upgradeError;
    expect(socket.io.getSnapshot().transport).toBe("polling");
    await expect(socket.emitWithAck("echo", 1)).resolves.toBe(1);
  });

  it("drops the connection with reason ping timeout when the server stops pinging", async () => {
    const url = await start({ pingInterval: 50, pingTimeout: 50 });
    const socket = connect(url, { transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    server?.faults.stopPings();
    const [reason] = await new Promise<unknown[]>((resolve) =>
      socket.once("disconnect", (...args) => resolve(args)),
    );
    expect(reason).toBe("ping timeout");
  });
});

describe("the default transports in a runtime without WebSocket", () => {
  it("fall back to polling instead of failing", async () => {
    const url = await start();
    const socket = io(url, { forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    expect(socket.io.getSnapshot().transport).toBe("polling");
  });

  it("report the missing WebSocket when it is the only transport", async () => {
    const url = await start();
    const socket = io(url, { forceNew: true, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toMatch(/^Wireline: no WebSocket implementation found/);
  });
});
