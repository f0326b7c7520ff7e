import { describe, expect, it, vi } from "vitest";
import { defaultLifecycle, noopLifecycle } from "../lifecycle.ts";
import { createFakeLifecycle } from "../lifecycle-fake.ts";

describe("the lifecycle outside a browser", () => {
  it("is always online and visible, and never signals, in Node", () => {
    for (const lifecycle of [noopLifecycle(), defaultLifecycle()]) {
      const listener = vi.fn();
      const stop = lifecycle.subscribe(listener);
      expect(lifecycle.isOnline()).toBe(true);
      expect(lifecycle.isVisible()).toBe(true);
      stop();
      expect(listener).not.toHaveBeenCalled();
    }
  });
});

describe("the fake lifecycle for tests", () => {
  it("fires online/offline and visible/hidden only when the state changes", () => {
    const lifecycle = createFakeLifecycle();
    const signals: string[] = [];
    const stop = lifecycle.subscribe((signal) => signals.push(signal));
    lifecycle.setOnline(true);
    lifecycle.setOnline(false);
    lifecycle.setVisible(false);
    lifecycle.setVisible(true);
    expect(signals).toEqual(["offline", "hidden", "visible"]);
    expect(lifecycle.isOnline()).toBe(false);
    stop();
    expect(lifecycle.listenerCount).toBe(0);
  });

  it("fires any signal with its detail", () => {
    const lifecycle = createFakeLifecycle();
    const listener = vi.fn();
    lifecycle.subscribe(listener);
    lifecycle.fire("pageshow", { persisted: true });
    expect(listener).toHaveBeenCalledWith("pageshow", { persisted: true });
  });
});
