// Networks that fool a client without failing: an intermediary that holds the WebSocket upgrade
// open without answering, a WebSocket probe cut right after it answered, and a wall clock that
// steps back (NTP, a user's change) while the server went silent. Wireline must connect, go on
// and notice.
import { createServer } from "node:http";
import type { AddressInfo, Socket as NetSocket } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import type { TransportEvents, TransportOptions } from "../engine/transport.ts";
import { io, polling, type Socket, websocket } from "../index.ts";

const closers: Array<() => Promise<void>> = [];
const sockets: Socket[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const close of closers.splice(0)) await close();
});

function open(url: string, options: Record<string, unknown> = {}, connect = io): Socket {
  const socket = connect(url, { forceNew: true, reconnection: false, WebSocket, ...options });
  sockets.push(socket);
  return socket;
}

/**
 * `io` from a fresh copy of the SDK, as a new page has it: what a page remembers of its
 * WebSockets (held by a proxy, upgraded before) starts empty.
 */
async function ioOfANewPage(): Promise<typeof io> {
  vi.resetModules();
  return (await import("../index.ts")).io;
}

/** A socket.io server behind an intermediary that swallows every WebSocket upgrade request. */
async function serverSwallowingUpgrades(): Promise<string> {
  const http = createServer();
  const server = new Server(http);
  server.on("connection", (socket) => {
    socket.on("echo", (value: unknown, callback: (value: unknown) => void) => callback(value));
  });
  const held: NetSocket[] = [];
  http.removeAllListeners("upgrade");
  http.on("upgrade", (_request, socket: NetSocket) => held.push(socket));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe("a WebSocket upgrade held open without an answer", () => {
  it("falls back to polling within 2.5 s under the default transports, and works there", async () => {
    const url = await serverSwallowingUpgrades();
    const socket = open(url, {}, await ioOfANewPage());
    const started = performance.now();
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    // Must: well before the 20 s handshake timeout, which every attempt used to spend.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(socket.io.engine?.transport?.name).toBe("polling");
    expect(await socket.emitWithAck("echo", "over polling")).toBe("over polling");
  }, 10_000);

  it("starts the next sessions of the page on polling, so a reconnection does not wait again", async () => {
    const url = await serverSwallowingUpgrades();
    const page = await ioOfANewPage();
    const first = open(url, { timeout: 1_000 }, page);
    await new Promise<void>((resolve) => first.once("connect", () => resolve()));
    first.disconnect();
    const second = open(url, {}, page);
    const started = performance.now();
    await new Promise<void>((resolve) => second.once("connect", () => resolve()));
    // Must: no second 2.5 s spent on a WebSocket this page saw held.
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(second.io.engine?.transport?.name).toBe("polling");
  });

  it("gives the WebSocket at most half of a shorter timeout", async () => {
    const url = await serverSwallowingUpgrades();
    const socket = open(url, { timeout: 1_000 }, await ioOfANewPage());
    const outcome = await new Promise<string>((resolve) => {
      socket.once("connect", () => resolve("connect"));
      socket.once("connect_error", (error) => resolve(`connect_error: ${error.message}`));
    });
    expect(outcome).toBe("connect");
  });

  it("fails as before when the WebSocket is the only transport", async () => {
    const url = await serverSwallowingUpgrades();
    const socket = open(url, { timeout: 600, transports: ["websocket"] });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toBe("timeout");
  });
});

describe("a wall clock stepping back while the server went silent", () => {
  it.each(["websocket", "polling"])(
    "still notices the dead connection by pingInterval + pingTimeout over %s",
    async (transport) => {
      const http = createServer();
      const server = new MockServer(http, { pingInterval: 300, pingTimeout: 200 });
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const socket = open(url, { transports: [transport] });
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      // NTP steps the wall clock back 60 s; the server goes silent.
      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, "now").mockImplementation(() => realNow() - 60_000);
      server.faults.blackHole({ scope: "current" });
      const started = performance.now();
      const reason = await new Promise<string>((resolve) => socket.once("disconnect", resolve));
      expect(reason).toBe("ping timeout");
      // Must: within the 500 ms budget and some slack, not 60 s later.
      expect(performance.now() - started).toBeLessThan(2_000);
    },
    10_000,
  );
});

describe("a WebSocket probe cut right after its probe pong", () => {
  /** The WebSocket transport, cut by the network as soon as it answered the upgrade probe. */
  const cutAfterProbe = {
    name: "websocket",
    open(options: TransportOptions, events: TransportEvents) {
      const transport = websocket.open(options, {
        ...events,
        onPacket(packet) {
          events.onPacket(packet);
          if (packet.type !== "pong" || packet.data !== "probe") return;
          transport.close();
          events.onClose("transport close", { description: "cut by the network" });
        },
      });
      return transport;
    },
  };

  it("leaves polling reading and writing, instead of paused until the ping timeout", async () => {
    const http = createServer();
    const server = new Server(http, { pingInterval: 5_000, pingTimeout: 5_000 });
    server.on("connection", (socket) => {
      socket.on("echo", (value: unknown, callback: (value: unknown) => void) => callback(value));
      const timer = setInterval(() => socket.emit("tick"), 50);
      socket.on("disconnect", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const socket = open(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: [polling, cutAfterProbe],
    });
    const upgradeFailed = new Promise<void>((resolve) =>
      socket.io.engine?.once("upgradeError", () => resolve()),
    );
    let ticks = 0;
    socket.on("tick", () => ticks++);
    await upgradeFailed;
    const before = ticks;
    expect(await socket.timeout(2_000).emitWithAck("echo", "still here")).toBe("still here");
    await expect.poll(() => ticks - before, { timeout: 2_000 }).toBeGreaterThan(3);
    expect(socket.io.engine?.transport?.name).toBe("polling");
    expect(socket.connected).toBe(true);
  }, 10_000);
});
