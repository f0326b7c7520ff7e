import type { Socket } from "node:net";
import { decodeEnginePacket, type EnginePacket, encodeEnginePacket } from "@wireline/sdk/protocol";
import type { WebSocket } from "ws";
import { ServerTransport } from "./server-transport.ts";

/** The WebSocket transport of a session: one frame per packet. */
export class WebSocketServerTransport extends ServerTransport {
  readonly name = "websocket";
  private closed = false;
  private corked = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly maxPayload: number,
  ) {
    super();
    ws.on("message", (data, isBinary) => this.onFrame(data as Buffer, isBinary));
    ws.on("close", () => this.onClose("transport close"));
    ws.on("error", (error) => this.onClose("transport error", transportError(error)));
  }

  get writable(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  send(packets: EnginePacket[]): void {
    this.corkUntilNextTick();
    for (const packet of packets) {
      encodeEnginePacket(packet, true, (encoded) => {
        if (this.writable)
          this.ws.send(encoded as string | Buffer, {
            compress: packet.options?.compress !== false,
          });
      });
    }
  }

  /**
   * Holds this tick's frames in the socket and writes them in one system call: a broadcast
   * otherwise pays one write per message per client, and the server spends its time in them.
   */
  private corkUntilNextTick(): void {
    // `_socket` is ws's own net.Socket; ws frames each message with cork/uncork pairs of its own.
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (this.corked || !socket) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }

  close(): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING)
      this.ws.close();
    this.onClose("forced close");
  }

  terminate(): void {
    this.ws.terminate();
    this.onClose("transport close");
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (data.byteLength > this.maxPayload) {
      this.ws.close(1009, "Max payload size exceeded");
      this.onClose("transport error", transportError(new RangeError("Max payload size exceeded")));
      return;
    }
    const frame = isBinary ? toArrayBuffer(data) : data.toString("utf8");
    this.emit("packet", decodeEnginePacket(frame, "nodebuffer"));
  }

  private onClose(reason: string, error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.emit("close", reason, error);
  }
}

/**
 * The error a failed WebSocket is reported with, shaped as engine.io's: its message is the
 * cause's text ("RangeError: Max payload size exceeded"), `type` "TransportError".
 */
function transportError(cause: Error): Error {
  return Object.assign(new Error(String(cause)), { type: "TransportError" });
}

function toArrayBuffer(data: Buffer | ArrayBuffer | Buffer[]): ArrayBuffer {
  const buffer = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data);
  return buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
}
