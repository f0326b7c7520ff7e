import type { AckEntry, EventLogEntry, PacketEntry } from "./event-log-entry.ts";

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `HH:MM:SS.mmm` of a wall-clock time, in local time. */
export function formatClock(wallClock: number): string {
  const date = new Date(wallClock);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Rows of the packet list: packets and the acks that pair them up. */
export type PacketRow = PacketEntry | AckEntry;

/** Whether an entry belongs in the packet list (otherwise it belongs in the timeline). */
export function isPacketRow(entry: EventLogEntry): entry is PacketRow {
  return entry.kind === "packet" || entry.kind === "ack";
}

/** One line for a packet-list row, e.g. `EVENT / "chat" #3 · 42 B`. */
export function describePacketRow(row: PacketRow): string {
  if (row.kind === "ack") {
    if (row.timedOut) {
      return `ack ${row.nsp} timed out: no reply to "${row.event}" #${row.ackId} after ${Math.round(row.latencyMs)} ms`;
    }
    const who = row.direction === "in" ? "server acked" : "acked server's";
    return `ack ${row.nsp} ${who} "${row.event}" #${row.ackId} after ${Math.round(row.latencyMs)} ms`;
  }
  const parts: string[] = [row.socketType ?? row.engineType];
  if (row.nsp !== undefined) parts.push(row.nsp);
  if (row.event !== undefined) parts.push(JSON.stringify(row.event));
  if (row.ackId !== undefined) parts.push(`#${row.ackId}`);
  if (row.decodeError !== undefined) parts.push(`(unreadable: ${row.decodeError})`);
  return `${parts.join(" ")} · ${row.bytes} B`;
}

/** One line for a timeline entry, e.g. `connected → reconnecting (ping timeout), retry 1 in 800 ms`. */
export function describeTimelineEntry(entry: EventLogEntry): string {
  switch (entry.kind) {
    case "status": {
      const retry =
        entry.retryInMs === undefined ? "" : `, retry ${entry.attempt} in ${entry.retryInMs} ms`;
      return `${entry.from} → ${entry.to} (${entry.cause})${retry}`;
    }
    case "transport":
      switch (entry.action) {
        case "open":
          return `transport open: ${entry.transport ?? "?"}${entry.sid ? ` (sid ${entry.sid})` : ""}`;
        case "race":
          return `${entry.waiting} has no answer yet: ${entry.transport} started beside it`;
        case "upgrading":
          return `upgrading to ${entry.transport}`;
        case "upgrade":
          return `upgraded to ${entry.transport}`;
        case "upgrade-error":
          return `upgrade failed: ${entry.message ?? "unknown error"}`;
        case "close":
          return `transport closed: ${entry.reason ?? "?"}${entry.message ? ` (${entry.message})` : ""}`;
      }
      break;
    case "reconnect":
      if (entry.phase === "attempt") return `reconnect attempt ${entry.attempt}`;
      if (entry.phase === "succeeded") return `reconnected after ${entry.attempt} attempt(s)`;
      return "reconnection gave up";
    case "socket":
      if (entry.action === "connect") {
        return `${entry.nsp} connected${entry.recovered ? " (session recovered)" : ""}`;
      }
      if (entry.action === "disconnect") return `${entry.nsp} disconnected: ${entry.reason}`;
      return `${entry.nsp} refused: ${entry.message}`;
    case "error":
      return `error while ${entry.during}: ${entry.message}`;
    case "lifecycle":
      return `signal: ${entry.signal}${entry.persisted ? " (back/forward cache)" : ""}`;
    case "backoff":
      return `retry ${entry.attempt} scheduled in ${entry.delay} ms`;
    case "outbox": {
      const events = entry.packets.map((packet) => JSON.stringify(packet.event)).join(", ");
      const code = entry.code ? ` (${entry.code})` : "";
      return `outbox ${entry.action}${code}: ${events}; ${entry.size} waiting`;
    }
    case "packet":
    case "ack":
      return describePacketRow(entry);
  }
  return "";
}
