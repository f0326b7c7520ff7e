import type { Lifecycle, LifecycleDetail, LifecycleSignal } from "./lifecycle.ts";

/** A {@link Lifecycle} a test drives by hand. */
export interface FakeLifecycle extends Lifecycle {
  /** Sets what `isOnline()` answers and fires `online`/`offline` when it changes. */
  setOnline(online: boolean): void;
  /** Sets what `isVisible()` answers and fires `visible`/`hidden` when it changes. */
  setVisible(visible: boolean): void;
  /** Fires any signal, e.g. `fire("pageshow", { persisted: true })`. */
  fire(signal: LifecycleSignal, detail?: LifecycleDetail): void;
  /** How many listeners are subscribed (to check that nothing leaks). */
  readonly listenerCount: number;
}

/**
 * A controllable lifecycle for tests: online and visible until told otherwise.
 *
 * @example
 * const lifecycle = createFakeLifecycle();
 * const socket = io(url, { lifecycle });
 * lifecycle.setOnline(false); // the Manager goes "offline" and spends no attempts
 */
export function createFakeLifecycle(): FakeLifecycle {
  const listeners = new Set<(signal: LifecycleSignal, detail: LifecycleDetail) => void>();
  let online = true;
  let visible = true;
  const fire = (signal: LifecycleSignal, detail: LifecycleDetail = {}) => {
    for (const listener of [...listeners]) listener(signal, detail);
  };
  return {
    isOnline: () => online,
    isVisible: () => visible,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOnline(next) {
      if (next === online) return;
      online = next;
      fire(next ? "online" : "offline");
    },
    setVisible(next) {
      if (next === visible) return;
      visible = next;
      fire(next ? "visible" : "hidden");
    },
    fire,
    get listenerCount() {
      return listeners.size;
    },
  };
}
