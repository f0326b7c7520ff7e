import type { IncomingMessage, ServerResponse } from "node:http";
import {
  decodeEnginePayload,
  type EnginePacket,
  encodeEnginePayload,
} from "@wireline/sdk/protocol";
import { ServerTransport } from "./server-transport.ts";

/**
 * The HTTP long-polling transport of a session: a GET waits until there is something to send,
 * a POST carries the client's packets. At most one of each may be pending; a second one is a
 * protocol violation that closes the session.
 */
export class PollingServerTransport extends ServerTransport {
  readonly name = "polling";
  private pendingGet: { response: ServerResponse; headers: Record<string, string> } | undefined;
  private postPending = false;
  private closed = false;

  constructor(private readonly maxPayload: number) {
    super();
  }

  get writable(): boolean {
    return !this.closed && this.pendingGet !== undefined;
  }

  /** Handles a GET (wait for packets) or POST (receive packets) of this session. */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    headers: Record<string, string>,
  ): void {
    if (request.method === "GET") this.onGet(request, response, headers);
    else this.onPost(request, response, headers);
  }

  send(packets: EnginePacket[]): void {
    const pending = this.pendingGet;
    if (!pending) return;
    this.pendingGet = undefined;
    encodeEnginePayload(packets, (payload) => {
      pending.response.writeHead(200, {
        ...pending.headers,
        "Content-Type": "text/plain; charset=UTF-8",
      });
      pending.response.end(payload);
    });
  }

  close(): void {
    if (this.pendingGet) this.send([{ type: "noop" }]);
    this.onClose("forced close");
  }

  terminate(): void {
    this.pendingGet?.response.socket?.destroy();
    this.pendingGet = undefined;
    this.onClose("transport close");
  }

  private onGet(
    request: IncomingMessage,
    response: ServerResponse,
    headers: Record<string, string>,
  ): void {
    if (this.pendingGet) {
      badRequest(response, headers);
      this.terminate();
      return;
    }
    this.pendingGet = { response, headers };
    request.once("close", () => {
      if (this.pendingGet?.response === response && !response.writableEnded) {
        this.pendingGet = undefined;
        this.onClose("transport close");
      }
    });
    this.emit("drain");
  }

  private onPost(
    request: IncomingMessage,
    response: ServerResponse,
    headers: Record<string, string>,
  ): void {
    if (this.postPending) {
      badRequest(response, headers);
      this.terminate();
      return;
    }
    if (request.headers["content-type"] === "application/octet-stream") {
      // Engine.IO v4 sends binary in text payloads (base64, "b" prefix), never as a raw body.
      badRequest(response, headers);
      this.terminate();
      return;
    }
    this.postPending = true;
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > this.maxPayload) {
        request.removeAllListeners("data");
        response.writeHead(413, { ...headers, Connection: "close" });
        response.end();
        this.postPending = false;
        this.terminate();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > this.maxPayload || this.closed) return;
      this.postPending = false;
      response.writeHead(200, { ...headers, "Content-Type": "text/html" });
      response.end("ok");
      for (const packet of decodeEnginePayload(
        Buffer.concat(chunks).toString("utf8"),
        "nodebuffer",
      )) {
        this.emit("packet", packet);
      }
    });
  }

  private onClose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.emit("close", reason);
  }
}

function badRequest(response: ServerResponse, headers: Record<string, string>): void {
  response.writeHead(400, { ...headers, "Content-Type": "application/json" });
  response.end(JSON.stringify({ code: 3, message: "Bad request" }));
}
