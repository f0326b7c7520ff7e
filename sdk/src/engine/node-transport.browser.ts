// The browser build of `#node-transport`: browsers keep a session's cookies themselves
// (`withCredentials` only lets them cross origins) and let no script set a WebSocket's headers
// or TLS options, so there is no jar and nothing to add or keep.
import type { TransportOptions } from "./transport.ts";

/** The session's options, unchanged. */
export function withCookieJar<Options>(options: Options): Options {
  return options;
}

/** A request's headers: a copy of `extraHeaders`. */
export function requestHeaders(options: TransportOptions): Record<string, string> {
  return { ...options.extraHeaders };
}

/** Nothing to keep: the browser does. */
export function storeCookies(_options: TransportOptions, _response: Response): void {}

/** Opens a WebSocket as browsers do: a URL and sub-protocols. */
export function openWebSocket(
  WebSocketClass: typeof WebSocket,
  url: string,
  options: TransportOptions,
): WebSocket {
  return new WebSocketClass(url, options.protocols);
}
