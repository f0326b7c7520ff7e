import type { EngineBinaryType, EnginePacket } from "../protocol/index.ts";
import type { CookieJar } from "./cookie-jar.ts";

/**
 * What received binary data is handed over as by default: a Buffer in Node (as socket.io-client
 * does, and as Node parsers such as socket.io-msgpack-parser need), an ArrayBuffer elsewhere.
 */
export const receivedBinaryType: EngineBinaryType =
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node ===
  "string"
    ? "nodebuffer"
    : "arraybuffer";

/** A WebSocket constructor: the browser's, Node ≥ 22's global, or the `ws` package's. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

/**
 * The part of a WebSocket the transport uses, loose enough that both the browser's class and
 * the `ws` package's class fit without a cast.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: never): void;
  close(code?: number, reason?: string): void;
}

/** What a transport needs to reach the server. */
export interface TransportOptions extends NodeWebSocketOptions {
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
  /** The session's cookies (Node, under `withCredentials`): sent with each request, updated from each answer. */
  cookies?: CookieJar | undefined;
  /** Add a unique query parameter to every polling request, against caches. Default true. */
  timestampRequests?: boolean | undefined;
  /** Name of that parameter. Default "t". */
  timestampParam?: string | undefined;
  /** Send binary as base64 text over WebSocket too, as polling does. Default false. */
  forceBase64?: boolean | undefined;
}

/**
 * Node only: what socket.io-client hands to the `ws` package's constructor. Browsers ignore
 * them, and polling (over `fetch`) takes none. All default to `ws`'s own defaults.
 */
export interface NodeWebSocketOptions {
  /** An `http.Agent` / `https.Agent`, e.g. a proxy's. */
  agent?: unknown;
  /** `ws`'s permessage-deflate setting (`false` turns compression off). */
  perMessageDeflate?: unknown;
  /** TLS: the client certificate as PFX or PKCS12. */
  pfx?: unknown;
  /** TLS: the client's private key. */
  key?: unknown;
  /** TLS: the passphrase of `key` or `pfx`. */
  passphrase?: string | undefined;
  /** TLS: the client certificate. */
  cert?: unknown;
  /** TLS: certificate authorities to trust, e.g. a development server's own. */
  ca?: unknown;
  /** TLS: the cipher suites allowed. */
  ciphers?: string | undefined;
  /** TLS: false accepts a certificate no trusted authority signed (development only). Default true. */
  rejectUnauthorized?: boolean | undefined;
  /** The local interface to connect from. */
  localAddress?: string | undefined;
}

/** Callbacks a transport reports to its Engine with. */
export interface TransportEvents {
  /** What to decode received binary data as (the Engine's `binaryType`, read per message). */
  binaryType(): EngineBinaryType;
  onOpen(): void;
  onPacket(packet: EnginePacket): void;
  onClose(reason: string, description?: unknown): void;
  /** Everything sent so far has been handed to the network (the Engine's `drain`). */
  onDrain?(): void;
}

/** One live connection carrying Engine.IO packets. */
export interface Transport {
  /** The transport's name on the wire (`transport=` query value). */
  readonly name: string;
  /** Sends packets; only called while open. */
  send(packets: EnginePacket[]): void;
  /** False while a write is in flight: a volatile emit is dropped then, as in socket.io-client. */
  readonly writable: boolean;
  /**
   * Closes without reporting `onClose` back. `endSession`: a handshake still on its way is
   * awaited a moment (polling: up to 3 s) so that the session it opens can be ended, rather
   * than left on the server until its ping timeout. Default false: everything stops now.
   */
  close(endSession?: boolean): void;
  /**
   * Stops reading and writing once the requests in flight are done, then calls `onPaused`:
   * the step of an upgrade after which no packet can overtake another. Polling only.
   */
  pause?(onPaused: () => void): void;
  /** Reads and writes again after `pause` (the upgrade failed); `onPaused` is not called. */
  resume?(): void;
  /** Node: stops the connection from keeping the process alive (`autoUnref`). */
  unref?(): void;
}

/**
 * A transport, passed by value in the `transports` option so that an app bundles only
 * the transports it lists.
 */
export interface TransportFactory {
  readonly name: string;
  open(options: TransportOptions, events: TransportEvents): Transport;
}

/**
 * A transport by value, or by its socket.io-client name. Any string is accepted, as by
 * socket.io-client's types (e.g. names read from config); a name the entry point does not
 * carry is refused by `io()` with an error listing the ones it has.
 */
export type TransportChoice =
  | TransportFactory
  | "websocket"
  | "polling"
  | "webtransport"
  // `string & {}` keeps the names above as editor suggestions.
  | (string & {});

/** Names that socket.io-client apps list but an entry point may not carry: skipped when another remains. */
const SKIPPABLE = new Set(["polling", "webtransport"]);

/**
 * Turns transport names into the modules of `available` (an entry point's transports); values
 * pass through. Throws when nothing usable remains or a name is unknown.
 */
export function resolveTransports(
  choices: TransportChoice[],
  available: TransportFactory[],
): TransportFactory[] {
  const resolved: TransportFactory[] = [];
  const unknown: string[] = [];
  for (const choice of choices) {
    const found = typeof choice === "string" ? available.find((t) => t.name === choice) : choice;
    if (found) resolved.push(found);
    else if (typeof choice === "string" && !SKIPPABLE.has(choice)) unknown.push(choice);
  }
  if (unknown.length > 0 || resolved.length === 0) {
    const names = available.map((t) => t.name).join(", ") || "none";
    throw new Error(
      `Wireline: unknown or unavailable transport(s) ${JSON.stringify(choices)}; this entry point has: ${names}. Pass transport modules as values to use others.`,
    );
  }
  return resolved;
}
