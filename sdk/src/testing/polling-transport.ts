import { receivedBinaryType } from "../engine/transport.ts";
import { decodeEnginePayload, encodeEnginePacket } from "../protocol/engine.ts";
import { utf8Length } from "../protocol/utf8-length.ts";
import {
  type OutgoingItem,
  type SessionTransport,
  type TransportSink,
  transportError,
} from "./session-transport.ts";

/** The answer to one polling request: a status and a text body, or a network error. */
export type PollingReply = { status: number; body: string } | { networkError: true };

/** The record separator between packets of one polling body. */
const SEPARATOR = "\x1e";

/** Engine.IO's error body for a request that breaks the protocol. */
const BAD_REQUEST = JSON.stringify({ code: 3, message: "Bad request" });

/** Encodes items as one polling body, binary as base64; in order even when a Blob is read. */
function encodeBody(items: OutgoingItem[], done: (body: string) => void): void {
  const parts: string[] = new Array(items.length);
  let pending = items.length;
  const settle = () => {
    if (--pending === 0) done(parts.join(SEPARATOR));
  };
  items.forEach((item, index) => {
    if ("raw" in item) {
      parts[index] = item.raw;
      settle();
      return;
    }
    encodeEnginePacket(item, false, (encoded) => {
      parts[index] = encoded as string;
      settle();
    });
  });
}

/**
 * The HTTP long-polling transport of a mocked client: a GET waits until there is something to
 * send, a POST carries the client's packets. A second GET while one waits breaks the protocol
 * and ends the session with "transport error", as engine.io does; so does a POST larger than
 * `maxPayload`. A POST that does not decode ends it with "parse error".
 */
export class PollingTransport implements SessionTransport {
  readonly name = "polling";
  /** Set once nothing more will be answered: the session's id may be forgotten. */
  retired = false;
  private sink: TransportSink | undefined;
  private waiting: ((reply: PollingReply) => void) | undefined;
  private closed = false;
  /** What the client's next GETs get after the close, one batch each. */
  private finals: OutgoingItem[][] = [];

  constructor(private readonly maxPayload: number) {}

  get writable(): boolean {
    return !this.closed && this.waiting !== undefined;
  }

  bind(sink: TransportSink): void {
    this.sink = sink;
  }

  /** Handles a GET: resolves when there is something to send. */
  get(): Promise<PollingReply> {
    if (this.closed) {
      const final = this.finals.shift() ?? [{ type: "noop" as const }];
      if (this.finals.length === 0) this.retired = true;
      return new Promise((resolve) => encodeBody(final, (body) => resolve({ status: 200, body })));
    }
    if (this.waiting) {
      this.violate("overlap from client");
      return Promise.resolve({ status: 400, body: BAD_REQUEST });
    }
    const reply = new Promise<PollingReply>((resolve) => {
      this.waiting = resolve;
    });
    this.sink?.drain();
    return reply;
  }

  /** Handles a POST body: the client's packets. */
  post(body: string): PollingReply {
    if (this.closed) return { status: 400, body: BAD_REQUEST };
    // In UTF-8 bytes, as engine.io counts a body.
    if (utf8Length(body) > this.maxPayload) {
      // engine.io answers 413 and waits for the client to give up its poll, which it reports
      // as below; the mock ends the session at once.
      this.violate("poll connection closed prematurely");
      return { status: 413, body: "" };
    }
    // Binary reaches the server's listeners as socket.io's: a Buffer in Node, else an ArrayBuffer.
    // A packet that does not decode comes last, as an "error" packet: the session then ends
    // with "parse error" and the POST is still answered "ok", as engine.io does.
    const packets = decodeEnginePayload(body, receivedBinaryType);
    for (const packet of packets) this.sink?.packet(packet);
    return { status: 200, body: "ok" };
  }

  send(items: OutgoingItem[]): void {
    const resolve = this.waiting;
    if (!resolve || items.length === 0) return;
    this.waiting = undefined;
    encodeBody(items, (body) => resolve({ status: 200, body }));
  }

  close(final: OutgoingItem[]): void {
    if (this.closed) return;
    // The close packet in a GET of its own: socket.io-client handles a payload's messages a
    // tick after its close packet, and would read the server's DISCONNECTs as a transport close.
    const closing = final.findIndex((item) => "type" in item && item.type === "close");
    this.finals =
      closing > 0
        ? [final.slice(0, closing), final.slice(closing)]
        : final.length > 0
          ? [final]
          : [];
    if (this.waiting) this.send(this.finals.shift() ?? [{ type: "noop" }]);
    this.retired = this.finals.length === 0;
    this.closed = true;
  }

  drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.retired = true;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ networkError: true });
  }

  /**
   * A protocol violation: the waiting GET gets a close packet and the session ends with
   * "transport error", described by engine.io's message for it.
   */
  private violate(message: string): void {
    this.close([{ type: "close" }]);
    this.retired = true;
    this.sink?.close("transport error", transportError(message));
  }
}
