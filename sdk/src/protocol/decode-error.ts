import type { Packet } from "./packet.ts";

/** Why a Socket.IO packet could not be decoded. */
export type DecodeErrorCode =
  | "UNKNOWN_TYPE"
  | "INVALID_NAMESPACE"
  | "INVALID_ACK_ID"
  | "INVALID_JSON"
  | "INVALID_PAYLOAD"
  | "TOO_MANY_ATTACHMENTS"
  | "INVALID_ATTACHMENTS"
  | "UNEXPECTED_BINARY"
  | "TOO_DEEP"
  | "FORBIDDEN_KEY";

/** How much of the offending input an error keeps, so a huge packet cannot bloat logs. */
const EXCERPT_LENGTH = 80;

function excerptOf(input: string | ArrayBuffer | ArrayBufferView | Blob): string {
  if (typeof input !== "string") {
    const size = "byteLength" in input ? input.byteLength : input.size;
    return `<binary, ${size} bytes>`;
  }
  return input.length > EXCERPT_LENGTH ? `${input.slice(0, EXCERPT_LENGTH)}…` : input;
}

/**
 * A malformed Socket.IO packet. The decoder returns it instead of throwing; the connection
 * that sent it should be closed (socket.io-client calls that a "parse error"), unless
 * {@link DecodeError.packet} is set.
 */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
  /** A short excerpt of the input that failed (at most 80 characters). */
  readonly input: string;
  /**
   * Set when the packet was well formed and only its content was refused (`TOO_DEEP`,
   * `FORBIDDEN_KEY` in an EVENT or ACK): which packet it was, without its data (a binary one's
   * type as EVENT or ACK). The connection can go on without it. Default: undefined.
   */
  packet?: Pick<Packet, "type" | "nsp" | "id">;

  constructor(
    readonly code: DecodeErrorCode,
    detail: string,
    input: string | ArrayBuffer | ArrayBufferView | Blob,
  ) {
    super(`Wireline: malformed Socket.IO packet (${code}): ${detail}`);
    this.input = excerptOf(input);
  }
}
