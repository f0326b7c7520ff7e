// What an app's listener or callback throws is reported as uncaught and never unwinds into the
// client: the other listeners of the event still run, and a throw in a disconnect listener or a
// state subscriber does not stop the reconnection (socket.io-client's would).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { io, type Socket } from "../index.ts";
import { collectReportedErrors } from "./reported-errors.ts";
import { mockServer, type TestServer } from "./server-factories.ts";

let server: TestServer | undefined;
const sockets: Socket[] = [];
let reported: unknown[] = [];

beforeEach(() => {
  reported = collectReportedErrors();
});

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

async function connectedSocket(): Promise<Socket> {
  server = await mockServer({ pingInterval: 200, pingTimeout: 200 }, (ioServer) =>
    ioServer.on("connection", (socket) => {
      socket.on("drop", () => socket.conn.close());
      socket.on("news?", () => socket.emit("news", "fresh"));
    }),
  );
  const socket = io(server.url, {
    WebSocket,
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
  });
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return socket;
}

describe("listeners that throw", () => {
  it("still calls the event's other listeners, and reports the error", async () => {
    const socket = await connectedSocket();
    const heard: string[] = [];
    socket.on("news", () => {
      throw new Error("first listener bug");
    });
    socket.on("news", (text: string) => heard.push(text));
    socket.onAny(() => {
      throw new Error("catch-all bug");
    });
    socket.emit("news?");
    await expect.poll(() => heard).toEqual(["fresh"]);
    await expect
      .poll(() => reported.map((error) => (error as Error).message))
      .toEqual(["catch-all bug", "first listener bug"]);
  });

  it("reconnects although a disconnect listener and a state subscriber throw", async () => {
    const socket = await connectedSocket();
    socket.on("disconnect", () => {
      throw new Error("disconnect bug");
    });
    const stop = socket.io.subscribe(() => {
      throw new Error("subscriber bug");
    });
    const reconnected = new Promise<void>((resolve) =>
      socket.io.once("reconnect", () => resolve()),
    );
    socket.emit("drop");
    await reconnected;
    stop();
    socket.off("disconnect"); // the disconnect after the test would throw again
    await expect.poll(() => socket.connected).toBe(true);
    const messages = reported.map((error) => (error as Error).message);
    expect(messages).toContain("disconnect bug");
    expect(messages).toContain("subscriber bug");
  });
});
