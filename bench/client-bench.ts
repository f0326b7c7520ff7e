// @wireline/sdk vs socket.io-client in Node, against the same socket.io server, one run.
import { io as wirelineIo } from "@wireline/sdk";
import { attachEventLog } from "@wireline/sdk/devtools";
import { io as socketIoClient } from "socket.io-client";
import { WebSocket } from "ws";
import type { BenchRow } from "./report.ts";
import { spawnServer } from "./spawn-server.ts";

const EVENTS = 50_000;
const ACKED_EMITS = 2_000;

interface BenchSocket {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}

type Connect = (url: string, options: Record<string, unknown>) => BenchSocket;

const clients: Record<string, Connect> = {
  wireline: (url, options) =>
    wirelineIo(url, { WebSocket, forceNew: true, ...options }) as unknown as BenchSocket,
  // The same client with a devtools event log recording everything it does.
  "wireline with an event log": (url, options) => {
    const socket = wirelineIo(url, { WebSocket, forceNew: true, ...options });
    attachEventLog(socket);
    return socket as unknown as BenchSocket;
  },
  "socket.io-client": (url, options) =>
    socketIoClient(url, { forceNew: true, ...options }) as unknown as BenchSocket,
};

/** Runs `measure` against a socket.io server in its own process, so only client work is timed here. */
async function withServer<T>(
  run: (url: string, requestsSoFar: () => Promise<number>) => Promise<T>,
): Promise<T> {
  const server = await spawnServer("socket.io");
  try {
    const requests = async () => (await server.ask({ type: "requests" }, "requests")).count!;
    return await run(`http://127.0.0.1:${server.port}`, requests);
  } finally {
    server.stop();
  }
}

function connected(socket: BenchSocket): Promise<void> {
  return new Promise((resolve) => socket.on("connect", () => resolve()));
}

/** Rounds of the event flood per client: the first warms the JIT up and is not counted. */
const FLOOD_ROUNDS = 4;

/**
 * Events received per second of the client's own CPU time, the median of the rounds after a
 * warm-up one. Wall time would measure the server, which cannot write frames as fast as a
 * client reads them; a single cold round would measure whichever client ran first unfairly.
 */
async function eventsPerCpuSecond(connect: Connect): Promise<number> {
  return withServer(async (url) => {
    const socket = connect(url, { transports: ["websocket"] });
    await connected(socket);
    const rates: number[] = [];
    for (let round = 0; round < FLOOD_ROUNDS; round++) {
      let received = 0;
      let listener: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        listener = () => {
          if (++received === EVENTS) resolve();
        };
        socket.on("event", listener);
      });
      const start = process.cpuUsage();
      socket.emit("flood", EVENTS);
      await done;
      const { user, system } = process.cpuUsage(start);
      socket.off("event", listener);
      if (round > 0) rates.push(EVENTS / ((user + system) / 1e6));
    }
    socket.disconnect();
    return median(rates);
  });
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
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
  return withServer(async (url, requestsSoFar) => {
    const socket = connect(url, {});
    await connected(socket);
    const requests = await requestsSoFar();
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
      name: `events received per client CPU second (${EVENTS})`,
      unit: "ev/s",
      better: "higher",
      aim: 1.3,
      ...common,
      ...(await measure(eventsPerCpuSecond)),
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
      // What recording costs: the SDK has no devtools hook of its own, so with no log attached
      // the receive path is the first row's; attached, the log decodes and sizes every packet.
      name: "events per CPU second with a devtools event log attached",
      unit: "ev/s",
      better: "higher",
      baselineName: "Wireline without a log",
      wireline: await eventsPerCpuSecond(clients["wireline with an event log"]!),
      baseline: await eventsPerCpuSecond(clients.wireline!),
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
