// Delivery through a storm of faults. One client emits a numbered sequence with `retries` while
// the server streams numbered ticks to it, and a seeded schedule of the mock server's faults
// drops, silences, restarts, refuses and slows its connections the whole time. Whatever the
// schedule, the promises of the README must hold: every emit is acknowledged exactly once, the
// server sees each one first in emit order, the stream never repeats or goes back (and resumes
// without a gap after a recovered reconnection), and nothing keeps running once it is over.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, STORM_FAULTS } from "@wireline/mock-server";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type IoOptions, io } from "../index.ts";

/** Emits in a run, one every {@link EMIT_EVERY_MS}: about two seconds of faults. */
const EMITS = 250;
const EMIT_EVERY_MS = 8;
const TICK_EVERY_MS = 10;
/** Namespaces multiplexed on the one connection, each emitting the sequence. */
const NAMESPACES = ["/", "/chat"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watches the timers started from now on (the client's and the server's), until `stop()`:
 * `pending` holds those neither fired nor cleared. A leak is one still there once all is closed.
 */
function watchTimers(): { pending: Set<unknown>; stop(): void } {
  const pending = new Set<unknown>();
  const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = globalThis;
  globalThis.setTimeout = ((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const timer = realSetTimeout(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    pending.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(timer);
    realClearTimeout(timer);
  }) as typeof clearTimeout;
  return {
    pending,
    stop() {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    },
  };
}

interface RunResult {
  /** The faults applied, in order: the first thing to read when an assertion fails. */
  schedule: readonly string[];
}

/**
 * How the client emits: with `retries` (every emit delivered, at least once), or with an ack
 * timeout and no retries (each emit delivered at most once, never after its ack timed out).
 */
type Delivery = "retries" | "timeouts";

/** Slack for a packet on the wire when its ack timed out: on loopback it lands within this. */
const IN_FLIGHT_MS = 100;

async function runStorm(
  seed: number,
  transports: IoOptions["transports"],
  delivery: Delivery,
): Promise<RunResult> {
  const timers = watchTimers();
  const http = createServer();
  const server = new Server(http, {
    pingInterval: 150,
    pingTimeout: 150,
    connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
  });
  /** Each namespace's saves as the server got them, retried copies too, with the time. */
  const arrivals = new Map<string, Array<{ seq: number; at: number }>>();
  for (const nsp of NAMESPACES) {
    const received: Array<{ seq: number; at: number }> = [];
    arrivals.set(nsp, received);
    server.of(nsp).on("connection", (socket) => {
      socket.on("save", (seq: number, ack: (reply: number) => void) => {
        // A handler that checks ids would ack a retried copy again and not act on it again.
        received.push({ seq, at: Date.now() });
        ack(seq);
      });
    });
  }
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  let tick = 0;
  const ticker = setInterval(() => server.emit("tick", tick++), TICK_EVERY_MS);

  const options =
    delivery === "retries" ? { retries: 1_000, ackTimeout: 400 } : { ackTimeout: 300 };
  const socket = io(url, {
    forceNew: true,
    WebSocket,
    transports,
    ...options,
    reconnectionDelay: 20,
    reconnectionDelayMax: 150,
  });
  const ticks: number[] = [];
  /** Ticks that did not follow on from the one before, though the connection was recovered. */
  const gapsAfterRecovery: Array<[number, number]> = [];
  /** The last connect was recovered and no tick came since: the next one must follow on. */
  let resuming = false;
  socket.on("connect", () => {
    resuming = socket.recovered;
  });
  socket.on("tick", (value: number) => {
    const last = ticks[ticks.length - 1];
    if (resuming && last !== undefined && value !== last + 1) gapsAfterRecovery.push([last, value]);
    resuming = false;
    ticks.push(value);
  });
  // A second namespace on the same connection: both resume and flush through every fault.
  const sockets = [socket, socket.io.socket("/chat", options)];
  /** Each namespace's acks: every call each emit's callback got (its arguments, and when). */
  const acks = new Map(
    NAMESPACES.map((nsp) => [nsp, new Map<number, Array<{ args: unknown[]; at: number }>>()]),
  );

  // Every fault there is, but refused WebSockets for a client that has no other transport.
  const storm = server.faults.storm({
    seed,
    faults: STORM_FAULTS.filter((fault) => fault !== "refuseWebSocket" || transports?.length !== 1),
  });

  try {
    for (let seq = 0; seq < EMITS; seq++) {
      for (const emitter of sockets) {
        const replies = acks.get(emitter.nsp)!;
        emitter.emit("save", seq, (...args: unknown[]) => {
          replies.set(seq, [...(replies.get(seq) ?? []), { args, at: Date.now() }]);
        });
      }
      await sleep(EMIT_EVERY_MS);
    }
    // Held faults lift; black-holed connections stay dead, as a path that lost frames does
    // (TCP never delivers later data once earlier data is lost), for the heartbeat to notice.
    storm.stop();

    const context = `seed ${seed}, faults: ${storm.schedule.join(", ")}`;
    const everySeq = Array.from({ length: EMITS }, (_, seq) => seq);
    for (const nsp of NAMESPACES) {
      const replies = acks.get(nsp)!;
      await expect
        .poll(() => replies.size, { timeout: 20_000, message: `all acked on ${nsp} (${context})` })
        .toBe(EMITS);
      const received = arrivals.get(nsp)!;
      const firstArrivals = [...new Set(received.map(({ seq }) => seq))];
      if (delivery === "retries") {
        // Every emit acknowledged exactly once, with its own reply and no error.
        for (const seq of everySeq)
          expect(
            replies.get(seq)?.map(({ args }) => args),
            `${nsp} ${context}`,
          ).toEqual([[null, seq]]);
        // At least once, and first seen in the order emitted.
        expect(firstArrivals, `${nsp} ${context}`).toEqual(everySeq);
        continue;
      }
      // At most once, in the order emitted.
      expect(
        received.map(({ seq }) => seq),
        `${nsp} ${context}`,
      ).toEqual(firstArrivals);
      expect(firstArrivals, `${nsp} ${context}`).toEqual([...firstArrivals].sort((a, b) => a - b));
      for (const seq of everySeq) {
        const calls = replies.get(seq)!;
        // Each callback called exactly once: the server's reply, or the timeout.
        expect(calls, `${nsp} seq ${seq} ${context}`).toHaveLength(1);
        const [{ args, at }] = calls as [{ args: unknown[]; at: number }];
        const arrival = received.find((entry) => entry.seq === seq);
        if (args[0] === null) {
          expect(args, `${nsp} ${context}`).toEqual([null, seq]);
          expect(arrival, `${nsp} seq ${seq} acked, so delivered (${context})`).toBeDefined();
        } else {
          // Timed out, or cut off by a disconnect while its reply could not come any more.
          expect(["operation has timed out", "socket has been disconnected"]).toContain(
            (args[0] as Error).message,
          );
          // Never sent late: once its ack gave up, the emit does not go out any more.
          if (arrival)
            expect(
              arrival.at,
              `${nsp} seq ${seq} arrived after its ack gave up (${context})`,
            ).toBeLessThanOrEqual(at + IN_FLIGHT_MS);
        }
      }
    }
    // The stream never repeats or goes back; a recovered connection resumes where it stopped.
    for (let index = 1; index < ticks.length; index++)
      expect(ticks[index]!, `tick ${index} (${context})`).toBeGreaterThan(ticks[index - 1]!);
    expect(gapsAfterRecovery, context).toEqual([]);
    expect(ticks.length, context).toBeGreaterThan(20);
    for (const emitter of sockets) {
      await expect.poll(() => emitter.connected, { message: context }).toBe(true);
      expect(emitter.outbox.size, context).toBe(0);
    }
    expect(socket.io.getSnapshot().status, context).toBe("connected");
  } finally {
    storm.stop();
    clearInterval(ticker);
    for (const emitter of sockets) emitter.disconnect();
    http.closeAllConnections();
    await server.close();
    await sleep(50);
    timers.stop();
  }
  // What the client and server had running (heartbeats, acks, backoff) stopped with them.
  expect(timers.pending.size, "timers left running").toBe(0);
  return { schedule: storm.schedule };
}

/**
 * Seeds of the runs: one per transport setting, or `WIRELINE_STORM_SEEDS=1-50` to try many
 * schedules (timing still varies between runs, so a seed narrows a failure down, no more).
 */
function seeds(): number[] {
  const range = /^(\d+)-(\d+)$/.exec(process.env.WIRELINE_STORM_SEEDS ?? "");
  if (!range) return [];
  const [first, last] = [Number(range[1]), Number(range[2])];
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
}

const TRANSPORT_SETTINGS = [
  ["WebSocket only", ["websocket"]],
  ["polling only", ["polling"]],
  ["the default transports (upgrades, fallbacks)", undefined],
] as const;

const chosenSeeds = seeds();
const RUNS =
  chosenSeeds.length > 0
    ? chosenSeeds.flatMap((seed) =>
        TRANSPORT_SETTINGS.map(([name, transports]) => [name, seed, transports] as const),
      )
    : TRANSPORT_SETTINGS.map(([name, transports], index) => [name, index + 1, transports] as const);

describe.each([
  ["with retries: every emit once acknowledged, first seen in order", "retries"],
  ["with ack timeouts: at most once, in order, never sent after its timeout", "timeouts"],
] as const)("delivery through a storm of faults %s", (_title, delivery) => {
  it.each(RUNS)("%s (seed %i)", { timeout: 40_000 }, async (_name, seed, transports) => {
    const { schedule } = await runStorm(seed, transports as IoOptions["transports"], delivery);
    // The schedule did storm: several kinds of fault, not one lucky quiet run.
    expect(new Set(schedule).size).toBeGreaterThanOrEqual(4);
  });
});
