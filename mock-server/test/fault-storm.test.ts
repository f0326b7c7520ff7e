import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Server, STORM_FAULTS, type StormFaultName } from "../src/index.ts";
import { reportedDuring } from "./helpers.ts";

// The fault storm: seeded, replayable, bounded to the faults asked for, ended by stop(), clear()
// or the server's close, and driven over HTTP as the other faults are.

const servers: Server[] = [];
const clients: Socket[] = [];

async function start(): Promise<{ io: Server; base: string }> {
  const httpServer = createServer();
  const io = new Server(httpServer, { pingInterval: 100, pingTimeout: 100 });
  io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (reply: unknown) => void) => ack(value));
  });
  servers.push(io);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return { io, base: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  for (const io of servers.splice(0)) await io.close();
});

async function post(base: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}/socket.io/__faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const fast = { gapMs: [2, 5], holdMs: [5, 10] } as const;

describe("io.faults.storm()", () => {
  it("draws the same faults in the same order from the same seed, and others from another", async () => {
    const first = await start();
    const second = await start();
    const third = await start();
    const storms = [
      first.io.faults.storm({ seed: 7, ...fast }),
      second.io.faults.storm({ seed: 7, ...fast }),
      third.io.faults.storm({ seed: 8, ...fast }),
    ];
    await expect
      .poll(() => Math.min(...storms.map((storm) => storm.schedule.length)))
      .toBeGreaterThanOrEqual(12);
    for (const storm of storms) storm.stop();
    const [a, b, c] = storms.map((storm) => storm.schedule.slice(0, 12));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(storms[0]!.seed).toBe(7);
  });

  it("strikes only the faults it is given, and reports each as it strikes", async () => {
    const { io } = await start();
    const only: StormFaultName[] = ["dropTransports", "rejectHandshakes"];
    const reported: StormFaultName[] = [];
    const storm = io.faults.storm({
      ...fast,
      faults: only,
      onFault: (fault) => reported.push(fault),
    });
    await expect.poll(() => storm.schedule.length).toBeGreaterThanOrEqual(10);
    storm.stop();
    expect(new Set(storm.schedule)).toEqual(new Set(only));
    expect(reported).toEqual(storm.schedule);
  });

  it("stop() ends it and lifts what it holds: the server is usable again at once", async () => {
    const { io, base } = await start();
    const storm = io.faults.storm({
      ...fast,
      holdMs: [60_000, 60_000],
      faults: ["rejectHandshakes", "refuseWebSocket", "delayHandshakes"],
    });
    await expect.poll(() => Object.keys(io.faults.active()).length).toBeGreaterThanOrEqual(3);
    storm.stop();
    expect(storm.running).toBe(false);
    expect(io.faults.active()).toEqual({});
    const struck = storm.schedule.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(storm.schedule.length).toBe(struck);
    const socket = connect(base, { forceNew: true, transports: ["websocket"] });
    clients.push(socket);
    expect(await socket.timeout(2000).emitWithAck("echo", "after")).toBe("after");
  });

  it("stop() ends a restart's downtime too: the server takes handshakes again at once", async () => {
    const { io } = await start();
    const storm = io.faults.storm({ gapMs: [1, 2], faults: ["restart"] });
    // A restart is down for up to 300 ms: stopped while one is, the storm lifts it.
    await expect.poll(() => io.faults.active().restart).toBeGreaterThan(50);
    storm.stop();
    expect(io.faults.active()).toEqual({});
  });

  it("holds a fault struck again while it holds until the later hold ends, not the first", async () => {
    const { io } = await start();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      // A strike every 100 ms, each holding 250 ms: every hold overlaps the next strike's.
      const storm = io.faults.storm({
        gapMs: [100, 100],
        holdMs: [250, 250],
        faults: ["rejectHandshakes"],
      });
      for (let elapsed = 0; elapsed < 1_000; elapsed += 50) {
        vi.advanceTimersByTime(50);
        if (storm.schedule.length > 0)
          expect(io.faults.active(), `${elapsed} ms`).toHaveProperty("rejectHandshakes");
      }
      expect(storm.schedule.length).toBeGreaterThanOrEqual(9);
      storm.stop();
      expect(io.faults.active()).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps clients reconnecting through it, and they work once it ends", async () => {
    const { io, base } = await start();
    const socket = connect(base, {
      forceNew: true,
      reconnectionDelay: 10,
      reconnectionDelayMax: 50,
    });
    clients.push(socket);
    await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
    let disconnects = 0;
    socket.on("disconnect", () => disconnects++);
    const storm = io.faults.storm({ seed: 3, gapMs: [30, 60], holdMs: [20, 80] });
    await expect.poll(() => disconnects, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    storm.stop();
    expect(await socket.timeout(5_000).emitWithAck("echo", "calm")).toBe("calm");
  });

  it("ends with clear(), clear('storm') and the server's close", async () => {
    const { io } = await start();
    const cleared = io.faults.storm(fast);
    expect(io.faults.active()).toEqual({ storm: cleared.seed });
    io.faults.clear();
    expect(cleared.running).toBe(false);
    const byName = io.faults.storm(fast);
    io.faults.clear("storm");
    expect(byName.running).toBe(false);
    // A second storm replaces the first.
    const replaced = io.faults.storm(fast);
    const replacing = io.faults.storm({ ...fast, seed: 1 });
    expect(replaced.running).toBe(false);
    expect(io.faults.active()).toMatchObject({ storm: 1 });
    await io.close();
    expect(replacing.running).toBe(false);
  });

  it("rejects options it cannot use, with a message that says what it takes", async () => {
    const { io } = await start();
    expect(() => io.faults.storm({ faults: ["earthquake" as StormFaultName] })).toThrow(
      `a storm draws from ${STORM_FAULTS.join(", ")}`,
    );
    expect(() => io.faults.storm({ faults: [] })).toThrow("a storm draws from");
    expect(() => io.faults.storm({ seed: -1 })).toThrow("a storm seed is a whole number >= 0");
    expect(() => io.faults.storm({ gapMs: [50, 10] })).toThrow(
      "storm gapMs needs [shortest, longest] ms",
    );
    expect(() => io.faults.storm({ onFault: "log" as never })).toThrow(
      'a storm\'s onFault is a function (fault) => void, got "log"',
    );
    expect(io.faults.active()).toEqual({});
  });

  it("goes on striking when onFault throws, reporting each error", async () => {
    const { io } = await start();
    let storm: ReturnType<typeof io.faults.storm> | undefined;
    const reported = await reportedDuring(async () => {
      storm = io.faults.storm({
        ...fast,
        onFault: () => {
          throw new Error("app bug in onFault");
        },
      });
      await expect.poll(() => storm!.schedule.length).toBeGreaterThanOrEqual(3);
      storm.stop();
    });
    expect(reported.length).toBe(storm!.schedule.length);
    expect(new Set(reported)).toEqual(new Set(["uncaughtException: app bug in onFault"]));
  });

  it("refuses to start on a closed server, where it would strike for ever", async () => {
    const { io } = await start();
    await io.close();
    expect(() => io.faults.storm(fast)).toThrow(
      "Wireline: cannot start a storm on a closed server; start it before io.close()",
    );
    expect(io.faults.active()).toEqual({});
  });
});

describe("the storm over HTTP", () => {
  it('starts with {"action":"storm","seed":n}, shows in the active faults, stops with clear', async () => {
    const { io, base } = await start();
    const started = await post(base, { action: "storm", seed: 5, faults: ["dropTransports"] });
    expect(started).toEqual({ status: 200, json: { ok: true, active: { storm: 5 } } });
    const response = await fetch(`${base}/socket.io/__faults`);
    expect(await response.json()).toEqual({ active: { storm: 5 } });
    const cleared = await post(base, { action: "clear", fault: "storm" });
    expect(cleared).toEqual({ status: 200, json: { ok: true, active: {} } });
    expect(io.faults.active()).toEqual({});
  });

  it("answers 400 with the reason for a bad seed or an unknown fault, and starts nothing", async () => {
    const { io, base } = await start();
    const badSeed = await post(base, { action: "storm", seed: 1.5 });
    expect(badSeed.status).toBe(400);
    expect(String((badSeed.json as { error: string }).error)).toContain(
      '"seed" needs a whole number',
    );
    const badFault = await post(base, { action: "storm", faults: ["nope"] });
    expect(badFault.status).toBe(400);
    expect(String((badFault.json as { error: string }).error)).toContain("a storm draws from");
    const badGap = await post(base, { action: "storm", gapMs: 100 });
    expect(badGap.status).toBe(400);
    expect(String((badGap.json as { error: string }).error)).toContain(
      "storm gapMs needs [shortest, longest] ms",
    );
    const notAList = await post(base, { action: "storm", faults: "restart" });
    expect(String((notAList.json as { error: string }).error)).toContain("a storm draws from");
    expect(io.faults.active()).toEqual({});
  });

  it("takes the pace as gapMs and holdMs", async () => {
    const { base } = await start();
    const socket = connect(base, {
      forceNew: true,
      transports: ["websocket"],
      reconnectionDelay: 1,
      reconnectionDelayMax: 5,
    });
    clients.push(socket);
    await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
    let disconnects = 0;
    socket.on("disconnect", () => disconnects++);
    const paced = { gapMs: [20, 30], holdMs: [1, 2], faults: ["dropTransports"] };
    expect((await post(base, { action: "storm", ...paced })).status).toBe(200);
    // A drop every 20-30 ms: several within half a second (the default pace allows two at most).
    await expect.poll(() => disconnects, { timeout: 500 }).toBeGreaterThanOrEqual(4);
    await post(base, { action: "clear", fault: "storm" });
  });
});
