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
  // NaN (by the `|| 0`) and negatives mean "first attempt"; Infinity and huge ones "at the cap".
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT) || 0;
  const random = options.random ?? Math.random;
  const draw = Math.min(Math.max(random(), 0), 1) || 0;
  const jitter = options.jitter ?? "full";
  // Full jitter: from the floor to the exponential ceiling.
  let low = min;
  let high = Math.min(max, min * 2 ** (exponent + 1));
  if (jitter !== "full" && Number.isFinite(jitter)) {
    const factor = Math.min(Math.max(jitter, 0), 1);
    const center = Math.min(max, min * 2 ** exponent);
    low = Math.max(min, center * (1 - factor));
    high = Math.min(max, center * (1 + factor));
  }
  return Math.round(low + draw * (high - low));
}
