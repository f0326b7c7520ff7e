// `@wireline/sdk/devtools`: a structured, bounded log of what a connection did and why.
// Nothing in the SDK imports it, so apps that do not attach a log pay nothing for it.
export { attachEventLog, type EventLogOptions } from "./attach-event-log.ts";
export { EventLog, type EventLogChange } from "./event-log.ts";
export {
  type AckEntry,
  type BackoffEntry,
  type ErrorEntry,
  EVENT_LOG_FORMAT,
  EVENT_LOG_VERSION,
  type EventLogEntry,
  type EventLogEntryBase,
  type EventLogEntryKind,
  type EventLogJson,
  type LifecycleEntry,
  type OutboxEntry,
  type OutboxPacketSummary,
  type PacketEntry,
  type ReconnectEntry,
  type SocketEntry,
  type SocketPacketTypeName,
  type StatusEntry,
  type TransportEntry,
} from "./event-log-entry.ts";
export {
  type ConsoleLike,
  formatEntry,
  type LogToConsoleOptions,
  logToConsole,
} from "./log-to-console.ts";
export type { BinarySummary } from "./loggable-value.ts";
export type { Redact, RedactContext } from "./packet-reader.ts";
