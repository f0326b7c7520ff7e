import type { ConnectionSnapshot } from "@wireline/sdk";

/**
 * The state of a connection that has not been opened: what server rendering and hydration show,
 * so the first client render matches the server's HTML.
 */
export const IDLE_SNAPSHOT: ConnectionSnapshot = Object.freeze({
  status: "idle",
  attempt: 0,
  nextRetryAt: undefined,
  transport: undefined,
  lastError: undefined,
  outboxSize: 0,
  id: undefined,
  recovered: false,
});
