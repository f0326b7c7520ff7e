// Networks that fool a client without failing: a WebSocket probe cut right after it answered,
// and a wall clock that steps back (NTP, a user's change) while the server went silent.
// Wireline must go on, and notice.
import type { Server as MockServer } from "@wireline/mock-server";
import type { ServerOptions, Socket as ServerSocket } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import type { TransportEvents, TransportOptions } from "../engine/transport.ts";
import { io, polling, type Socket, websocket } from "../index.ts";
import {
  mockServer,
  type ServerFactory,
  socketIoServer,
  type TestServer,
} from "./server-factories.ts";

const closers: Array<() => Promise<void>> = [];
const sockets: Socket[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const close of closers.splice(0)) await close();
});

/** Starts a server of `factory` whose sockets get `onConnection`; closed after the test. */
async function start(
  factory: ServerFactory,
  options: Partial<ServerOptions>,
  onConnection: (socket: ServerSocket) => void = () => {},
): Promise<TestServer> {
  const server = await factory(options, (io) => io.on("connection", onConnection));
  closers.push(() => server.close());
  return server;
}

/** Answers an `echo` with its value. */
const echo = (socket: ServerSocket) =>
  socket.on("echo", (value: unknown, callback: (value: unknown) => void) => callback(value));

function open(url: string, options: Record<string, unknown> = {}): Socket {
  const socket = io(url, { forceNew: true, reconnection: false, WebSocket, ...options });
  sockets.push(socket);
  return socket;
}

describe("a wall clock stepping back while the server went silent", () => {
  it.each(["websocket", "polling"])(
    "still notices the dead connection by pingInterval + pingTimeout over %s",
    async (transport) => {
      const server = await start(mockServer, { pingInterval: 300, pingTimeout: 200 });
      const socket = open(server.url, { transports: [transport] });
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      // NTP steps the wall clock back 60 s; the server goes silent.
      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, "now").mockImplementation(() => realNow() - 60_000);
      (server.io as unknown as MockServer).faults.blackHole({ scope: "current" });
      const started = performance.now();
      const reason = await new Promise<string>((resolve) => socket.once("disconnect", resolve));
      expect(reason).toBe("ping timeout");
      // Must: within twice the 500 ms budget and some slack, not 60 s later.
      expect(performance.now() - started).toBeLessThan(3_000);
    },
    10_000,
  );
});

describe("fake timers switched off in a test", () => {
  it("raise no false ping timeout (the heartbeat needs no clock the test may have faked)", async () => {
    const server = await start(mockServer, { pingInterval: 300, pingTimeout: 300 }, echo);
    const socket = open(server.url, { transports: ["websocket"] });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await new Promise<void>((resolve) => socket.io.engine?.once("ping", () => resolve()));
    vi.useRealTimers();
    const lost: string[] = [];
    socket.on("disconnect", (reason) => lost.push(reason));
    expect(await socket.timeout(1_000).emitWithAck("echo", "after")).toBe("after");
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(lost).toEqual([]);
  });
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
    const server = await start(
      socketIoServer,
      { pingInterval: 5_000, pingTimeout: 5_000 },
      (socket) => {
        echo(socket);
        const timer = setInterval(() => socket.emit("tick"), 50);
        socket.on("disconnect", () => clearInterval(timer));
      },
    );
    const socket = open(server.url, { transports: [polling, cutAfterProbe] });
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
