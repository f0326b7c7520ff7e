import type { EventsMap } from "./emitter.ts";
import type { TransportFactory } from "./engine/transport.ts";
import { websocket } from "./engine/websocket.ts";
import { Manager, type ManagerOptions } from "./manager.ts";
import type { DefaultEventsMap, Socket, SocketOptions } from "./socket.ts";

/** A transport by value, or by its socket.io-client name. */
export type TransportChoice = TransportFactory | "websocket" | "polling" | "webtransport";

/** Options of {@link io}: the Manager's and the Socket's, plus the cache controls. */
export interface IoOptions extends Omit<ManagerOptions, "transports">, SocketOptions {
  /** Transports in order of preference, as values or names. Default: `["websocket"]`. */
  transports?: TransportChoice[];
  /** Always create a new Manager (connection) instead of reusing one. Default false. */
  forceNew?: boolean;
  /** Reuse one Manager per server for several namespaces. Default true. */
  multiplex?: boolean;
}

const AVAILABLE: Record<string, TransportFactory> = { websocket };

/** Names that socket.io-client apps list but this build does not carry; skipped when another transport remains. */
const SKIPPABLE = new Set(["polling", "webtransport"]);

function resolveTransports(choices: TransportChoice[] | undefined): TransportFactory[] {
  if (!choices) return [websocket];
  const resolved: TransportFactory[] = [];
  const unknown: string[] = [];
  for (const choice of choices) {
    if (typeof choice !== "string") resolved.push(choice);
    else if (AVAILABLE[choice]) resolved.push(AVAILABLE[choice]);
    else if (!SKIPPABLE.has(choice)) unknown.push(choice);
  }
  if (unknown.length > 0 || resolved.length === 0) {
    throw new Error(
      `Wireline: unknown or unavailable transport(s) ${JSON.stringify(choices)}; available: ${Object.keys(AVAILABLE).join(", ")}.`,
    );
  }
  return resolved;
}

interface ParsedUri {
  /** http(s)/ws(s) origin, e.g. "https://example.com:8443". */
  origin: string;
  nsp: string;
  query: Record<string, string>;
}

function parseUri(uri: string | undefined): ParsedUri {
  const location = (globalThis as { location?: { href: string } }).location;
  if (uri === undefined && !location) {
    throw new Error(
      "Wireline: io() without a URL only works in a browser page; pass the server's URL.",
    );
  }
  let url: URL;
  try {
    url = new URL(uri ?? "/", location?.href);
  } catch {
    throw new Error(
      `Wireline: "${uri}" is not a valid URL; pass e.g. "https://example.com" or "/chat".`,
    );
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  return { origin: `${url.protocol}//${url.host}`, nsp: url.pathname || "/", query };
}

const managers = new Map<string, Manager>();

/**
 * Connects to a Socket.IO server and returns the socket of the URL's namespace — the same
 * call as socket.io-client's `io()`. Sockets to several namespaces of one server share one
 * connection, unless `forceNew` or `multiplex: false`.
 *
 * @example
 * const socket = io("https://example.com", { auth: { token } });
 * const chat = io("https://example.com/chat"); // shares the connection
 */
export function io<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
>(uri?: string | IoOptions, options: IoOptions = {}): Socket<ListenEvents, EmitEvents> {
  if (typeof uri === "object") return io<ListenEvents, EmitEvents>(undefined, uri);
  const { origin, nsp, query } = parseUri(uri);
  const path = options.path ?? "/socket.io";
  const cacheKey = `${origin}${path}`;
  const cached = managers.get(cacheKey);
  const newConnection = options.forceNew || options.multiplex === false || cached?.nsps.has(nsp);
  const managerOptions: ManagerOptions = {
    ...options,
    query: options.query ?? query,
    transports: resolveTransports(options.transports),
  };
  let manager: Manager;
  if (newConnection || !cached) {
    manager = new Manager(origin, managerOptions);
    if (!newConnection) managers.set(cacheKey, manager);
  } else {
    manager = cached;
  }
  return manager.socket(nsp, options) as unknown as Socket<ListenEvents, EmitEvents>;
}
