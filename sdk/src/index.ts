export { PacketType } from "./protocol/packet.ts";
export type { BinaryData, Packet } from "./protocol/packet.ts";
