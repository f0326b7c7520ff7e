import type { BinaryData, Packet } from "./protocol/packet.ts";
import { utf8Length } from "./protocol/utf8-length.ts";

/** Bytes a frame takes on the wire: its type digit plus the text, or binary (base64 over polling). */
function frameBytes(frame: string | BinaryData, base64: boolean): number {
  if (typeof frame === "string") return 1 + utf8Length(frame);
  // A Blob has a size; buffers and views have a byteLength (as estimateBytes reads them).
  const bytes = (frame as Blob).size ?? (frame as ArrayBuffer).byteLength;
  return base64 ? 1 + Math.ceil(bytes / 3) * 4 : bytes;
}

/**
 * Throws a RangeError when a frame of `packet` is bigger than the server's `maxPayload`:
 * the server would close the connection on it, taking every other packet in flight along.
 * Cheap for the usual small packet: a string shorter than a third of the limit cannot exceed it.
 */
export function assertFitsMaxPayload(
  packet: Packet,
  frames: Array<string | BinaryData>,
  maxPayload: number,
  base64: boolean,
): void {
  for (const frame of frames) {
    if (typeof frame === "string" && 3 * frame.length + 1 <= maxPayload) continue;
    const bytes = frameBytes(frame, base64);
    if (bytes <= maxPayload) continue;
    const [event] = Array.isArray(packet.data) ? packet.data : [];
    const what = typeof event === "string" ? `event "${event}"` : "packet";
    throw new RangeError(
      `Wireline: ${what} is ${bytes} bytes once encoded, more than the server accepts in one message (maxPayload ${maxPayload}); it was not sent and the connection is kept. Send smaller pieces, or raise the server's maxHttpBufferSize.`,
    );
  }
}
