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

/** The TCP socket under a `ws` WebSocket (an internal of `ws`, reached for the bench only). */
type TcpSocket = { pause(): void; resume(): void };

/** A `ws` WebSocket that remembers its latest instance, so the bench can reach its TCP socket. */
class TrackedWebSocket extends WebSocket {
  static latest: TrackedWebSocket | undefined;
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    TrackedWebSocket.latest = this;
  }
}

/** The TCP sockets of the bench's connections, by client socket. */
const tcpSockets = new WeakMap<BenchSocket, () => TcpSocket>();

function connectWireline(url: string, options: Record<string, unknown>) {
  const socket = wirelineIo(url, { WebSocket: TrackedWebSocket, forceNew: true, ...options });
  const bench = socket as unknown as BenchSocket;
  tcpSockets.set(
    bench,
    () => (TrackedWebSocket.latest as unknown as { _socket: TcpSocket })._socket,
  );
  return { socket, bench };
}

const clients: Record<string, Connect> = {
  wireline: (url, options) => connectWireline(url, options).bench,
  // The same client with a devtools event log recording everything it does.
  "wireline with an event log": (url, options) => {
    const { socket, bench } = connectWireline(url, options);
    attachEventLog(socket);
    return bench;
  },
  "socket.io-client": (url, options) => {
    const socket = socketIoClient(url, { forceNew: true, ...options });
    const bench = socket as unknown as BenchSocket;
    type Internals = { engine: { transport: { ws: { _socket: TcpSocket } } } };
    tcpSockets.set(bench, () => (socket.io as unknown as Internals).engine.transport.ws._socket);
    return bench;
  },
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
/** How long the server gets to write a round's events while the client does not read them. */
const BACKLOG_MS = 600;

/**
 * Events received per second of the client's own CPU time, the median of the rounds after a
 * warm-up one. Wall time would measure the server, which cannot write frames as fast as a
 * client reads them; a single cold round would measure whichever client ran first unfairly.
 *
 * The client stops reading its TCP socket while the server writes a round, then reads the
 * backlog: both clients read the same bytes in the same large chunks. Read as they arrive, a
 * faster client wakes up for smaller reads and pays in system time for being fast, which
 * measured the arrival pattern rather than the client (earlier runs of this row did).
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
      const tcp = tcpSockets.get(socket)!();
      tcp.pause();
      socket.emit("flood", EVENTS);
      await new Promise((resolve) => setTimeout(resolve, BACKLOG_MS));
      const start = process.cpuUsage();
      tcp.resume();
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
