// Engine.IO v4 framing, delegated to the reference `engine.io-parser` and typed for our use.
import {
  type BinaryType,
  decodePacket,
  decodePayload,
  encodePacket,
  encodePayload,
  type Packet as ParserPacket,
} from "engine.io-parser";
import type { BinaryData } from "./packet.ts";

/** The Engine.IO protocol revision this client speaks (`EIO=4`). */
export const ENGINE_PROTOCOL = 4;

/** Engine.IO packet types. */
export type EnginePacketType =
  | "open"
  | "close"
  | "ping"
  | "pong"
  | "message"
  | "upgrade"
  | "noop"
  | "error";

/** One Engine.IO packet. */
export interface EnginePacket {
  type: EnginePacketType;
  data?: string | BinaryData;
  options?: { compress?: boolean };
}

/** How binary data is handed back when decoding: Node `Buffer`, `ArrayBuffer` or `Blob`. */
export type EngineBinaryType = BinaryType;

/**
 * Encodes one packet for a WebSocket frame (binary frames when `supportsBinary`, else base64
 * text). Async only for a `Blob` in browsers, so it takes a callback rather than a promise.
 */
export function encodeEnginePacket(
  packet: EnginePacket,
  supportsBinary: boolean,
  callback: (encoded: string | BinaryData) => void,
): void {
  encodePacket(packet as ParserPacket, supportsBinary, callback);
}

/** Decodes one WebSocket frame. A malformed frame decodes to `{ type: "error" }`. */
export function decodeEnginePacket(
  encoded: string | BinaryData,
  binaryType: EngineBinaryType,
): EnginePacket {
  return decodePacket(encoded, binaryType) as EnginePacket;
}

/** Encodes packets as one HTTP long-polling body, joined by the record separator `\x1e`. */
export function encodeEnginePayload(
  packets: EnginePacket[],
  callback: (payload: string) => void,
): void {
  encodePayload(packets as ParserPacket[], callback);
}

/** Decodes an HTTP long-polling body into its packets. */
export function decodeEnginePayload(payload: string, binaryType: EngineBinaryType): EnginePacket[] {
  return decodePayload(payload, binaryType) as EnginePacket[];
}
