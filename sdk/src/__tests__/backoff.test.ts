import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { computeBackoffDelay } from "../backoff.ts";
import { createFakeLifecycle, type FakeLifecycle, Manager, type ManagerOptions } from "../index.ts";

const options = { min: 1000, max: 5000 };

describe("the reconnection delay schedule", () => {
  it("stays finite and within [floor, cap] for every attempt number, however large or odd", () => {
    for (const attempt of [
      0,
      1,
      2,
      10,
      31,
      32,
      53,
      1018,
      1019,
      1e6,
      Number.MAX_SAFE_INTEGER,
      Infinity,
      -1,
      NaN,
    ]) {
      for (const random of [0, 0.5, 0.999999]) {
        const delay = computeBackoffDelay(attempt, { ...options, random: () => random });
        expect(Number.isFinite(delay), `attempt ${attempt}`).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(1000);
        expect(delay).toBeLessThanOrEqual(5000);
      }
    }
  });

  it("doubles the window each attempt until the cap", () => {
    const top = (attempt: number) => computeBackoffDelay(attempt, { ...options, random: () => 1 });
    expect([0, 1, 2, 3].map(top)).toEqual([2000, 4000, 5000, 5000]);
    expect(computeBackoffDelay(5, { ...options, random: () => 0 })).toBe(1000);
  });

  it("spreads 1,000 clients across the window at the cap instead of retrying in lockstep", () => {
    const delays = Array.from({ length: 1000 }, () => computeBackoffDelay(1e6, options));
    const distinct = new Set(delays);
    // Whole milliseconds in a 4,001-value window: ~885 distinct values are expected from 1,000 draws.
    expect(distinct.size).toBeGreaterThan(800);
    // Every fifth of the window gets a share: no thundering herd at one instant.
    const buckets = [0, 0, 0, 0, 0];
    for (const delay of delays) buckets[Math.min(4, Math.floor((delay - 1000) / 800))]!++;
    for (const count of buckets) expect(count).toBeGreaterThan(120);
  });

  it("spreads even the first attempt, so a restarted server is not hit all at once", () => {
    const first = new Set(Array.from({ length: 200 }, () => computeBackoffDelay(0, options)));
    expect(first.size).toBeGreaterThan(150);
  });

  it("tolerates nonsense options without NaN: a negative floor, a cap below the floor, Infinity", () => {
    expect(computeBackoffDelay(3, { min: -5, max: 100, random: () => 0.5 })).toBeGreaterThanOrEqual(
      0,
    );
    expect(computeBackoffDelay(3, { min: 1000, max: 10, random: () => 0.5 })).toBe(1000);
    expect(Number.isFinite(computeBackoffDelay(3, { min: 1000, max: Infinity }))).toBe(true);
  });
});

describe("the schedule with socket.io-client's randomizationFactor", () => {
  const factor = { min: 1000, max: 5000, jitter: 0.5 };

  it("keeps 10,000 samples of any attempt within [floor, cap], finite and never 0", () => {
    for (let i = 0; i < 10_000; i++) {
      const attempt = [0, 1, 2, 3, 1018, 1019, 1e6, Infinity, NaN, -3][i % 10] as number;
      const delay = computeBackoffDelay(attempt, factor);
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });

  it("spreads ±factor around min·2^attempt, never under the floor", () => {
    const at = (attempt: number, random: number) =>
      computeBackoffDelay(attempt, { ...factor, random: () => random });
    expect([at(0, 0), at(0, 1)]).toEqual([1000, 1500]);
    expect([at(1, 0), at(1, 1)]).toEqual([1000, 3000]);
  });

  it("keeps its jitter at the cap, where socket.io-client's vanishes", () => {
    const delays = Array.from({ length: 1000 }, () => computeBackoffDelay(1e6, factor));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2500);
    expect(new Set(delays).size).toBeGreaterThan(500);
  });

  it("honours a factor of 0 as no jitter at all", () => {
    expect(computeBackoffDelay(1, { ...factor, jitter: 0, random: () => 0.7 })).toBe(2000);
  });
});

describe("the Manager's reconnection schedule", () => {
  /** A URL where nothing listens, so every attempt fails fast. */
  async function deadUrl(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}`;
  }

  function schedule(url: string, lifecycle: FakeLifecycle, options: ManagerOptions = {}) {
    const manager = new Manager(url, {
      WebSocket,
      transports: ["websocket"],
      lifecycle,
      reconnectionDelay: 10,
      reconnectionDelayMax: 40,
      ...options,
    });
    const delays: Array<[number, number]> = [];
    manager.on("backoff", (attempt, delay) => delays.push([attempt, delay]));
    return { manager, delays };
  }

  it("gives up after reconnectionAttempts with reconnect_failed", async () => {
    const { manager, delays } = schedule(await deadUrl(), createFakeLifecycle(), {
      reconnectionAttempts: 3,
    });
    await new Promise((resolve) => manager.once("reconnect_failed", () => resolve(undefined)));
    expect(delays.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(manager.getSnapshot()).toMatchObject({ status: "disconnected", attempt: 0 });
    manager.close();
  });

  it("honours socket.io-client's randomizationFactor when it is set", async () => {
    const { manager, delays } = schedule(await deadUrl(), createFakeLifecycle(), {
      reconnectionDelay: 100,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0,
    });
    await expect.poll(() => delays.length).toBeGreaterThanOrEqual(1);
    manager.close();
    // No jitter: exactly the floor for the first attempt, as socket.io-client would wait.
    expect(delays[0]).toEqual([1, 100]);
  });

  it("waits as if at the cap while the page is hidden, and tries at once when it is visible", async () => {
    const lifecycle = createFakeLifecycle();
    lifecycle.setVisible(false);
    const { manager, delays } = schedule(await deadUrl(), lifecycle, {
      reconnectionDelay: 100,
      reconnectionDelayMax: 1e9,
    });
    await expect.poll(() => delays.length).toBe(1);
    // Hidden: drawn from the whole window up to the cap, not the first attempt's [100, 200].
    expect(delays[0]?.[1]).toBeGreaterThan(200);
    const attempts: number[] = [];
    manager.on("reconnect_attempt", (attempt) => attempts.push(attempt));
    lifecycle.setVisible(true);
    expect(attempts).toEqual([1]);
    manager.close();
  });
});
