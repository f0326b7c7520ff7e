/** A browser signal that matters to a long-lived connection. */
export type LifecycleSignal =
  | "online"
  | "offline"
  | "visible"
  | "hidden"
  | "pagehide"
  | "pageshow"
  | "freeze"
  | "resume";

/** Extra facts of a signal: `persisted` on pagehide/pageshow (the page is in the back/forward cache). */
export interface LifecycleDetail {
  persisted?: boolean;
}

/**
 * The page and network signals the Manager reacts to, as one small injectable interface: the
 * browser's by default, a silent one in Node and during SSR, a controllable fake in tests.
 */
export interface Lifecycle {
  /** Whether the platform believes the network is up (`navigator.onLine`; may be wrong). */
  isOnline(): boolean;
  /** Whether the page is visible. */
  isVisible(): boolean;
  /** Calls `listener` for every signal; returns the function that stops it. */
  subscribe(listener: (signal: LifecycleSignal, detail: LifecycleDetail) => void): () => void;
}

type Listener = (signal: LifecycleSignal, detail: LifecycleDetail) => void;

/**
 * The browser's signals: `online`/`offline`, `visibilitychange`, `pagehide`/`pageshow`,
 * `freeze`/`resume`. Listeners are added with the first subscriber and removed after the last.
 * It never listens to `beforeunload` or `unload`, which would keep the page out of the
 * back/forward cache.
 */
export function browserLifecycle(): Lifecycle {
  const listeners = new Set<Listener>();
  let detach: (() => void) | undefined;
  const emit = (signal: LifecycleSignal, detail: LifecycleDetail = {}) => {
    for (const listener of [...listeners]) listener(signal, detail);
  };
  const attach = () => {
    const onOnline = () => emit("online");
    const onOffline = () => emit("offline");
    const onVisibility = () => emit(document.visibilityState === "hidden" ? "hidden" : "visible");
    const onPageHide = (event: Event) =>
      emit("pagehide", { persisted: (event as PageTransitionEvent).persisted });
    const onPageShow = (event: Event) =>
      emit("pageshow", { persisted: (event as PageTransitionEvent).persisted });
    const onFreeze = () => emit("freeze");
    const onResume = () => emit("resume");
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);
    document.addEventListener("visibilitychange", onVisibility);
    document.addEventListener("freeze", onFreeze);
    document.addEventListener("resume", onResume);
    return () => {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      document.removeEventListener("visibilitychange", onVisibility);
      document.removeEventListener("freeze", onFreeze);
      document.removeEventListener("resume", onResume);
    };
  };
  return {
    isOnline: () => navigator.onLine !== false,
    isVisible: () => document.visibilityState !== "hidden",
    subscribe(listener) {
      listeners.add(listener);
      detach ??= attach();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && detach) {
          detach();
          detach = undefined;
        }
      };
    },
  };
}

/** No signals: always online and visible. For Node and server-side rendering. */
export function noopLifecycle(): Lifecycle {
  return { isOnline: () => true, isVisible: () => true, subscribe: () => () => {} };
}

/** The browser's signals when `window` and `document` exist (looked up now, not at import), else none. */
export function defaultLifecycle(): Lifecycle {
  const scope = globalThis as { window?: unknown; document?: unknown; navigator?: unknown };
  return scope.window && scope.document && scope.navigator ? browserLifecycle() : noopLifecycle();
}
