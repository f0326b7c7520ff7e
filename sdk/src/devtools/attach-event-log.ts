import type { Manager } from "../manager.ts";
import type { Socket } from "../socket.ts";
import { EventLog } from "./event-log.ts";
import { observeConnection } from "./observe-connection.ts";
import type { Redact } from "./packet-reader.ts";

/** Options of {@link attachEventLog}. */
export interface EventLogOptions {
  /** Most entries kept; older ones are evicted first. Default 1000. */
  capacity?: number;
  /**
   * Rewrites each payload before it is stored, e.g. to hide tokens and personal data. Default:
   * payloads are kept as sent (binary values summarized).
   */
  redact?: Redact;
}

/** A Manager, recognized by shape: `instanceof` would pull the whole client into this entry. */
function isManager(value: unknown): value is Manager {
  return (
    typeof value === "object" &&
    value !== null &&
    "nsps" in value &&
    value.nsps instanceof Map &&
    typeof (value as Manager).getSnapshot === "function" &&
    typeof (value as Manager).on === "function"
  );
}

function managerOf(target: unknown): Manager {
  if (isManager(target)) return target;
  if (typeof target === "object" && target !== null && "io" in target && isManager(target.io)) {
    return target.io;
  }
  throw new TypeError(
    "Wireline: attachEventLog() needs a socket from io() or a Manager (socket.io); got " +
      (target === null ? "null" : typeof target) +
      ".",
  );
}

/**
 * Starts recording what a connection does into a bounded {@link EventLog}: status changes
 * with their cause, packets in and out (decoded, sized, redacted), acks with their latency,
 * transport opens, upgrades and closes, reconnection attempts, namespace sockets and errors.
 * Given a socket, it records the socket's whole connection (every namespace on it). Costs
 * nothing until called: the SDK itself never imports this module.
 *
 * @example
 * import { attachEventLog } from "@wireline/sdk/devtools";
 * const log = attachEventLog(socket, {
 *   capacity: 1000, // default
 *   redact: (payload, { event }) => (event === "login" ? "[redacted]" : payload),
 * });
 * log.subscribe((change) => console.log(change));
 * log.detach(); // removes every listener it added
 */
export function attachEventLog(
  socketOrManager: Socket | Manager,
  options: EventLogOptions = {},
): EventLog {
  const manager = managerOf(socketOrManager);
  const capacity = options.capacity ?? 1000;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(
      `Wireline: attachEventLog() needs a capacity that is a positive integer, got ${capacity}.`,
    );
  }
  if (options.redact !== undefined && typeof options.redact !== "function") {
    throw new TypeError(
      "Wireline: attachEventLog()'s redact option must be a function (payload, context) => payload.",
    );
  }
  const { redact } = options;
  return new EventLog(manager, capacity, (record) => observeConnection(manager, record, redact));
}
