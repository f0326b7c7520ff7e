import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isConnectionStale, LIVENESS_SIGNALS, LivenessWatch } from "../lifecycle/liveness-watch.ts";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

/** A watch with socket.io's default timings: dead after 45 s of silence. */
function watch(grace?: number): LivenessWatch {
  return new LivenessWatch({
    pingInterval: 25_000,
    pingTimeout: 20_000,
    ...(grace === undefined ? {} : { grace }),
  });
}

/** The wall clock moves on without any timer running, as in a frozen page. */
function freezeFor(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

describe("the liveness deadline", () => {
  it("is stale only past pingInterval + pingTimeout since the last traffic", () => {
    expect(isConnectionStale(0, 45_000, 25_000, 20_000)).toBe(false);
    expect(isConnectionStale(0, 45_001, 25_000, 20_000)).toBe(true);
  });

  it("never calls a connection stale while its timings are unknown", () => {
    expect(isConnectionStale(0, 1e12, Number.NaN, Number.NaN)).toBe(false);
    freezeFor(1e9);
    expect(new LivenessWatch().check("visible")).toBe("alive");
  });

  it("is checked on the signals after which a connection may have died unnoticed", () => {
    expect([...LIVENESS_SIGNALS].sort()).toEqual(["online", "pageshow", "resume", "visible"]);
  });
});

describe("the liveness watch", () => {
  it("leaves a connection with recent traffic alone, without starting a timer", () => {
    const liveness = watch();
    const dead = vi.fn();
    liveness.onDead(dead);
    freezeFor(40_000);
    expect(liveness.check("visible")).toBe("alive");
    expect(vi.getTimerCount()).toBe(0);
    expect(dead).not.toHaveBeenCalled();
  });

  it("reports a silent connection dead after a 300 ms grace when the page comes back", () => {
    const liveness = watch();
    const dead = vi.fn();
    liveness.onDead(dead);
    freezeFor(60_000);
    expect(liveness.check("resume")).toBe("grace");
    vi.advanceTimersByTime(299);
    expect(dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(dead).toHaveBeenCalledExactlyOnceWith("resume");
  });

  it("spares a connection whose queued ping is read during the grace", () => {
    const liveness = watch();
    const dead = vi.fn();
    liveness.onDead(dead);
    freezeFor(60_000);
    liveness.check("visible");
    vi.advanceTimersByTime(100);
    liveness.noteTraffic();
    vi.advanceTimersByTime(1000);
    expect(dead).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not stack graces when several signals arrive together", () => {
    const liveness = watch(500);
    const dead = vi.fn();
    liveness.onDead(dead);
    freezeFor(60_000);
    liveness.check("resume");
    liveness.check("visible");
    liveness.check("pageshow");
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500);
    expect(dead).toHaveBeenCalledExactlyOnceWith("resume");
  });

  it("uses timings learnt after construction from the handshake", () => {
    const liveness = new LivenessWatch();
    liveness.setTiming(1000, 1000);
    freezeFor(2001);
    expect(liveness.isStale()).toBe(true);
  });

  it("stops a pending grace and its listeners when disposed", () => {
    const liveness = watch();
    const dead = vi.fn();
    liveness.onDead(dead);
    freezeFor(60_000);
    liveness.check("online");
    liveness.dispose();
    vi.advanceTimersByTime(1000);
    expect(dead).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops telling a listener that unsubscribed", () => {
    const liveness = watch(0);
    const dead = vi.fn();
    liveness.onDead(dead)();
    freezeFor(60_000);
    liveness.check("visible");
    vi.runAllTimers();
    expect(dead).not.toHaveBeenCalled();
  });
});
