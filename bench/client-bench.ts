// @wireline/sdk vs socket.io-client in Node, against the same socket.io server, one run.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as wirelineIo } from "@wireline/sdk";
import { Server } from "socket.io";
import { io as socketIoClient } from "socket.io-client";
import { WebSocket } from "ws";
import type { BenchRow } from "./report.ts";

const EVENTS = 20_000;
const ACKED_EMITS = 2_000;

interface BenchSocket {
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}

type Connect = (url: string, options: Record<string, unknown>) => BenchSocket;

const clients: Record<string, Connect> = {
  wireline: (url, options) =>
    wirelineIo(url, { WebSocket, forceNew: true, ...options }) as unknown as BenchSocket,
  "socket.io-client": (url, options) =>
    socketIoClient(url, { forceNew: true, ...options }) as unknown as BenchSocket,
};

async function withServer<T>(
  run: (url: string, counts: { requests: number }) => Promise<T>,
): Promise<T> {
  const httpServer = createServer();
  const counts = { requests: 0 };
  const io = new Server(httpServer);
  // Counted after the server attached: engine.io wraps the request listeners present before it.
  httpServer.on("request", () => counts.requests++);
  httpServer.on("upgrade", () => counts.requests++);
  io.on("connection", (socket) => {
    socket.on("flood", (count: number) => {
      for (let index = 0; index < count; index++) socket.emit("event", index, "a typical payload");
    });
    socket.on("acked", (_value: number, ack: () => void) => ack());
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  try {
    return await run(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, counts);
  } finally {
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }
}

function connected(socket: BenchSocket): Promise<void> {
  return new Promise((resolve) => socket.on("connect", () => resolve()));
}

async function eventsPerSecond(connect: Connect): Promise<number> {
  return withServer(async (url) => {
    const socket = connect(url, { transports: ["websocket"] });
    await connected(socket);
    let received = 0;
    const done = new Promise<void>((resolve) =>
      socket.on("event", () => {
        if (++received === EVENTS) resolve();
      }),
    );
    const start = performance.now();
    socket.emit("flood", EVENTS);
    await done;
    socket.disconnect();
    return EVENTS / ((performance.now() - start) / 1000);
  });
}

async function ackedEmitsPerSecond(connect: Connect): Promise<number> {
  return withServer(async (url) => {
    // With retries, socket.io-client sends one packet at a time; Wireline pipelines them.
    const socket = connect(url, { transports: ["websocket"], retries: 1, ackTimeout: 10_000 });
    await connected(socket);
    const start = performance.now();
    await Promise.all(
      Array.from(
        { length: ACKED_EMITS },
        (_, index) => new Promise((resolve) => socket.emit("acked", index, resolve)),
      ),
    );
    socket.disconnect();
    return ACKED_EMITS / ((performance.now() - start) / 1000);
  });
}

async function requestsBeforeConnect(connect: Connect): Promise<number> {
  return withServer(async (url, counts) => {
    const socket = connect(url, {});
    await connected(socket);
    const requests = counts.requests;
    socket.disconnect();
    return requests;
  });
}

/** Client figures: events received per second, pipelined acknowledged emits, requests before connect. */
export async function clientRows(): Promise<BenchRow[]> {
  const common = { baselineName: "socket.io-client" } as const;
  const measure = async (fn: (connect: Connect) => Promise<number>) => ({
    wireline: await fn(clients.wireline!),
    baseline: await fn(clients["socket.io-client"]!),
  });
  return [
    {
      name: `events received (${EVENTS}, WebSocket)`,
      unit: "ev/s",
      better: "higher",
      aim: 1.3,
      ...common,
      ...(await measure(eventsPerSecond)),
    },
    {
      name: `acked emits with retries (${ACKED_EMITS})`,
      unit: "acks/s",
      better: "higher",
      aim: 1.3,
      ...common,
      ...(await measure(ackedEmitsPerSecond)),
    },
    {
      name: "HTTP requests + upgrades before connect (defaults)",
      unit: "req",
      better: "lower",
      ...common,
      ...(await measure(requestsBeforeConnect)),
    },
  ];
}
