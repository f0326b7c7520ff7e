import type { ConnectionStateRecoveryOptions } from "../server-core/connection-recovery.ts";
import { MAX_TIMER_DELAY } from "../timer-delay.ts";
import type { EngineRequest } from "./mock-engine.ts";

/**
 * engine.io's `allowRequest`: called with each handshake request (not later polls or upgrades);
 * `callback(message, true)` lets it through, `callback(message, false)` refuses it with
 * engine.io's "Forbidden" (code 4), `message` as the answer's text when given.
 */
export type AllowRequest = (
  request: EngineRequest,
  callback: (message: string | null | undefined, success: boolean) => void,
) => void;

/** Options of {@link mockSocketServer}: socket.io's names and defaults, plus what only a mock needs. */
export interface MockSocketServerOptions {
  /** Endpoint path of the server. Default "/socket.io/". */
  path?: string;
  /** Ms between the server's pings. Default 25000 (socket.io's). */
  pingInterval?: number;
  /** Ms the server waits for a pong before closing with "ping timeout". Default 20000. */
  pingTimeout?: number;
  /** Largest message accepted, in bytes; announced to clients in the handshake. Default 1e6. */
  maxPayload?: number;
  /** Transports clients may use. Default `["polling", "websocket"]`. */
  transports?: Array<"polling" | "websocket">;
  /** Whether a polling session may upgrade to WebSocket. Default true. */
  allowUpgrades?: boolean;
  /** Ms `expectEmitted` waits for a matching event before it rejects. Default 2000. */
  assertionTimeout?: number;
  /**
   * Ms a client has, from its Engine.IO handshake, to join a namespace (middlewares included);
   * then its connection is closed ("forced close"). Default 45000; 0 means the default, as in
   * socket.io.
   */
  connectTimeout?: number;
  /**
   * socket.io's connection state recovery: events get an offset as their last argument, and a
   * socket whose connection was lost keeps its id, rooms, data and the events it missed for
   * `maxDisconnectionDuration` (default 120000 ms); a restored socket skips the middlewares
   * unless `skipMiddlewares` is false. Default: off.
   */
  connectionStateRecovery?: ConnectionStateRecoveryOptions;
  /** Accepts or refuses each handshake, as engine.io's (see {@link AllowRequest}). Default: all accepted. */
  allowRequest?: AllowRequest;
}

/** Options with their defaults applied, and the URLs the handlers match. */
export interface ResolvedOptions {
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
  transports: ReadonlySet<"polling" | "websocket">;
  allowUpgrades: boolean;
  assertionTimeout: number;
  connectTimeout: number;
  /** With socket.io's defaults applied; undefined when off. */
  connectionStateRecovery: Required<ConnectionStateRecoveryOptions> | undefined;
  allowRequest: AllowRequest | undefined;
  /** The endpoint path as socket.io's `path()` gives it: "/socket.io" by default (no trailing slash). */
  path: string;
  /** `http(s)://host/path/`, for the polling handlers. */
  httpUrl: string;
  /** The URL the WebSocket link matches (see {@link webSocketLinkUrl}). */
  webSocketUrl: string;
}

const SCHEMES: Record<string, [http: string, ws: string]> = {
  "http:": ["http:", "ws:"],
  "ws:": ["http:", "ws:"],
  "https:": ["https:", "wss:"],
  "wss:": ["https:", "wss:"],
};

function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `Wireline mockSocketServer: "${name}" must be a positive number of ${name === "maxPayload" ? "bytes" : "ms"}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * A positive number of ms a timer waits: `setTimeout` fires a delay past 2^31 - 1 ms at once,
 * which would turn a long `pingInterval` into a ping storm.
 */
export function timerDelay(name: string, value: number | undefined, fallback: number): number {
  const ms = positiveNumber(name, value, fallback);
  if (ms > MAX_TIMER_DELAY) {
    throw new TypeError(
      `Wireline mockSocketServer: "${name}" must be at most ${MAX_TIMER_DELAY} ms (about 24 days), got ${ms}`,
    );
  }
  return ms;
}

/** Validates the URL and options, and applies the defaults. Throws a TypeError that says what to fix. */
export function resolveOptions(url: string, options: MockSocketServerOptions): ResolvedOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `Wireline mockSocketServer: "${url}" is not an absolute URL; pass the server's origin, e.g. "http://localhost:3000"`,
    );
  }
  const schemes = SCHEMES[parsed.protocol];
  if (!schemes) {
    throw new TypeError(
      `Wireline mockSocketServer: "${url}" must use http, https, ws or wss, as the URL the app passes to io()`,
    );
  }
  if (parsed.pathname !== "/" || parsed.search !== "") {
    throw new TypeError(
      `Wireline mockSocketServer: pass the server's origin only ("${parsed.origin}"); declare namespaces with server.of("${parsed.pathname}") and the endpoint with the "path" option`,
    );
  }
  const rawPath = options.path ?? "/socket.io/";
  const path = `/${rawPath.replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
  const transports = new Set<"polling" | "websocket">(
    options.transports ?? ["polling", "websocket"],
  );
  for (const transport of transports) {
    if (transport !== "polling" && transport !== "websocket") {
      throw new TypeError(
        `Wireline mockSocketServer: unknown transport "${String(transport)}"; use "polling" and/or "websocket"`,
      );
    }
  }
  if (transports.size === 0) {
    throw new TypeError('Wireline mockSocketServer: "transports" must name at least one transport');
  }
  const [httpScheme, wsScheme] = schemes;
  return {
    pingInterval: timerDelay("pingInterval", options.pingInterval, 25000),
    pingTimeout: timerDelay("pingTimeout", options.pingTimeout, 20000),
    maxPayload: positiveNumber("maxPayload", options.maxPayload, 1e6),
    transports,
    allowUpgrades: options.allowUpgrades ?? true,
    assertionTimeout: timerDelay("assertionTimeout", options.assertionTimeout, 2000),
    // socket.io reads `connectTimeout || 45000`: 0 falls back to the default.
    connectTimeout: timerDelay("connectTimeout", options.connectTimeout || undefined, 45000),
    connectionStateRecovery: resolveRecovery(options.connectionStateRecovery),
    allowRequest: resolveAllowRequest(options.allowRequest),
    // socket.io's `path()`: the option as given, less one trailing slash.
    path: (options.path || "/socket.io").replace(/\/$/, ""),
    httpUrl: `${httpScheme}//${parsed.host}${path}`,
    webSocketUrl: webSocketLinkUrl(`${wsScheme}//${parsed.host}`, path),
  };
}

function resolveRecovery(
  recovery: ConnectionStateRecoveryOptions | undefined,
): Required<ConnectionStateRecoveryOptions> | undefined {
  if (!recovery) return undefined;
  return {
    maxDisconnectionDuration: positiveNumber(
      "maxDisconnectionDuration",
      recovery.maxDisconnectionDuration,
      120_000,
    ),
    skipMiddlewares: recovery.skipMiddlewares ?? true,
  };
}

function resolveAllowRequest(allowRequest: AllowRequest | undefined): AllowRequest | undefined {
  if (allowRequest !== undefined && typeof allowRequest !== "function") {
    throw new TypeError(
      'Wireline mockSocketServer: "allowRequest" takes a function (request, callback) => …',
    );
  }
  return allowRequest;
}

/**
 * MSW's `ws.link` strips a leading "/socket.io/" from the client's URL before matching (so
 * handlers need not spell it), so the default path is matched at the root.
 */
function webSocketLinkUrl(origin: string, path: string): string {
  return path === "/socket.io/" ? `${origin}/` : `${origin}${path}`;
}
