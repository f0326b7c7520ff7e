import { EventEmitter } from "node:events";
import {
  type BinaryData,
  decodeEnginePacket,
  type EnginePacket,
  encodeEnginePacket,
} from "@wireline/sdk/protocol";
import type { WebSocket } from "ws";

/** Heartbeat and size limits of one session. */
export interface EngineSocketOptions {
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/**
 * One Engine.IO v4 session over a WebSocket, with the `engine.io` package's socket shape:
 * `send(data)`, `close()`, and `message`/`data`/`close` events. The server pings every
 * `pingInterval`; no pong within `pingTimeout` closes the session ("ping timeout").
 */
export class EngineSocket extends EventEmitter {
  readonly id: string;
  readyState: "open" | "closing" | "closed" = "open";
  readonly transport = { name: "websocket" };
  private readonly ws: WebSocket;
  private readonly options: EngineSocketOptions;
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  /** When set, pings stop (a silently dead server). */
  pingsPaused = false;
  /** When set, incoming frames are swallowed and nothing is answered. */
  blackHoled = false;

  constructor(id: string, ws: WebSocket, options: EngineSocketOptions, upgrades: string[]) {
    super();
    this.id = id;
    this.ws = ws;
    this.options = options;
    ws.on("message", (data, isBinary) =>
      this.onFrame(isBinary ? toArrayBuffer(data) : data.toString()),
    );
    ws.on("close", () => this.onClose("transport close"));
    ws.on("error", () => this.onClose("transport error"));
    this.write({
      type: "open",
      data: JSON.stringify({
        sid: id,
        upgrades,
        pingInterval: options.pingInterval,
        pingTimeout: options.pingTimeout,
        maxPayload: options.maxPayload,
      }),
    });
    this.schedulePing();
  }

  /** Sends one message (text or binary). */
  send(data: string | BinaryData, options?: { compress?: boolean }): this {
    const packet: EnginePacket = { type: "message", data };
    if (options) packet.options = options;
    this.write(packet);
    return this;
  }

  /** Alias of {@link EngineSocket.send}. */
  write(packet: EnginePacket): void {
    if (this.readyState !== "open") return;
    encodeEnginePacket(packet, true, (encoded) => {
      if (this.ws.readyState === this.ws.OPEN) {
        this.ws.send(encoded as string | ArrayBuffer, {
          compress: packet.options?.compress !== false,
        });
      }
    });
  }

  /** Closes the session (reason "forced close"). */
  close(): void {
    if (this.readyState !== "open") return;
    this.write({ type: "close" });
    this.onClose("forced close");
  }

  /** Drops the underlying connection without a close packet, as a network failure would. */
  terminate(): void {
    this.ws.terminate();
    this.onClose("transport close");
  }

  private schedulePing(): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      if (this.pingsPaused) return;
      this.write({ type: "ping" });
      this.pongTimer = setTimeout(() => this.onClose("ping timeout"), this.options.pingTimeout);
    }, this.options.pingInterval);
  }

  /** Resumes pinging after `pingsPaused` was cleared. */
  resumePings(): void {
    this.pingsPaused = false;
    this.schedulePing();
  }

  private onFrame(frame: string | ArrayBuffer): void {
    if (this.readyState !== "open" || this.blackHoled) return;
    const size = typeof frame === "string" ? Buffer.byteLength(frame) : frame.byteLength;
    if (size > this.options.maxPayload) {
      this.ws.close(1009, "Max payload size exceeded");
      this.onClose("transport error");
      return;
    }
    const packet = decodeEnginePacket(frame, "nodebuffer");
    switch (packet.type) {
      case "pong":
        clearTimeout(this.pongTimer);
        this.schedulePing();
        this.emit("heartbeat");
        break;
      case "message":
        this.emit("data", packet.data);
        this.emit("message", packet.data);
        break;
      case "close":
        this.onClose("transport close");
        break;
      case "ping":
        // EIO4 clients do not ping; answer anyway, harmlessly.
        this.write({ type: "pong", data: packet.data as string });
        break;
      case "error":
        this.onClose("parse error");
        break;
      default:
        break;
    }
  }

  private onClose(reason: string): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING)
      this.ws.close();
    this.emit("close", reason);
  }
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
