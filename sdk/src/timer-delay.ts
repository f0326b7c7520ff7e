/**
 * The longest delay `setTimeout` keeps (2^31 - 1 ms, about 24.8 days): it fires a longer one at
 * once, so longer delays are capped to this one.
 */
export const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * `setTimeout` for any delay an option allows: no timer for `Infinity` (never), and one capped
 * at {@link MAX_TIMER_DELAY} for a longer delay, rather than one that fires at once.
 */
export function setTimer(
  callback: () => void,
  ms: number,
): ReturnType<typeof setTimeout> | undefined {
  return ms === Infinity ? undefined : setTimeout(callback, Math.min(ms, MAX_TIMER_DELAY));
}
