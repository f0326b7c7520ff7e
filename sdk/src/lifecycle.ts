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
  const isVisible = () => document.visibilityState !== "hidden";
  const emit = (signal: LifecycleSignal, detail: LifecycleDetail = {}) => {
    for (const listener of [...listeners]) listener(signal, detail);
  };
  const attach = () => {
    // One handler for all: each signal is its event's name, but visibilitychange's, which says
    // which way the page went.
    const handler = (event: Event) => {
      const type = event.type;
      if (type === "visibilitychange") emit(isVisible() ? "visible" : "hidden");
      else if (type === "pagehide" || type === "pageshow")
        emit(type, { persisted: (event as PageTransitionEvent).persisted });
      else emit(type as LifecycleSignal);
    };
    const bindings: Array<[EventTarget, string]> = [
      [window, "online"],
      [window, "offline"],
      [window, "pagehide"],
      [window, "pageshow"],
      [document, "visibilitychange"],
      [document, "freeze"],
      [document, "resume"],
    ];
    for (const [target, type] of bindings) target.addEventListener(type, handler);
    return () => {
      for (const [target, type] of bindings) target.removeEventListener(type, handler);
    };
  };
  return {
    isOnline: () => navigator.onLine !== false,
    isVisible,
    subscribe(listener) {
      listeners.add(listener);
      detach ??= attach();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          detach?.();
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
