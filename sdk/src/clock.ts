/** An opaque timer handle, as returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time and timers as one injectable interface, so timing logic can be tested with fake timers
 * or driven by a custom scheduler.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /** Calls `callback` once after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer; ignores `undefined` and handles of timers that already ran. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The platform's clock. `Date.now`, `setTimeout` and `clearTimeout` are looked up on every call,
 * never captured at import, so `vi.useFakeTimers()` and late polyfills apply.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) =>
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
