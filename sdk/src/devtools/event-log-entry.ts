import type { LifecycleSignal } from "../lifecycle.ts";
import type { ConnectionStatus } from "../manager.ts";
import type { OutboxErrorCode } from "../outbox/outbox-error.ts";
import type { EnginePacketType } from "../protocol/index.ts";

/** What every entry of an event log carries. */
export interface EventLogEntryBase {
  /** Position in the log since it was attached: 1, 2, 3… A gap means older entries were evicted. */
  readonly seq: number;
  /** `performance.now()` when recorded, in ms: monotonic, for measuring durations. */
  readonly monotonic: number;
  /** `Date.now()` when recorded, in ms since the epoch: for showing and correlating times. */
  readonly wallClock: number;
}

/** The connection's status changed (or, while reconnecting, the attempt number did). */
export interface StatusEntry extends EventLogEntryBase {
  readonly kind: "status";
  readonly from: ConnectionStatus;
  readonly to: ConnectionStatus;
  /**
   * Why, as far as the log saw it: a close reason ("ping timeout", "transport close",
   * "forced close"…), "handshake", "reconnect attempt 2", "error: <message>", a page or network
   * signal ("offline", "online", "visible", "pagehide"…), or for changes no event explained:
   * "open" (the app connected), "close" (the app disconnected) or "offline" (the platform
   * reports no network).
   */
  readonly cause: string;
  /** Reconnection attempts since the last success. */
  readonly attempt: number;
  /** `Date.now()` of the next scheduled attempt, when one is scheduled. */
  readonly nextRetryAt?: number;
  /** The backoff delay chosen, in ms, when an attempt is scheduled. */
  readonly retryInMs?: number;
  /** The transport in use, when connected. */
  readonly transport?: string;
}

/** Socket.IO packet types by name, as the log writes them. */
export type SocketPacketTypeName =
  | "CONNECT"
  | "DISCONNECT"
  | "EVENT"
  | "ACK"
  | "CONNECT_ERROR"
  | "BINARY_EVENT"
  | "BINARY_ACK";

/** One Engine.IO packet read or written; for messages, the Socket.IO packet it carried. */
export interface PacketEntry extends EventLogEntryBase {
  readonly kind: "packet";
  /** "in" from the server, "out" to it. */
  readonly direction: "in" | "out";
  /** The Engine.IO packet type ("message", "ping", "pong", "open", "close", "upgrade", "noop"). */
  readonly engineType: EnginePacketType;
  /** Bytes on the wire: UTF-8 length of the text, or binary length; summed over a binary packet's parts. */
  readonly bytes: number;
  /** The Socket.IO packet type, for messages. */
  readonly socketType?: SocketPacketTypeName;
  /** The namespace, for messages. */
  readonly nsp?: string;
  /**
   * The event name, for EVENT and BINARY_EVENT packets, cut after 10,000 characters. Always a
   * string: a name sent as the number 7 is "7", and one that is neither "[not a string]".
   */
  readonly event?: string;
  /** The acknowledgement id, if the packet has one. */
  readonly ackId?: number;
  /** Number of binary attachments, for binary packets. */
  readonly attachments?: number;
  /**
   * What the packet carried, after `redact`: an EVENT's or ACK's arguments (without the event
   * name), a CONNECT's auth or reply, a CONNECT_ERROR's reason, an Engine.IO packet's text.
   * Binary values are summarized as `{ "$binary": "ArrayBuffer", "bytes": 12 }`.
   */
  readonly payload?: unknown;
  /** Why the message could not be read as a Socket.IO packet, if it could not (cut as `event`). */
  readonly decodeError?: string;
}

/** An acknowledgement arrived for an event sent earlier (either way). */
export interface AckEntry extends EventLogEntryBase {
  readonly kind: "ack";
  /** "in": the server acknowledged our event; "out": we acknowledged the server's. */
  readonly direction: "in" | "out";
  readonly nsp: string;
  readonly ackId: number;
  /** The event that asked for the acknowledgement (as `PacketEntry.event`). */
  readonly event: string;
  /** Ms between the event and its acknowledgement, or until it timed out. */
  readonly latencyMs: number;
  /** True when no acknowledgement came in time and the emit gave up (direction "in" only). */
  readonly timedOut?: boolean;
}

/**
 * The Engine.IO session or its transport opened, upgraded or closed, or a transport was started
 * beside one that had no answer yet (`race`).
 */
export interface TransportEntry extends EventLogEntryBase {
  readonly kind: "transport";
  readonly action: "open" | "race" | "upgrading" | "upgrade" | "upgrade-error" | "close";
  /** The transport's name: "websocket" or "polling" (for `race`, the one started). */
  readonly transport?: string;
  /** For `race`: the transport that had no answer yet. */
  readonly waiting?: string;
  /** Engine.IO session id, on open. */
  readonly sid?: string;
  /** Why it closed ("transport close", "ping timeout", "forced close"…), on close. */
  readonly reason?: string;
  /** The error's message, for an upgrade error, or the close description's. */
  readonly message?: string;
}

/** The Manager's reconnection loop made an attempt, succeeded or gave up. */
export interface ReconnectEntry extends EventLogEntryBase {
  readonly kind: "reconnect";
  readonly phase: "attempt" | "succeeded" | "failed";
  /** The attempt number (on "attempt"), or the attempts it took (on "succeeded"). */
  readonly attempt?: number;
}

/** A namespace socket connected, disconnected or was refused. */
export interface SocketEntry extends EventLogEntryBase {
  readonly kind: "socket";
  readonly nsp: string;
  readonly action: "connect" | "disconnect" | "connect_error";
  /** The socket's id, on connect. */
  readonly socketId?: string;
  /** Whether the connection restored the previous session, on connect. */
  readonly recovered?: boolean;
  /** The disconnect reason, on disconnect. */
  readonly reason?: string;
  /** The error's message, on connect_error (cut after 10,000 characters). */
  readonly message?: string;
}

/** An error the connection reported (each error once, though the SDK passes it on several times). */
export interface ErrorEntry extends EventLogEntryBase {
  readonly kind: "error";
  /** The connection's status when it happened, e.g. "connecting" for a failed handshake. */
  readonly during: ConnectionStatus;
  readonly name: string;
  /** The error's message, cut after 10,000 characters. */
  readonly message: string;
}

/** A page or network signal, as the Manager received it (before it acted on it). */
export interface LifecycleEntry extends EventLogEntryBase {
  readonly kind: "lifecycle";
  readonly signal: LifecycleSignal;
  /** On pagehide/pageshow: whether the page is in the back/forward cache. */
  readonly persisted?: boolean;
}

/** The Manager scheduled a reconnection attempt. */
export interface BackoffEntry extends EventLogEntryBase {
  readonly kind: "backoff";
  /** The attempt's number, from 1. */
  readonly attempt: number;
  /** The delay drawn for it, in ms. */
  readonly delay: number;
}

/** A packet waiting in a socket's outbox, as the log describes it (its arguments are not kept). */
export interface OutboxPacketSummary {
  /** The outbox entry's id, stable across reloads. */
  readonly id: string;
  readonly nsp: string;
  /** The event name (as `PacketEntry.event`). */
  readonly event: string;
  /** Estimated size in bytes. */
  readonly bytes: number;
  readonly ackId?: number;
}

/** Emits were queued in, dropped from, expired in or flushed from a socket's outbox. */
export interface OutboxEntry extends EventLogEntryBase {
  readonly kind: "outbox";
  readonly action: "enqueue" | "drop" | "expire" | "flush";
  /** The packets concerned: one, or every packet of a flush. */
  readonly packets: readonly OutboxPacketSummary[];
  /** Why a packet was dropped or expired: "overflow", "rejected", "too-large", "expired", "cleared". */
  readonly code?: OutboxErrorCode;
  /** Packets left in the outbox afterwards. */
  readonly size: number;
}

/** One recorded event. Every field is plain JSON. */
export type EventLogEntry =
  | StatusEntry
  | PacketEntry
  | AckEntry
  | TransportEntry
  | ReconnectEntry
  | SocketEntry
  | ErrorEntry
  | LifecycleEntry
  | BackoffEntry
  | OutboxEntry;

/** The kinds of entries. */
export type EventLogEntryKind = EventLogEntry["kind"];

/** An entry before the log numbers and timestamps it. */
export type EventLogRecord = EventLogEntry extends infer E
  ? E extends EventLogEntry
    ? Omit<E, keyof EventLogEntryBase>
    : never
  : never;

/** The name of the exported log format. */
export const EVENT_LOG_FORMAT = "wireline-event-log";
/** The version of the exported log format; it changes only when a field changes meaning. */
export const EVENT_LOG_VERSION = 1;

/** `log.toJSON()`: the log as one JSON document. */
export interface EventLogJson {
  readonly format: typeof EVENT_LOG_FORMAT;
  readonly version: typeof EVENT_LOG_VERSION;
  readonly entries: readonly EventLogEntry[];
}
