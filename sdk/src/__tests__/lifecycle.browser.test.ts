import { afterEach, describe, expect, it, vi } from "vitest";
import { browserLifecycle, defaultLifecycle, type LifecycleSignal } from "../index.ts";

afterEach(() => {
  vi.restoreAllMocks();
  // Remove the visibility override, back to the real property.
  delete (document as { visibilityState?: unknown }).visibilityState;
});

function fakeVisibility(state: "visible" | "hidden"): void {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

describe("the browser lifecycle in Chromium", () => {
  it("turns window and document events into signals", () => {
    const signals: Array<[LifecycleSignal, boolean | undefined]> = [];
    const stop = browserLifecycle().subscribe((signal, detail) =>
      signals.push([signal, detail.persisted]),
    );
    window.dispatchEvent(new Event("offline"));
    window.dispatchEvent(new Event("online"));
    fakeVisibility("hidden");
    fakeVisibility("visible");
    window.dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    document.dispatchEvent(new Event("freeze"));
    document.dispatchEvent(new Event("resume"));
    stop();
    expect(signals).toEqual([
      ["offline", undefined],
      ["online", undefined],
      ["hidden", undefined],
      ["visible", undefined],
      ["pagehide", true],
      ["pageshow", true],
      ["freeze", undefined],
      ["resume", undefined],
    ]);
  });

  it("adds its listeners with the first subscriber, removes them after the last, and never listens to unload", () => {
    const added = vi.spyOn(window, "addEventListener");
    const removed = vi.spyOn(window, "removeEventListener");
    const lifecycle = browserLifecycle();
    expect(added).not.toHaveBeenCalled();
    const stopFirst = lifecycle.subscribe(() => {});
    const stopSecond = lifecycle.subscribe(() => {});
    const events = added.mock.calls.map(([type]) => type);
    expect(events).toEqual(["online", "offline", "pagehide", "pageshow"]);
    expect(events).not.toContain("unload");
    expect(events).not.toContain("beforeunload");
    stopFirst();
    expect(removed).not.toHaveBeenCalled();
    stopSecond();
    expect(removed.mock.calls.map(([type]) => type)).toEqual([
      "online",
      "offline",
      "pagehide",
      "pageshow",
    ]);
  });

  it("reads navigator.onLine and the visibility state when asked", () => {
    const lifecycle = browserLifecycle();
    expect(lifecycle.isOnline()).toBe(navigator.onLine);
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    expect(lifecycle.isVisible()).toBe(false);
  });

  it("adds and removes its document listeners the same way, never an unload one", () => {
    const added = vi.spyOn(document, "addEventListener");
    const removed = vi.spyOn(document, "removeEventListener");
    const stop = browserLifecycle().subscribe(() => {});
    expect(added.mock.calls.map(([type]) => type)).toEqual([
      "visibilitychange",
      "freeze",
      "resume",
    ]);
    stop();
    // Must remove the very functions it added.
    expect(removed.mock.calls).toEqual(added.mock.calls);
  });

  it("stops delivering signals after the last unsubscribe", () => {
    const signals: LifecycleSignal[] = [];
    const stop = browserLifecycle().subscribe((signal) => signals.push(signal));
    stop();
    window.dispatchEvent(new Event("offline"));
    fakeVisibility("hidden");
    expect(signals).toEqual([]);
  });

  it("is what defaultLifecycle picks in a page", () => {
    const added = vi.spyOn(window, "addEventListener");
    const stop = defaultLifecycle().subscribe(() => {});
    expect(added.mock.calls.map(([type]) => type)).toContain("online");
    stop();
  });
});
