// A scriptable stand-in for the WebSocket constructor, so client logic can be driven frame
// by frame (in Node and in Chromium) without a server.

import { io, type Socket } from "../index.ts";

/** Every FakeWebSocket created, newest last. */
export const fakeSockets: FakeWebSocket[] = [];

type Listener = ((event: never) => void) | null;

/** Implements the part of the WebSocket API the SDK uses. */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  readonly url: string;
  readyState = 0;
  binaryType = "blob";
  /** Frames the client sent. */
  readonly sent: Array<string | ArrayBuffer | ArrayBufferView | Blob> = [];
  onopen: Listener = null;
  onmessage: Listener = null;
  onclose: Listener = null;
  onerror: Listener = null;

  constructor(url: string) {
    this.url = url;
    fakeSockets.push(this);
  }

  send(data: string | ArrayBuffer): void {
    this.sent.push(data);
  }

  close(): void {
    this.readyState = 3;
  }

  /** Test side: the connection opens, then the server sends its Engine.IO handshake. */
  serverOpen(handshake: { pingInterval?: number; pingTimeout?: number } = {}): void {
    this.readyState = 1;
    (this.onopen as ((event: unknown) => void) | null)?.({});
    this.serverSend(
      `0${JSON.stringify({ sid: "engine-sid", upgrades: [], pingInterval: 1000, pingTimeout: 500, maxPayload: 1e6, ...handshake })}`,
    );
  }

  /** Test side: the server sends one frame. */
  serverSend(data: string | ArrayBuffer): void {
    (this.onmessage as ((event: unknown) => void) | null)?.({ data });
  }

  /** Test side: the connection drops. */
  serverClose(code = 1006): void {
    this.readyState = 3;
    (this.onclose as ((event: unknown) => void) | null)?.({ code, reason: "" });
  }
}

/** The fake as the SDK's option type. */
export const FakeWebSocketConstructor = FakeWebSocket as unknown as new (url: string) => WebSocket;

/**
 * A socket of `io()` over a {@link FakeWebSocket} (`fakeSockets.at(-1)`), WebSocket only and a
 * connection of its own, with `options` on top; nothing is opened yet on the server side.
 */
export function fakeIo(options: Record<string, unknown> = {}): Socket {
  return io("http://example.test", {
    forceNew: true,
    WebSocket: FakeWebSocketConstructor,
    transports: ["websocket"],
    ...options,
  });
}
