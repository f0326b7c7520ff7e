// Node's side of the transports, reached through the package's `#node-transport` import: its
// `browser` condition gives node-transport.browser.ts instead, so browser bundles carry none of it.
import { createCookieJar } from "./cookie-jar.ts";
import type { NodeWebSocketOptions, TransportOptions } from "./transport.ts";

/** The session's options, with a new jar under `withCredentials`. */
export function withCookieJar<Options extends Pick<TransportOptions, "withCredentials">>(
  options: Options,
): Options {
  return options.withCredentials ? { ...options, cookies: createCookieJar() } : options;
}

/** A request's headers: a copy of `extraHeaders`, the jar's cookies after any `cookie` the app set. */
export function requestHeaders(options: TransportOptions): Record<string, string> {
  const headers = { ...options.extraHeaders };
  const stored = options.cookies?.header();
  if (!stored) return headers;
  // The app's own `Cookie` header, however it spelled the name, keeps its place before the jar's:
  // two spellings would reach Node's HTTP client as two headers, and one would be lost.
  const name = Object.keys(headers).find((key) => key.toLowerCase() === "cookie") ?? "cookie";
  headers[name] = headers[name] ? `${headers[name]}; ${stored}` : stored;
  return headers;
}

/** Keeps the cookies an answer set, for the session's next requests. */
export function storeCookies(options: TransportOptions, response: Response): void {
  options.cookies?.store(response.headers.getSetCookie());
}

/** The names of {@link NodeWebSocketOptions}, to pick them out of the options. */
const NODE_WEBSOCKET_OPTIONS = [
  "agent",
  "perMessageDeflate",
  "pfx",
  "key",
  "passphrase",
  "cert",
  "ca",
  "ciphers",
  "rejectUnauthorized",
  "localAddress",
] as const satisfies ReadonlyArray<keyof NodeWebSocketOptions>;

/** A WebSocket class, whatever its constructor takes after the URL. */
type AnyWebSocketClass = new (url: string, ...rest: unknown[]) => WebSocket;

/**
 * Opens a WebSocket with the headers (`extraHeaders`, the session's cookies) and the TLS and
 * agent options. The `ws` package's class takes them as a third argument. Node's own (global from
 * Node 22) takes headers in an options object and nothing else: an option it cannot honour
 * throws rather than being dropped.
 */
export function openWebSocket(
  WebSocketClass: typeof WebSocket,
  url: string,
  options: TransportOptions,
): WebSocket {
  const Class = WebSocketClass as unknown as AnyWebSocketClass;
  // Only what is set: `ws` would take an undefined value over its own default.
  const extra: Record<string, unknown> = {};
  for (const name of NODE_WEBSOCKET_OPTIONS) {
    if (options[name] !== undefined) extra[name] = options[name];
  }
  const headers = requestHeaders(options);
  const hasHeaders = Object.keys(headers).length > 0;
  // `ws` is the one with `terminate()`.
  if (typeof (Class.prototype as { terminate?: unknown }).terminate === "function") {
    if (hasHeaders) extra.headers = headers;
    return Object.keys(extra).length > 0
      ? new Class(url, options.protocols, extra)
      : new Class(url, options.protocols);
  }
  const unsupported = Object.keys(extra);
  if (unsupported.length > 0) {
    throw new TypeError(
      `Wireline: Node's built-in WebSocket takes no ${unsupported.join(", ")}. Pass the ws package's: io(url, { WebSocket }) with \`import { WebSocket } from "ws"\`.`,
    );
  }
  return hasHeaders
    ? new Class(url, { protocols: options.protocols, headers })
    : new Class(url, options.protocols);
}
