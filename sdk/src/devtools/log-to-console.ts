import type { Manager } from "../manager.ts";
import type { Socket } from "../socket.ts";
import { attachEventLog, type EventLogOptions } from "./attach-event-log.ts";
import { describeTimelineEntry, formatClock } from "./describe-entry.ts";
import { EventLog } from "./event-log.ts";
import type { EventLogEntry, EventLogEntryKind } from "./event-log-entry.ts";

/** Where {@link logToConsole} writes: the global `console` by default. */
export type ConsoleLike = Pick<Console, "debug" | "warn">;

/** Options of {@link logToConsole}. */
export interface LogToConsoleOptions extends EventLogOptions {
  /** Only these kinds of entries are printed. Default: every kind. */
  kinds?: readonly EventLogEntryKind[];
  /** Where lines go. Default: the global `console`, looked up when a line is written. */
  console?: ConsoleLike;
  /** Put before every line. Default "[wireline]". */
  prefix?: string;
}

const ARROWS = { in: "↓", out: "↑" } as const;

/**
 * What went wrong is a warning (errors, refusals, failed upgrades, timed-out acks, packets the
 * outbox dropped or let expire, a reconnection loop that gave up); the rest is debug output.
 */
function isWarning(entry: EventLogEntry): boolean {
  switch (entry.kind) {
    case "error":
      return true;
    case "socket":
      return entry.action === "connect_error";
    case "transport":
      return entry.action === "upgrade-error";
    case "ack":
      return entry.timedOut === true;
    case "outbox":
      return entry.action === "drop" || entry.action === "expire";
    case "reconnect":
      return entry.phase === "failed";
    default:
      return false;
  }
}

/** One console line: time, direction for packets and acks, then the entry in words. */
export function formatEntry(entry: EventLogEntry, prefix = "[wireline]"): string {
  const direction = "direction" in entry ? `${ARROWS[entry.direction]} ` : "";
  return `${prefix} ${formatClock(entry.wallClock)} ${direction}${describeTimelineEntry(entry)}`;
}

/**
 * Prints what a connection does to the console as it happens, one readable line per event-log
 * entry (with the payload as a second, expandable argument): socket.io-client's `debug`
 * output, structured. Given a socket or Manager it attaches a log of its own, which the
 * returned function detaches; given an {@link EventLog} it only subscribes to it.
 *
 * @example
 * import { logToConsole } from "@wireline/sdk/devtools";
 * if (localStorage.debug?.includes("wireline")) logToConsole(socket);
 * // [wireline] 19:17:05.579 idle → connecting (open)
 * // [wireline] 19:17:05.602 ↑ EVENT / "chat" #0 · 16 B [ 'hi' ]
 */
export function logToConsole(
  target: Socket | Manager | EventLog,
  options: LogToConsoleOptions = {},
): () => void {
  const { kinds, prefix = "[wireline]" } = options;
  if (kinds !== undefined && !Array.isArray(kinds)) {
    throw new TypeError(
      'Wireline: logToConsole()\'s kinds option must be an array of entry kinds, e.g. ["status", "packet"].',
    );
  }
  const log = target instanceof EventLog ? target : attachEventLog(target, options);
  const print = (entry: EventLogEntry) => {
    if (kinds !== undefined && !kinds.includes(entry.kind)) return;
    const sink = options.console ?? console;
    const line = formatEntry(entry, prefix);
    const write = isWarning(entry) ? sink.warn : sink.debug;
    if ("payload" in entry && entry.payload !== undefined) write.call(sink, line, entry.payload);
    else write.call(sink, line);
  };
  for (const entry of log.entries()) print(entry);
  const unsubscribe = log.subscribe((change) => {
    if (change.type === "entry") print(change.entry);
  });
  return () => {
    unsubscribe();
    if (log !== target) log.detach();
  };
}
