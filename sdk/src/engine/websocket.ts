import { openWebSocket } from "#node-transport";
import { decodeEnginePacket, type EnginePacket, encodeEnginePacket } from "../protocol/index.ts";
import { unref as unrefHandle } from "../unref.ts";
import type {
  Transport,
  TransportEvents,
  TransportFactory,
  TransportOptions,
} from "./transport.ts";

function toWebSocketUrl(url: string, query: Record<string, string>): string {
  const target = new URL(url);
  target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  return target.toString();
}

function findWebSocket(options: TransportOptions): typeof WebSocket {
  // Any implementation behaves as the browser's class does for what the transport uses.
  const found =
    (options.WebSocket as typeof WebSocket | undefined) ??
    (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (!found) {
    throw new Error(
      'Wireline: no WebSocket implementation found. In Node < 22 pass one: io(url, { WebSocket }) with `import { WebSocket } from "ws"`.',
    );
  }
  return found;
}

class WebSocketTransport implements Transport {
  readonly name = "websocket";
  readonly #socket: WebSocket;
  readonly #events: TransportEvents;
  #closed = false;
  /** `forceBase64`: binary goes as base64 text frames. */
  readonly #base64: boolean;
  /** Written to in this task: the drain comes once it is done. */
  #writing = false;
  /**
   * Packets written while a Blob is read as base64 (`forceBase64`): they go once its frame
   * has, so none overtakes the attachment (the server would take it for one).
   */
  #waiting: EnginePacket[] | undefined;

  constructor(options: TransportOptions, events: TransportEvents) {
    this.#events = events;
    const WebSocketImpl = findWebSocket(options);
    const url = toWebSocketUrl(options.url, options.query);
    this.#socket = openWebSocket(WebSocketImpl, url, options);
    this.#base64 = options.forceBase64 === true;
    this.#socket.binaryType = "arraybuffer";
    this.#socket.onopen = () => events.onOpen();
    this.#socket.onmessage = (event: MessageEvent) => {
      events.onPacket(decodeEnginePacket(event.data, events.binaryType()));
    };
    this.#socket.onclose = (event: CloseEvent) => {
      if (this.#closed) return;
      this.#closed = true;
      // socket.io-client's shape: `disconnect` listeners read details.context.code.
      events.onClose("transport close", {
        description: "websocket connection closed",
        context: event,
      });
    };
    this.#socket.onerror = () => {
      // A close event always follows; it carries the reason to report.
    };
  }

  get writable(): boolean {
    return !this.#writing && !this.#waiting;
  }

  send(packets: EnginePacket[]): void {
    if (this.#waiting) {
      this.#waiting.push(...packets);
      return;
    }
    for (let index = 0; index < packets.length; index++) {
      let sent = false;
      let returned = false;
      encodeEnginePacket(
        packets[index]!,
        !this.#base64,
        (frame) => {
          if (!this.#closed) this.#socket.send(frame as string | ArrayBuffer | Blob);
          sent = true;
          if (!returned) return;
          // The Blob's frame went: what waited behind it goes, then the drain.
          const waiting = this.#waiting ?? [];
          this.#waiting = undefined;
          this.send(waiting);
        },
        (error) => {
          // Its packet's header went without it: the server would wait for it for good.
          if (this.#closed) return;
          this.close();
          this.#events.onClose("transport error", error);
        },
      );
      returned = true;
      if (!sent) {
        // Encoded later (a Blob as base64): the rest waits for it, and so does the drain.
        this.#waiting = packets.slice(index + 1);
        return;
      }
    }
    // The socket buffers what it was given: drained once this task's writes are done, as
    // socket.io-client reports it.
    if (this.#writing) return;
    this.#writing = true;
    queueMicrotask(() => {
      this.#writing = false;
      if (!this.#closed && !this.#waiting) this.#events.onDrain?.();
    });
  }

  unref(): void {
    // The `ws` package's TCP socket; Node's built-in WebSocket exposes none.
    unrefHandle((this.#socket as { _socket?: unknown })._socket);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const noop = () => {};
    // Keep an error listener: the `ws` package throws an unhandled "error" when a socket
    // still connecting is closed and nobody listens.
    this.#socket.onopen =
      this.#socket.onmessage =
      this.#socket.onclose =
      this.#socket.onerror =
        noop;
    try {
      this.#socket.close();
    } catch {
      // Closing an already failed socket is not an error worth reporting.
    }
  }
}

/**
 * The WebSocket transport. Pass it in `transports` to use WebSocket only:
 * `io(url, { transports: [websocket] })`. Looks up the WebSocket constructor when it opens.
 */
export const websocket: TransportFactory = {
  name: "websocket",
  open: (options, events) => new WebSocketTransport(options, events),
};
