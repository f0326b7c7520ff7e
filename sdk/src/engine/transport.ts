import type { EnginePacket } from "../protocol/index.ts";

/** A WebSocket constructor: the browser's, Node ≥ 22's global, or the `ws` package's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** What a transport needs to reach the server. */
export interface TransportOptions {
  /** Absolute http(s) URL of the Engine.IO endpoint, without query. */
  url: string;
  /** Query parameters, `EIO` and `transport` included. */
  query: Record<string, string>;
  /** Explicit WebSocket constructor; otherwise `globalThis.WebSocket` at open time. */
  WebSocket?: WebSocketConstructor | undefined;
  /** WebSocket sub-protocols. */
  protocols?: string | string[] | undefined;
  /** Extra HTTP headers (Node only: browsers do not let scripts set them on a WebSocket). */
  extraHeaders?: Record<string, string> | undefined;
  /** Send cookies with cross-origin polling requests. Default false. */
  withCredentials?: boolean | undefined;
  /** Add a unique query parameter to every polling request, against caches. Default true. */
  timestampRequests?: boolean | undefined;
  /** Name of that parameter. Default "t". */
  timestampParam?: string | undefined;
}

/** Callbacks a transport reports to its Engine with. */
export interface TransportEvents {
  onOpen(): void;
  onPacket(packet: EnginePacket): void;
  onClose(reason: string, description?: unknown): void;
}

/** One live connection carrying Engine.IO packets. */
export interface Transport {
  /** The transport's name on the wire (`transport=` query value). */
  readonly name: string;
  /** Sends packets; only called while open. */
  send(packets: EnginePacket[]): void;
  /** Closes without reporting `onClose` back. */
  close(): void;
  /**
   * Stops reading and writing once the requests in flight are done, then calls `onPaused`:
   * the step of an upgrade after which no packet can overtake another. Polling only.
   */
  pause?(onPaused: () => void): void;
}

/**
 * A transport, passed by value in the `transports` option so that an app bundles only
 * the transports it lists.
 */
export interface TransportFactory {
  readonly name: string;
  open(options: TransportOptions, events: TransportEvents): Transport;
}
