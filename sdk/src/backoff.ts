/** Options of the reconnection delay schedule. */
export interface BackoffOptions {
  /** Floor in ms: no delay is shorter. socket.io-client's `reconnectionDelay`. Default 1000. */
  min: number;
  /** Cap in ms: no delay is longer. socket.io-client's `reconnectionDelayMax`. Default 5000. */
  max: number;
  /**
   * `"full"`: uniform between the floor and the exponential ceiling. A number `f` in [0, 1]
   * (socket.io-client's `randomizationFactor`): uniform in `center·(1 ± f)` around
   * `min·2^attempt`, kept within [floor, cap] by clipping the window, so jitter does not vanish
   * at the cap. `0` means no jitter at all. Default "full".
   */
  jitter?: number | "full";
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Past this exponent the window is at the cap for any sane floor; it also keeps 2^n finite. */
const MAX_EXPONENT = 52;

/**
 * The delay before reconnection attempt `attempt` (0-based). With full jitter (the default) it
 * is drawn uniformly in `[min, min(max, min · 2^(attempt+1))]`: never under the floor, never over
 * the cap, and spread even on the first attempt and at the cap, so clients that lost the same
 * server do not retry in lockstep. Finite and within bounds for any attempt number (NaN, negative
 * and Infinity included) and any options.
 *
 * @example computeBackoffDelay(3, { min: 1000, max: 5000 }) // somewhere in 1000..5000
 * @example computeBackoffDelay(0, { min: 1000, max: 5000, jitter: 0.5 }) // 1000..1500
 */
export function computeBackoffDelay(attempt: number, options: BackoffOptions): number {
  const min = Math.max(0, Number.isFinite(options.min) ? options.min : 0);
  const max = Math.max(min, Number.isFinite(options.max) ? options.max : min);
  // NaN and negatives mean "first attempt"; Infinity and huge numbers mean "at the cap".
  const exponent = Number.isNaN(attempt)
    ? 0
    : Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT);
  const random = options.random ?? Math.random;
  const draw = Math.min(Math.max(random(), 0), 1) || 0;
  const jitter = options.jitter ?? "full";
  if (jitter === "full" || !Number.isFinite(jitter)) {
    const ceiling = Math.min(max, min * 2 ** (exponent + 1));
    return Math.round(min + draw * (ceiling - min));
  }
  const factor = Math.min(Math.max(jitter, 0), 1);
  const center = Math.min(max, min * 2 ** exponent);
  const low = Math.max(min, center * (1 - factor));
  const high = Math.min(max, center * (1 + factor));
  return Math.round(low + draw * (high - low));
}

/** Options of a {@link Backoff}: the delay schedule plus a limit on attempts. */
export interface BackoffScheduleOptions extends Partial<BackoffOptions> {
  /** Attempts before `next()` gives up with `undefined`. socket.io-client's `reconnectionAttempts`. Default Infinity. */
  attempts?: number;
}

/**
 * A reconnection schedule: each `next()` is the delay of one more attempt, `undefined` once
 * `attempts` are spent; `reset()` after a successful connection.
 *
 * @example
 * const backoff = new Backoff({ min: 1000, max: 5000, attempts: 10 });
 * const delay = backoff.next(); // undefined: give up ("reconnect_failed")
 */
export class Backoff {
  readonly #options: BackoffOptions;
  readonly #limit: number;
  #attempts = 0;

  constructor(options: BackoffScheduleOptions = {}) {
    const { attempts, ...schedule } = options;
    this.#options = { ...schedule, min: schedule.min ?? 1000, max: schedule.max ?? 5000 };
    this.#limit = attempts === undefined || Number.isNaN(attempts) ? Infinity : attempts;
  }

  /** Attempts scheduled since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The delay before the next attempt, counting it; `undefined` when the attempts are spent. */
  next(): number | undefined {
    if (this.#attempts >= this.#limit) return undefined;
    return computeBackoffDelay(this.#attempts++, this.#options);
  }

  /** Starts over from the first attempt (after a successful connection). */
  reset(): void {
    this.#attempts = 0;
  }
}

/** socket.io-client's reconnection options, as a Manager accepts them. */
export interface SocketIoBackoffOptions {
  /** Default 1000. */
  reconnectionDelay?: number;
  /** Default 5000. */
  reconnectionDelayMax?: number;
  /** Unset: full jitter (better spread). Set: honoured as ±factor jitter, clipped to [floor, cap]. */
  randomizationFactor?: number;
  /** Default Infinity. */
  reconnectionAttempts?: number;
}

/**
 * Maps socket.io-client's option names onto a {@link Backoff}'s, so existing apps keep their
 * settings. An explicit `randomizationFactor` is honoured; otherwise full jitter applies.
 *
 * @example new Backoff(backoffFromSocketIoOptions({ reconnectionDelay: 500, randomizationFactor: 0.2 }))
 */
export function backoffFromSocketIoOptions(
  options: SocketIoBackoffOptions,
): BackoffScheduleOptions {
  return {
    min: options.reconnectionDelay ?? 1000,
    max: options.reconnectionDelayMax ?? 5000,
    jitter: options.randomizationFactor ?? "full",
    attempts: options.reconnectionAttempts ?? Infinity,
  };
}
