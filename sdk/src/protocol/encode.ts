import { extractAttachments, hasBinary } from "./binary.ts";
import { type BinaryData, type Packet, PacketType } from "./packet.ts";

/**
 * Encodes a Socket.IO packet for Engine.IO: the text header first, then one binary
 * attachment per placeholder. An EVENT or ACK whose data holds binary becomes a
 * BINARY_EVENT or BINARY_ACK. Throws a TypeError for circular data.
 *
 * @example encodePacket({ type: PacketType.EVENT, nsp: "/chat", id: 12, data: ["ev", 1] })
 *   // → ['2/chat,12["ev",1]']
 */
export function encodePacket(packet: Packet): Array<string | BinaryData> {
  if (
    (packet.type === PacketType.EVENT || packet.type === PacketType.ACK) &&
    hasBinary(packet.data)
  ) {
    const attachments: BinaryData[] = [];
    const data = extractAttachments(packet.data, attachments);
    const type = packet.type === PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
    return [encodeHeader(type, packet.nsp, packet.id, data, attachments.length), ...attachments];
  }
  if (packet.type === PacketType.BINARY_EVENT || packet.type === PacketType.BINARY_ACK) {
    const attachments: BinaryData[] = [];
    const data = extractAttachments(packet.data, attachments);
    return [
      encodeHeader(packet.type, packet.nsp, packet.id, data, attachments.length),
      ...attachments,
    ];
  }
  return [encodeHeader(packet.type, packet.nsp, packet.id, packet.data)];
}

function encodeHeader(
  type: PacketType,
  nsp: string,
  id: number | undefined,
  data: unknown,
  attachments?: number,
): string {
  let header = String(type);
  if (attachments !== undefined) header += `${attachments}-`;
  if (nsp && nsp !== "/") header += `${nsp},`;
  if (id !== undefined && id !== null) header += id;
  if (data !== undefined) header += JSON.stringify(data);
  return header;
}
