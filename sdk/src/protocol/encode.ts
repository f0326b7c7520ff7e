import { extractAttachments, hasBinary } from "./binary.ts";
import { type BinaryData, type Packet, PacketType } from "./packet.ts";

/**
 * Encodes a Socket.IO packet for Engine.IO: the text header first, then one binary
 * attachment per placeholder. An EVENT or ACK whose data holds binary becomes a
 * BINARY_EVENT or BINARY_ACK. Throws a TypeError starting "Wireline: " for data that cannot
 * go: circular, a detached ArrayBuffer, or what JSON cannot encode (a BigInt; the original
 * error as `cause`).
 *
 * @example encodePacket({ type: PacketType.EVENT, nsp: "/chat", id: 12, data: ["ev", 1] })
 *   // → ['2/chat,12["ev",1]']
 */
export function encodePacket(packet: Packet): Array<string | BinaryData> {
  try {
    return encode(packet);
  } catch (error) {
    // Ours say what to do already. Anything else comes from the payload (JSON refusing a
    // BigInt, a toJSON() or getter throwing) and says nothing of a remedy.
    if (error instanceof Error && error.message.startsWith("Wireline: ")) throw error;
    throw new TypeError(
      `Wireline: a payload is JSON data or binary; this one cannot be encoded (${error}).`,
      { cause: error },
    );
  }
}

function encode({ type, nsp, id, data }: Packet): Array<string | BinaryData> {
  let attachments: BinaryData[] | undefined;
  if (
    type > PacketType.CONNECT_ERROR ||
    ((type === PacketType.EVENT || type === PacketType.ACK) && hasBinary(data))
  ) {
    attachments = [];
    data = extractAttachments(data, attachments);
    // EVENT and ACK with attachments become BINARY_EVENT and BINARY_ACK (3 more). Without
    // (a second toJSON() or getter call gave no binary) they stay: socket.io refuses a binary
    // packet announcing no attachment.
    if (type < PacketType.BINARY_EVENT && attachments.length > 0) type += 3;
  }
  let header = String(type);
  if (type > PacketType.CONNECT_ERROR) header += `${attachments?.length}-`;
  if (nsp && nsp !== "/") header += `${nsp},`;
  if (id !== undefined && id !== null) header += id;
  if (data !== undefined) header += JSON.stringify(data);
  return attachments ? [header, ...attachments] : [header];
}
