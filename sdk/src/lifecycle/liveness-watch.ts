import { type Clock, systemClock, type TimerHandle } from "../clock.ts";
import type { LifecycleSignal } from "../lifecycle.ts";

/**
 * Whether a connection is past its Engine.IO deadline by the wall clock: more than
 * `pingInterval + pingTimeout` ms since the last traffic. Timers of hidden or frozen pages run
 * late or not at all; the clock does not. Unknown timings (NaN) never count as stale.
 *
 * @example isConnectionStale(lastTrafficAt, Date.now(), 25_000, 20_000)
 */
export function isConnectionStale(
  lastTrafficAt: number,
  now: number,
  pingInterval: number,
  pingTimeout: number,
): boolean {
  return now - lastTrafficAt > pingInterval + pingTimeout;
}

/** The signals after which a connection may have died unnoticed and must be checked at once. */
export const LIVENESS_SIGNALS: ReadonlySet<LifecycleSignal> = new Set([
  "visible",
  "pageshow",
  "resume",
  "online",
]);

/** Options of a {@link LivenessWatch}. */
export interface LivenessWatchOptions {
  /** The server's `pingInterval` (handshake), ms. Settable later with `setTiming`. Default unknown. */
  pingInterval?: number;
  /** The server's `pingTimeout` (handshake), ms. Settable later with `setTiming`. Default unknown. */
  pingTimeout?: number;
  /** Ms a stale connection gets to show traffic (a ping queued while frozen) before it is dead. Default 300. */
  grace?: number;
  /** Time and timers. Default the platform's, looked up at call time. */
  clock?: Clock;
}

/** What {@link LivenessWatch.check} found. */
export type LivenessVerdict = "alive" | "grace";

/**
 * Decides, when the page comes back (visible, pageshow, resume, online), whether the connection
 * died while nobody was looking. Past its deadline it gets a short grace, so a ping that waited
 * in the socket while the page was frozen is read first; still silent after it, `onDead`
 * listeners are told once. Any traffic during the grace cancels it.
 *
 * @example
 * const watch = new LivenessWatch({ grace: 300 });
 * watch.setTiming(handshake.pingInterval, handshake.pingTimeout);
 * engine.on("packet", () => watch.noteTraffic());
 * lifecycle.subscribe((signal) => { if (LIVENESS_SIGNALS.has(signal)) watch.check(signal); });
 * watch.onDead(() => engine.close()); // then the reconnection loop runs at once
 */
export class LivenessWatch {
  /** `now()` of the last traffic noted. */
  lastTrafficAt: number;
  #pingInterval: number;
  #pingTimeout: number;
  readonly #grace: number;
  readonly #clock: Clock;
  readonly #listeners = new Set<(reason: string) => void>();
  #timer: TimerHandle | undefined;

  constructor(options: LivenessWatchOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#pingInterval = options.pingInterval ?? Number.NaN;
    this.#pingTimeout = options.pingTimeout ?? Number.NaN;
    this.#grace = Math.max(0, options.grace ?? 300);
    this.lastTrafficAt = this.#clock.now();
  }

  /** Sets the deadline from the handshake (`pingInterval`, `pingTimeout`). */
  setTiming(pingInterval: number, pingTimeout: number): void {
    this.#pingInterval = pingInterval;
    this.#pingTimeout = pingTimeout;
  }

  /** Records traffic now (any packet received); cancels a pending grace: the connection lives. */
  noteTraffic(at = this.#clock.now()): void {
    this.lastTrafficAt = at;
    this.#cancel();
  }

  /** Whether the connection is past its deadline right now. */
  isStale(): boolean {
    return isConnectionStale(
      this.lastTrafficAt,
      this.#clock.now(),
      this.#pingInterval,
      this.#pingTimeout,
    );
  }

  /**
   * Checks now, for `reason` (e.g. "visible"). Fresh: `"alive"`. Stale: starts the grace (once;
   * repeated checks do not stack) and answers `"grace"`; `onDead` listeners get `reason` if no
   * traffic arrives before it ends.
   */
  check(reason: string): LivenessVerdict {
    if (!this.isStale()) return "alive";
    this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = undefined;
      // Traffic noted during the grace cancelled this timer; re-ask the clock anyway.
      if (!this.isStale()) return;
      for (const listener of [...this.#listeners]) listener(reason);
    }, this.#grace);
    return "grace";
  }

  /** Calls `listener` with the check's reason when the connection is found dead; returns the unsubscriber. */
  onDead(listener: (reason: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels a pending grace and forgets listeners (when the connection closes). */
  dispose(): void {
    this.#cancel();
    this.#listeners.clear();
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
