import type { PacketRow } from "../describe-entry.ts";
import { describePacketRow } from "../describe-entry.ts";
import { loggableText } from "../loggable-value.ts";

/** What the packet list shows. Empty strings match everything. */
export interface PacketFilter {
  /** Exact namespace, e.g. "/chat". */
  nsp: string;
  /** "in", "out", or "" for both. */
  direction: "" | "in" | "out";
  /** Part of the event name, case-insensitive. */
  event: string;
  /** Text anywhere in the row or its payload, case-insensitive. */
  search: string;
  /** Whether Engine.IO pings and pongs are listed. */
  heartbeats: boolean;
}

/** A filter that shows every packet but heartbeats. */
export const EMPTY_PACKET_FILTER: PacketFilter = {
  nsp: "",
  direction: "",
  event: "",
  search: "",
  heartbeats: false,
};

/** Whether `row` passes `filter`. */
export function matchesPacketFilter(row: PacketRow, filter: PacketFilter): boolean {
  if (row.kind === "packet" && !filter.heartbeats) {
    if (row.engineType === "ping" || row.engineType === "pong") return false;
  }
  if (filter.direction && row.direction !== filter.direction) return false;
  if (filter.nsp && row.nsp !== filter.nsp) return false;
  // A log fed from elsewhere may hold a name that is no string: it must not stop the list.
  const event = loggableText(row.event ?? "");
  if (filter.event && !event.toLowerCase().includes(filter.event.toLowerCase())) return false;
  if (filter.search) {
    const needle = filter.search.toLowerCase();
    const payload = row.kind === "packet" ? JSON.stringify(row.payload ?? "") : "";
    const haystack = `${describePacketRow(row)} ${payload}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}
