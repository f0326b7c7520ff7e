import { describe, expect, it } from "vitest";
import { Backoff, backoffFromSocketIoOptions, computeBackoffDelay } from "../backoff.ts";

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

describe("the stateful Backoff", () => {
  it("counts attempts, gives up with undefined after the limit, and starts over on reset", () => {
    const backoff = new Backoff({ min: 100, max: 1000, attempts: 2, random: () => 1 });
    expect(backoff.next()).toBe(200);
    expect(backoff.next()).toBe(400);
    expect(backoff.attempts).toBe(2);
    expect(backoff.next()).toBeUndefined();
    expect(backoff.attempts).toBe(2);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(200);
  });

  it("never runs out by default and stays finite after a million attempts", () => {
    const backoff = new Backoff();
    let delay: number | undefined;
    for (let i = 0; i < 1_000_000; i++) delay = backoff.next();
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(5000);
  });

  it("takes socket.io-client's option names and defaults", () => {
    expect(backoffFromSocketIoOptions({})).toEqual({
      min: 1000,
      max: 5000,
      jitter: "full",
      attempts: Infinity,
    });
    expect(
      backoffFromSocketIoOptions({
        reconnectionDelay: 200,
        reconnectionDelayMax: 800,
        randomizationFactor: 0.2,
        reconnectionAttempts: 3,
      }),
    ).toEqual({ min: 200, max: 800, jitter: 0.2, attempts: 3 });
  });
});
