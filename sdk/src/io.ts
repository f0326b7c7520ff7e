import type { EventsMap } from "./emitter.ts";
import type { TransportFactory } from "./engine/transport.ts";
import { Manager, type ManagerOptions } from "./manager.ts";
import { pageLocation } from "./page-location.ts";
import type { DefaultEventsMap, Socket, SocketOptions } from "./socket.ts";
import { validateOptions } from "./validate-options.ts";

/**
 * Options of {@link io}: the Manager's and the Socket's. The cache controls `forceNew` and
 * `multiplex` are among the Manager's, as in socket.io-client.
 */
export interface IoOptions extends ManagerOptions, SocketOptions {}

interface ParsedUri {
  /** http(s)/ws(s) origin, e.g. "https://example.com:8443". */
  origin: string;
  nsp: string;
  query: Record<string, string>;
}

function parseUri(uri: string | undefined): ParsedUri {
  const location = pageLocation(uri === undefined ? "io()" : undefined);
  // As socket.io-client: "localhost:3000/chat" is a host, taking the page's scheme (https: in Node).
  if (uri && uri[0] !== "/" && !/^(https?|wss?):\/\//i.test(uri)) {
    uri = `${location?.protocol ?? "https:"}//${uri}`;
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

/** The signature of {@link io}. */
export type IoFunction = <
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
>(
  uri?: string | IoOptions,
  options?: IoOptions,
) => Socket<ListenEvents, EmitEvents>;

/**
 * Builds an `io()` whose transport names resolve to `available` (also the default list). Entry
 * points call it with the transports they carry, so `@wireline/sdk/websocket` never bundles
 * polling; each `io()` keeps its own Manager cache.
 *
 * @example export const io = createIo([websocket, polling]);
 */
export function createIo(
  available: TransportFactory[],
  /** The Manager class to construct, so `socket.io instanceof` the entry's `Manager` holds. */
  ManagerClass: new (
    uri: string,
    options: ManagerOptions & { availableTransports?: TransportFactory[] },
  ) => Manager = Manager,
): IoFunction {
  const managers = new Map<string, Manager>();
  const io: IoFunction = (uri, options) => {
    if (typeof uri === "object") return io(undefined, uri);
    // null too, as socket.io-client takes it.
    options ??= {};
    // Before the options are spread into the Manager's.
    validateOptions(options);
    const { origin, nsp, query } = parseUri(uri);
    const cacheKey = origin + (options.path ?? "/socket.io");
    const cached = managers.get(cacheKey);
    const newConnection = options.forceNew || options.multiplex === false || cached?.nsps.has(nsp);
    const managerOptions = {
      // With the default list, a failed WebSocket falls back to polling.
      tryAllTransports: options.transports === undefined,
      ...options,
      // Both apply, the option's value winning a name that is in both.
      query: { ...query, ...options.query },
      availableTransports: available,
    };
    let manager: Manager;
    if (newConnection || !cached) {
      manager = new ManagerClass(origin, managerOptions);
      if (!newConnection) managers.set(cacheKey, manager);
    } else {
      manager = cached;
    }
    return manager.socket(nsp, options) as never;
  };
  return io;
}
