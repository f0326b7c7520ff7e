import type { IncomingMessage, ServerResponse } from "node:http";
import {
  decodeEnginePayload,
  type EnginePacket,
  encodeEnginePayload,
} from "@wireline/sdk/protocol";
import { ServerTransport } from "./server-transport.ts";

/** engine.io marks every polling answer uncacheable, so no cache in between replays one. */
const NO_CACHE = { "Cache-Control": "no-store" } as const;

/**
 * The HTTP long-polling transport of a session: a GET waits until there is something to send,
 * a POST carries the client's packets. At most one of each may be pending; a second one is a
 * protocol violation that closes the session.
 */
export class PollingServerTransport extends ServerTransport {
  readonly name = "polling";
  private pendingGet: { response: ServerResponse; headers: Record<string, string> } | undefined;
  private pendingPost: IncomingMessage | undefined;
  private closed = false;

  constructor(private readonly maxPayload: number) {
    super();
  }

  get writable(): boolean {
    return !this.closed && this.pendingGet !== undefined;
  }

  /**
   * Handles a GET (wait for packets) or POST (receive packets) of this session. Any other method
   * gets engine.io's answer, a bare 500, and leaves the session as it was.
   */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    headers: Record<string, string>,
  ): void {
    if (request.method === "GET") this.onGet(request, response, headers);
    else if (request.method === "POST") this.onPost(request, response, headers);
    else {
      response.writeHead(500, headers);
      response.end();
    }
  }

  send(packets: EnginePacket[]): void {
    const pending = this.pendingGet;
    if (!pending) return;
    this.pendingGet = undefined;
    encodeEnginePayload(packets, (payload) => {
      pending.response.writeHead(200, {
        ...pending.headers,
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Length": String(Buffer.byteLength(payload)),
        ...NO_CACHE,
      });
      pending.response.end(payload);
    });
  }

  close(): void {
    // The waiting GET returns empty-handed so the client notices at once.
    if (this.pendingGet) this.send([{ type: "noop" }]);
    this.pendingPost?.destroy();
    this.onClose("forced close");
  }

  terminate(): void {
    this.pendingGet?.response.socket?.destroy();
    this.pendingGet = undefined;
    this.pendingPost?.destroy();
    this.onClose("transport close");
  }

  /**
   * A protocol violation: the offending request gets 400 with engine.io's body, the waiting
   * GET (if any) gets a close packet, and the session ends with "transport error".
   */
  private fail(response: ServerResponse, headers: Record<string, string>): void {
    response.writeHead(400, { ...headers, "Content-Type": "application/json" });
    response.end(JSON.stringify({ code: 3, message: "Bad request" }));
    if (this.pendingGet) this.send([{ type: "close" }]);
    this.onClose("transport error");
  }

  private onGet(
    request: IncomingMessage,
    response: ServerResponse,
    headers: Record<string, string>,
  ): void {
    if (this.pendingGet) {
      this.fail(response, headers);
      return;
    }
    this.pendingGet = { response, headers };
    const gone = () => {
      if (this.pendingGet?.response === response && !response.writableEnded) {
        this.pendingGet = undefined;
        this.onClose("transport close");
      }
    };
    // Gone already while an async cors option decided: its close has been and gone.
    if (request.destroyed) {
      gone();
      return;
    }
    request.once("close", gone);
    this.emit("drain");
  }

  private onPost(
    request: IncomingMessage,
    response: ServerResponse,
    headers: Record<string, string>,
  ): void {
    // Gone already while an async cors option decided: no body will come, nor its close.
    if (request.destroyed) return;
    // A second POST while one is in flight, or a raw binary body (EIO 4 sends binary as base64
    // inside text payloads, never as application/octet-stream), breaks the protocol.
    if (this.pendingPost || request.headers["content-type"] === "application/octet-stream") {
      request.resume();
      this.fail(response, headers);
      return;
    }
    this.pendingPost = request;
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > this.maxPayload) {
        request.off("data", onData);
        request.resume();
        this.pendingPost = undefined;
        // As engine.io: the POST is refused, the session stays; the client, failing, leaves it.
        response.writeHead(413, { ...headers, Connection: "close" });
        response.end();
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("end", () => {
      if (this.pendingPost !== request || this.closed) return;
      this.pendingPost = undefined;
      const packets = decodeEnginePayload(Buffer.concat(chunks).toString("utf8"), "nodebuffer");
      if (packets.some((packet) => packet.type === "error")) {
        this.fail(response, headers);
        return;
      }
      response.writeHead(200, {
        ...headers,
        "Content-Type": "text/html",
        "Content-Length": "2",
        ...NO_CACHE,
      });
      response.end("ok");
      for (const packet of packets) this.emit("packet", packet);
    });
    request.on("close", () => {
      if (this.pendingPost === request) this.pendingPost = undefined;
    });
  }

  private onClose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.emit("close", reason);
  }
}
