// A thousand clients lose the same server at the same instant. With full jitter their
// reconnection attempts spread over the backoff window instead of arriving in one burst.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@wireline/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { io, type Socket } from "../index.ts";

const CLIENTS = 1000;
const FLOOR = 200;
const CAP = 2000;
/** The restarted server answers 503 this long, so each client goes through several attempts. */
const DOWNTIME = 1500;
const BUCKET = 50;
/** Slack for a pause of this process (GC, a busy loop) inside a measured delay. */
const PAUSE = 30;

interface ClientRecord {
  /** Delay of each scheduled attempt, in order, read from the connection snapshot. */
  delays: number[];
  /** Ms from the restart to `connect` again; undefined until then. */
  reconnectedAfter: number | undefined;
}

let server: Server;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  const http = createServer();
  server = new Server(http, { pingInterval: 25_000, pingTimeout: 20_000 });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server.close();
});

/** Counts per bucket of `width` ms, as lines of a text histogram. */
function histogram(
  values: number[],
  width: number,
): { buckets: Map<number, number>; text: string } {
  const buckets = new Map<number, number>();
  for (const value of values) {
    const start = Math.floor(value / width) * width;
    buckets.set(start, (buckets.get(start) ?? 0) + 1);
  }
  const starts = [...buckets.keys()].sort((a, b) => a - b);
  const widest = Math.max(...buckets.values());
  const lines = starts.map((start) => {
    const count = buckets.get(start)!;
    const bar = "#".repeat(Math.max(1, Math.round((count / widest) * 60)));
    return `${String(start).padStart(5)}-${String(start + width - 1).padEnd(5)} ms ${String(count).padStart(4)} ${bar}`;
  });
  return { buckets, text: lines.join("\n") };
}

describe("a thousand clients after a server restart", () => {
  it("reconnect spread over the full-jitter backoff window, never before the floor", async () => {
    const records: ClientRecord[] = [];
    for (let index = 0; index < CLIENTS; index++) {
      const socket = io(url, {
        forceNew: true,
        WebSocket,
        transports: ["websocket"],
        reconnectionDelay: FLOOR,
        reconnectionDelayMax: CAP,
      });
      const record: ClientRecord = { delays: [], reconnectedAfter: undefined };
      records.push(record);
      sockets.push(socket);
    }
    await expect
      .poll(() => sockets.filter((socket) => socket.connected).length, { timeout: 15_000 })
      .toBe(CLIENTS);

    let restartedAt = 0;
    sockets.forEach((socket, index) => {
      const record = records[index]!;
      // An attempt is scheduled (nextRetryAt = Date.now() + delay) in the same call that emits
      // `close` or (a failed attempt) `error`, just after them: timed from those, a pause in
      // between (GC) can only make a delay look longer, never shorter than it was.
      let scheduledFrom: number | undefined;
      const mark = () => {
        scheduledFrom = Date.now();
      };
      socket.io.on("close", mark);
      socket.io.on("error", mark);
      socket.io.on("state", (snapshot) => {
        if (snapshot.status !== "reconnecting" || snapshot.nextRetryAt === undefined) return;
        if (scheduledFrom === undefined) return;
        record.delays.push(snapshot.nextRetryAt - scheduledFrom);
        scheduledFrom = undefined;
      });
      socket.on("connect", () => {
        record.reconnectedAfter ??= Date.now() - restartedAt;
      });
    });

    restartedAt = Date.now();
    server.faults.restart({ downtimeMs: DOWNTIME });
    await expect
      .poll(() => records.filter((record) => record.reconnectedAfter !== undefined).length, {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(CLIENTS);

    const reconnectTimes = records.map((record) => record.reconnectedAfter!);
    const firstDelays = records.map((record) => record.delays[0]!);
    const times = histogram(reconnectTimes, BUCKET);
    const first = histogram(firstDelays, BUCKET);
    const report = [
      `${CLIENTS} clients, reconnectionDelay ${FLOOR} ms, reconnectionDelayMax ${CAP} ms, server down ${DOWNTIME} ms`,
      `reconnect time after the restart: min ${Math.min(...reconnectTimes)} ms, max ${Math.max(...reconnectTimes)} ms, ${times.buckets.size} buckets of ${BUCKET} ms`,
      times.text,
      "",
      `first attempt delay (window ${FLOOR}-${FLOOR * 2} ms):`,
      first.text,
      "",
    ].join("\n");
    console.log(report);
    mkdirSync("test-results", { recursive: true });
    writeFileSync("test-results/reconnect-histogram.txt", report);

    expect(records.filter((record) => record.delays.length === 0)).toEqual([]);
    // Every scheduled delay lies in attempt n's window [floor, min(cap, floor·2^(n+1))].
    for (const record of records) {
      record.delays.forEach((delay, attempt) => {
        expect(delay).toBeGreaterThanOrEqual(FLOOR);
        expect(delay).toBeLessThanOrEqual(Math.min(CAP, FLOOR * 2 ** (attempt + 1)) + PAUSE);
      });
    }
    // Nobody came back before the floor, nor while the server was still down.
    expect(Math.min(...reconnectTimes)).toBeGreaterThanOrEqual(DOWNTIME);
    // Spread, not lockstep: the first delays cover their whole window and no millisecond value
    // is shared by more than 2% of the clients (whole-ms delays in a 200 ms window must repeat).
    expect(Math.min(...firstDelays)).toBeLessThan(FLOOR + 20);
    expect(Math.max(...firstDelays)).toBeGreaterThan(FLOOR * 2 - 20);
    const perValue = new Map<number, number>();
    for (const delay of firstDelays) perValue.set(delay, (perValue.get(delay) ?? 0) + 1);
    expect(Math.max(...perValue.values())).toBeLessThanOrEqual(CLIENTS * 0.02);
    // The reconnections themselves land in many 50 ms buckets, none holding more than 15%:
    // overlapping attempt windows make a natural peak near 10%; lockstep would put most in one.
    expect(times.buckets.size).toBeGreaterThanOrEqual(20);
    expect(Math.max(...times.buckets.values())).toBeLessThanOrEqual(CLIENTS * 0.15);
  }, 40_000);
});
