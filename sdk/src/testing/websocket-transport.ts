import type { WebSocketHandlerConnection } from "msw";
import { receivedBinaryType } from "../engine/transport.ts";
import { isBinary } from "../protocol/binary.ts";
import { decodeEnginePacket, type EnginePacket, encodeEnginePacket } from "../protocol/engine.ts";
import type { BinaryData } from "../protocol/packet.ts";
import { utf8Length } from "../protocol/utf8-length.ts";
import {
  type OutgoingItem,
  type SessionTransport,
  type TransportSink,
  transportError,
} from "./session-transport.ts";

type MockedClient = WebSocketHandlerConnection["client"];

/** A close code the client sees when the mock drops the connection (as a lost network does). */
const ABNORMAL_CLOSURE = 1006;
/** The close code for a message larger than the server accepts. */
const MESSAGE_TOO_BIG = 1009;

/** An exact copy of a view's bytes, so a decoder reading `.buffer` sees only them. */
function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return copy.buffer;
}

/** A frame's size in bytes, as `ws` measures it against `maxPayload` (text as UTF-8). */
function sizeOf(data: unknown): number {
  if (typeof data === "string") return utf8Length(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return (data as Blob).size ?? 0;
}

/**
 * The WebSocket transport of a mocked client, over MSW's intercepted connection. Binary frames
 * reach the client as its `binaryType` asks (ArrayBuffer, or Blob), as a real WebSocket does.
 */
export class WebSocketTransport implements SessionTransport {
  readonly name = "websocket";
  private sink: TransportSink | undefined;
  private open = true;
  /** Sends wait here while a Blob is read, so frames keep their order. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly client: MockedClient,
    private readonly maxPayload: number,
  ) {
    client.addEventListener("message", (event) => this.onFrame(event.data));
    // A real close frame reaches a server in a later I/O callback, after the listeners of the
    // frames before it ran (a tick after each): the session ends a task later, as there.
    client.addEventListener("close", () => setTimeout(() => this.end("transport close"), 0));
  }

  get writable(): boolean {
    return this.open;
  }

  bind(sink: TransportSink): void {
    this.sink = sink;
  }

  send(items: OutgoingItem[]): void {
    for (const item of items) {
      if ("raw" in item) this.sendFrame(item.raw);
      else encodeEnginePacket(item, true, (encoded) => this.sendFrame(encoded));
    }
  }

  close(final: OutgoingItem[]): void {
    if (!this.open) return;
    this.send(final);
    this.open = false;
    // MSW delivers each frame in a microtask and drops those still queued once the socket is
    // closing: close after a task so the last frames (a DISCONNECT, a close packet) arrive.
    this.afterQueue(() => {
      setTimeout(() => this.client.close(1000), 0);
    });
  }

  drop(): void {
    if (!this.open) return;
    this.open = false;
    // MSW's own close takes any code, here the one a lost connection reports.
    this.client.close(ABNORMAL_CLOSURE);
  }

  private sendFrame(frame: string | BinaryData): void {
    if (typeof frame === "string" && this.queued === 0) {
      this.client.send(frame);
      return;
    }
    const wantsBlob =
      (this.client as { socket?: { binaryType?: string } }).socket?.binaryType === "blob";
    this.afterQueue(async () => {
      if (typeof frame === "string") return this.client.send(frame);
      if (wantsBlob)
        return this.client.send(frame instanceof Blob ? frame : new Blob([toArrayBuffer(frame)]));
      this.client.send(frame instanceof Blob ? await frame.arrayBuffer() : toArrayBuffer(frame));
    });
  }

  private afterQueue(task: () => void | Promise<void>): void {
    if (this.queued === 0) {
      const result = task();
      if (!(result instanceof Promise)) return;
      this.track(result);
      return;
    }
    this.track(this.queue.then(task));
  }

  private track(promise: Promise<void>): void {
    this.queued++;
    this.queue = promise.finally(() => {
      this.queued--;
    });
  }

  private onFrame(data: unknown): void {
    if (!this.open) return;
    if (sizeOf(data) > this.maxPayload) {
      this.open = false;
      this.client.close(MESSAGE_TOO_BIG);
      // engine.io wraps the `ws` package's error in one of its own, message and all.
      this.end("transport error", transportError("RangeError: Max payload size exceeded"));
      return;
    }
    let packet: EnginePacket;
    // Binary reaches the server's listeners as socket.io's: a Buffer in Node, else an ArrayBuffer.
    if (typeof data === "string") packet = decodeEnginePacket(data, receivedBinaryType);
    else if (isBinary(data)) {
      // A binary frame is always a message; a Blob stays a Blob (reading it would reorder frames).
      packet =
        data instanceof Blob
          ? { type: "message", data }
          : decodeEnginePacket(toArrayBuffer(data), receivedBinaryType);
    } else packet = { type: "error" };
    this.sink?.packet(packet);
  }

  private end(reason: string, description?: Error): void {
    const wasOpen = this.open;
    this.open = false;
    if (wasOpen || reason === "transport error") this.sink?.close(reason, description);
  }
}
