/** Options of the reconnection delay schedule. */
export interface BackoffOptions {
  /** Floor in ms: no delay is shorter. socket.io-client's `reconnectionDelay`. Default 1000. */
  min: number;
  /** Cap in ms: no delay is longer. socket.io-client's `reconnectionDelayMax`. Default 5000. */
  max: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Past this exponent the window is at the cap for any sane floor; it also keeps 2^n finite. */
const MAX_EXPONENT = 52;

/**
 * The delay before reconnection attempt `attempt` (0-based): exponential with full jitter,
 * uniformly drawn in `[min, min(max, min · 2^(attempt+1))]`. Finite and within bounds for any
 * attempt number, so clients that lost the same server spread out instead of retrying in
 * lockstep (even at the cap, where socket.io-client's jitter vanishes).
 *
 * @example computeBackoffDelay(3, { min: 1000, max: 5000 }) // somewhere in 1000..5000
 */
export function computeBackoffDelay(attempt: number, options: BackoffOptions): number {
  const min = Math.max(0, Number.isFinite(options.min) ? options.min : 0);
  const max = Math.max(min, Number.isFinite(options.max) ? options.max : min);
  const exponent = Number.isFinite(attempt)
    ? Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT)
    : MAX_EXPONENT;
  const ceiling = Math.min(max, min * 2 ** (exponent + 1));
  const random = options.random ?? Math.random;
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(min + draw * (ceiling - min));
}
