import { MAX_TIMER_DELAY } from "../timer-delay.ts";

/**
 * Checks the `ms` of a server's `timeout(ms)`, as the SDK client's `socket.timeout` does: a
 * number of ms from 0 to 2^31 - 1. Returns it.
 */
export function checkAckTimeout(ms: unknown): number {
  if (typeof ms !== "number" || !(ms >= 0 && ms <= MAX_TIMER_DELAY))
    throw new RangeError(
      `Wireline: timeout(ms) needs a number of ms from 0 to ${MAX_TIMER_DELAY}, got ${typeof ms === "string" ? JSON.stringify(ms) : String(ms)}.`,
    );
  return ms;
}
