/** The longest delay a timer takes: Node fires a longer one after 1 ms, with a warning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Checks the `ms` of a server's `timeout(ms)`, as the SDK client's `socket.timeout` does: a
 * number of ms from 0 to 2^31 - 1. Returns it.
 */
export function checkAckTimeout(ms: unknown): number {
  if (typeof ms !== "number" || !(ms >= 0 && ms <= MAX_TIMER_MS))
    throw new RangeError(
      `Wireline: timeout(ms) needs a number of ms from 0 to ${MAX_TIMER_MS}, got ${typeof ms === "string" ? JSON.stringify(ms) : String(ms)}.`,
    );
  return ms;
}
