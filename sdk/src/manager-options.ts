import type { TransportOverrides } from "./engine/engine.ts";
import type {
  NodeWebSocketOptions,
  TransportChoice,
  WebSocketConstructor,
} from "./engine/transport.ts";
import type { Lifecycle } from "./lifecycle.ts";
import type { Parser } from "./protocol/parser.ts";

/**
 * Options of a Manager (the Engine.IO connection shared by namespace sockets). In Node, the
 * `ws` constructor's options (`rejectUnauthorized`, `ca`, `agent`, …) pass through too.
 */
export interface ManagerOptions extends NodeWebSocketOptions {
  /** `io()`: always create a new Manager (connection) instead of reusing one. Default false. Unused by `new Manager()`. */
  forceNew?: boolean;
  /** `io()`: reuse one Manager per server for several namespaces. Default true. Unused by `new Manager()`. */
  multiplex?: boolean;
  /** Engine.IO endpoint path. Default "/socket.io". */
  path?: string;
  /** Whether to append "/" to the path, as socket.io servers expect. Default true. */
  addTrailingSlash?: boolean;
  /**
   * Extra query parameters of the handshake (and of every polling request). Values of any type
   * are sent as their string form (`{ page: 1 }` sends `page=1`), as in socket.io-client.
   */
  // biome-ignore lint/suspicious/noExplicitAny: socket.io-client's type, so config objects fit as they are.
  query?: { [key: string]: any };
  /**
   * Transports in order of preference, as values (`[websocket, polling]`) or names
   * (`["websocket", "polling"]`). The first is used; a later one is an upgrade target (or, with
   * `tryAllTransports`, a fallback). Default: every transport of the entry point, WebSocket
   * first, with polling started when WebSocket fails before the handshake or has no answer
   * after 2.5 s (see `tryAllTransports`).
   */
  transports?: TransportChoice[];
  /** WebSocket constructor to use instead of `globalThis.WebSocket` (e.g. the `ws` package's in Node < 22). */
  WebSocket?: WebSocketConstructor;
  /** WebSocket sub-protocols. */
  protocols?: string | string[];
  /** Whether to reconnect automatically. Default true. */
  reconnection?: boolean;
  /** Attempts before giving up. Default Infinity (0 too, as in socket.io-client). */
  reconnectionAttempts?: number;
  /** Floor of the delay between attempts, ms. Default 1000 (0 too, as in socket.io-client). */
  reconnectionDelay?: number;
  /** Cap of the delay between attempts, ms. Default 5000 (0 too, as in socket.io-client). */
  reconnectionDelayMax?: number;
  /** Handshake timeout, ms, or false for none (as socket.io-client). Default 20000. */
  timeout?: number | false;
  /** Whether to connect as soon as created. Default true. */
  autoConnect?: boolean;
  /**
   * The page and network signals to react to. Default: the browser's in a page (online/offline,
   * visibility, pagehide/pageshow, freeze/resume), none in Node. Tests pass `createFakeLifecycle()`.
   */
  lifecycle?: Lifecycle;
  /** Close the connection on `pagehide` and reopen it on `pageshow` (back/forward cache). Default false. */
  closeOnPageHide?: boolean;
  /**
   * socket.io-client's name for closing as the page goes away: here it means
   * `closeOnPageHide` (a `beforeunload` listener would keep the page out of the back/forward
   * cache). Default false.
   */
  closeOnBeforeunload?: boolean;
  /**
   * Ms to wait, when a page becomes visible or resumes past its liveness deadline, before
   * declaring the connection dead: a ping queued while frozen is read first. Default 300.
   */
  livenessGrace?: number;
  /**
   * socket.io-client's jitter: a factor `f` in [0, 1] draws each delay in `center·(1 ± f)`
   * around `reconnectionDelay·2^attempt`, kept within the floor and the cap. Default: unset,
   * which means full jitter between the floor and the exponential ceiling: a better spread.
   */
  randomizationFactor?: number;
  /** Upgrade polling to WebSocket after the handshake when both are listed. Default true. */
  upgrade?: boolean;
  /** Start on WebSocket when an upgrade to it succeeded earlier in this page. Default false. */
  rememberUpgrade?: boolean;
  /**
   * Try the next listed transport when one fails before the handshake, or beside it when it has
   * no answer after 2.5 s (at most half the `timeout`): the first the server answers on is kept,
   * the other closed. Default false (true with `io()`'s default transports).
   */
  tryAllTransports?: boolean;
  /** Extra HTTP headers of every request (Node; browsers cannot set them on WebSocket). */
  extraHeaders?: Record<string, string>;
  /** Send cookies with cross-origin polling requests. Default false. */
  withCredentials?: boolean;
  /** Add a unique parameter to every request (always for polling unless false). Default: polling only. */
  timestampRequests?: boolean;
  /** Name of that parameter. Default "t". */
  timestampParam?: string;
  /**
   * Node: once a namespace is connected, the connection alone does not keep the process alive
   * (its timers and its `ws` socket are unref'd), like socket.io-client's. Polling requests
   * are not unref'd. Default false.
   */
  autoUnref?: boolean;
  /**
   * socket.io-client's `parser`: a Socket.IO parser module to encode and decode packets with
   * instead of the built-in JSON one, e.g. `import * as parser from "socket.io-msgpack-parser"`.
   * The server must use the same parser. Default: the built-in parser.
   */
  /** Send binary as base64 text over WebSocket too, as polling does. Default false. */
  forceBase64?: boolean;
  /**
   * Options for one transport only, by name, over the others, as in socket.io-client:
   * `{ polling: { extraHeaders: { authorization } } }`. Default: none.
   */
  transportOptions?: TransportOverrides;
  parser?: Parser;
}

/** Options the Manager hands to each Engine unchanged. */
export type EnginePassthrough =
  | "upgrade"
  | "rememberUpgrade"
  | "tryAllTransports"
  | "extraHeaders"
  | "withCredentials"
  | "timestampRequests"
  | "timestampParam"
  | "autoUnref"
  | "forceBase64"
  | "transportOptions"
  | keyof NodeWebSocketOptions;
