import { type BinaryData, type Packet, PacketType } from "../protocol/packet.ts";
import type { ConnectionRecovery } from "./connection-recovery.ts";

/** An EVENT a server is about to send: its data (offset included), encoded once for every target. */
export interface ServerEvent {
  /** `[event, ...args]`, with the recovery offset last when there is one. */
  data: unknown[];
  frames: Array<string | BinaryData>;
  /**
   * Logs the event for connection state recovery, as sent to `rooms` (all when empty) but not
   * `except`; does nothing for an event that is not logged (acked, volatile, no recovery).
   */
  log(rooms: string[], except: string[]): void;
}

/**
 * Builds and encodes the EVENT `[event, ...args]` a server emits in namespace `nsp`, as socket.io
 * does: under connection state recovery, one without an ack that is not volatile carries a
 * fresh offset as last argument. Encoded before anything is kept, so a payload that cannot be
 * sent throws here, leaving no ack waiting and nothing logged for a recovery to replay.
 */
export function serverEvent(
  nsp: string,
  payload: unknown[],
  {
    ackId,
    volatile,
    recovery,
  }: { ackId?: number; volatile?: boolean; recovery?: ConnectionRecovery },
  encode: (packet: Packet) => Array<string | BinaryData>,
): ServerEvent {
  const data = [...payload];
  const packet: Packet = { type: PacketType.EVENT, nsp, data };
  if (ackId !== undefined) packet.id = ackId;
  const offset = ackId === undefined && !volatile ? recovery?.nextOffset() : undefined;
  if (offset !== undefined) data.push(offset);
  const frames = encode(packet);
  return {
    data,
    frames,
    log(rooms, except) {
      if (offset !== undefined) recovery?.record(nsp, rooms, except, payload, offset);
    },
  };
}
