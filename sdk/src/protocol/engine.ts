// Engine.IO v4 framing: one type digit then the data; binary as raw frames on WebSocket and as
// "b" + base64 in polling bodies, whose packets are joined by the record separator.
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
export type EngineBinaryType = "nodebuffer" | "arraybuffer" | "blob";

/** Packet types by their digit on the wire. */
const TYPES: EnginePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
const RECORD_SEPARATOR = "\x1e";
/** Bytes turned into characters per call, well under engines' argument limits. */
const CHUNK = 0x8000;

/** What a malformed frame decodes to, as Engine.IO implementations report it. */
const parseError = (): EnginePacket => ({ type: "error", data: "parser error" });

const isBlob = (data: unknown): data is Blob => typeof Blob !== "undefined" && data instanceof Blob;

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

/** The part of Node's `Buffer` class used here, declared so browser builds need no Node types. */
interface NodeBufferClass {
  isBuffer(value: unknown): boolean;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
}

/** Binary data as `binaryType` asks; copied out of a larger buffer only when it must be. */
function asBinaryType(data: BinaryData, binaryType: EngineBinaryType): BinaryData {
  if (isBlob(data)) return data;
  if (binaryType === "blob") return new Blob([data as ArrayBuffer]);
  const bytes = bytesOf(data);
  // Looked up at call time: only Node asks for it, and bundlers must not polyfill it.
  const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;
  if (binaryType === "nodebuffer" && NodeBuffer) {
    return NodeBuffer.isBuffer(data)
      ? data
      : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Encodes one packet for a WebSocket frame (binary frames when `supportsBinary`, else base64
 * text). Async only for a `Blob` sent as base64, so it takes a callback rather than a promise;
 * `onError` hears why such a Blob could not be read (a file removed meanwhile).
 */
export function encodeEnginePacket(
  packet: EnginePacket,
  supportsBinary: boolean,
  callback: (encoded: string | BinaryData) => void,
  onError?: (error: unknown) => void,
): void {
  const { data } = packet;
  if (data === undefined || typeof data === "string") {
    callback(`${TYPES.indexOf(packet.type)}${data ?? ""}`);
  } else if (supportsBinary) {
    callback(data);
  } else if (isBlob(data)) {
    data.arrayBuffer().then((buffer) => callback(`b${toBase64(new Uint8Array(buffer))}`), onError);
  } else {
    callback(`b${toBase64(bytesOf(data))}`);
  }
}

/** Decodes one WebSocket frame. A malformed frame decodes to `{ type: "error" }`. */
export function decodeEnginePacket(
  encoded: string | BinaryData,
  binaryType: EngineBinaryType,
): EnginePacket {
  if (typeof encoded !== "string") {
    return { type: "message", data: asBinaryType(encoded, binaryType) };
  }
  if (encoded.charAt(0) === "b") {
    let binary: string;
    try {
      binary = atob(encoded.slice(1));
    } catch {
      return parseError();
    }
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return { type: "message", data: asBinaryType(bytes.buffer, binaryType) };
  }
  const type = TYPES[encoded.charCodeAt(0) - 48];
  if (type === undefined) return parseError();
  return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
}

/** Encodes packets as one HTTP long-polling body, joined by the record separator `\x1e`. */
export function encodeEnginePayload(
  packets: EnginePacket[],
  callback: (payload: string) => void,
): void {
  const encoded: string[] = [];
  let waiting = packets.length;
  if (waiting === 0) callback("");
  for (const [index, packet] of packets.entries()) {
    encodeEnginePacket(packet, false, (text) => {
      encoded[index] = text as string;
      if (--waiting === 0) callback(encoded.join(RECORD_SEPARATOR));
    });
  }
}

/** Decodes an HTTP long-polling body into its packets; a malformed one ends the list. */
export function decodeEnginePayload(payload: string, binaryType: EngineBinaryType): EnginePacket[] {
  const packets: EnginePacket[] = [];
  for (const text of payload.split(RECORD_SEPARATOR)) {
    const packet = decodeEnginePacket(text, binaryType);
    packets.push(packet);
    if (packet.type === "error") break;
  }
  return packets;
}
