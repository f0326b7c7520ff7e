/** The Socket.IO protocol revision this client speaks, exported as socket.io-client's `protocol`. */
export const protocol = 5;

/**
 * Socket.IO v5 packet types, as numbered on the wire.
 * @see https://socket.io/docs/v4/socket-io-protocol/
 */
export enum PacketType {
  CONNECT = 0,
  DISCONNECT = 1,
  EVENT = 2,
  ACK = 3,
  CONNECT_ERROR = 4,
  BINARY_EVENT = 5,
  BINARY_ACK = 6,
}

/** Binary values the codec carries as attachments. `Blob` only where the platform has it. */
export type BinaryData = ArrayBuffer | ArrayBufferView | Blob;

/** One decoded (or to-be-encoded) Socket.IO packet. */
export interface Packet {
  type: PacketType;
  /** Namespace, always starting with "/". The main namespace is "/". */
  nsp: string;
  /** CONNECT: auth/handshake object; CONNECT_ERROR: `{ message, data? }`; EVENT/ACK: argument array. */
  data?: unknown;
  /** Acknowledgement id, a non-negative integer. */
  id?: number;
  /** Number of binary attachments (BINARY_EVENT / BINARY_ACK only). */
  attachments?: number;
}
