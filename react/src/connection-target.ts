import { type BaseManager, io, type Socket } from "@wireline/sdk";
import { isServer } from "./environment.ts";
import { refuse } from "./input-checks.ts";
import {
  type ConnectionOptions,
  type SharedConnection,
  sharedConnections,
} from "./shared-connections.ts";
import { type ConnectionSource, DEFAULT_RELEASE_DELAY } from "./socket-context.ts";

/** Options of `useSocket`: another shared connection's URL, more `io()` options, the release delay. */
export interface UseSocketOptions extends ConnectionOptions {
  /**
   * A server other than the provider's: names a shared connection of its own (the provider's
   * options do not apply to it). A path names the default namespace.
   */
  url?: string;
  /** Ms the connection stays open after its last user unmounted. Default: the provider's, else 1000. */
  releaseDelay?: number;
}

/** What a hook connects to, resolved from the provider, the hook's arguments and the page. */
export type ConnectionTarget =
  | {
      kind: "shared";
      /** Origin and query: what the connection is keyed by along with its options. */
      url: string;
      namespace: string;
      options: ConnectionOptions;
      releaseDelay: number;
    }
  | { kind: "client"; manager: BaseManager; socket: Socket };

// The server never connects: a relative URL only needs some base to be parsed.
const SERVER_BASE = "http://localhost";

function splitUrl(url: string | undefined): { url: string; namespace: string } {
  const server = isServer();
  // React Native has no location: there a relative URL is refused below.
  const page = server
    ? undefined
    : (globalThis as { location?: { href: string; protocol: string } }).location;
  // As io() reads it: "localhost:3000/chat" is a host, with the page's scheme (else https:).
  const withScheme =
    url && url[0] !== "/" && !/^(https?|wss?):\/\//i.test(url)
      ? `${page?.protocol ?? "https:"}//${url}`
      : url;
  let parsed: URL;
  try {
    parsed = new URL(withScheme ?? "/", server ? SERVER_BASE : page?.href);
  } catch {
    throw new Error(
      url === undefined
        ? "Wireline: outside a page (React Native), pass the server's URL to <SocketProvider url>."
        : `Wireline: "${url}" is not a valid server URL; pass e.g. "https://chat.example.com".`,
    );
  }
  return { url: `${parsed.origin}${parsed.search}`, namespace: parsed.pathname || "/" };
}

/** Resolves the connection of a hook below `source`, for `namespace` (default: the source's). */
export function resolveTarget(
  source: ConnectionSource,
  namespace: string | undefined,
  options: UseSocketOptions | undefined,
): ConnectionTarget {
  // useSocket("/chat", "https://…") would spread the URL's letters as options.
  if (options != null && typeof options !== "object") {
    refuse("useSocket's options must be an object such as { url }", typeof options);
  }
  const { url: ownUrl, releaseDelay: ownDelay, ...ownOptions } = options ?? {};
  if (ownDelay !== undefined && !(Number.isFinite(ownDelay) && ownDelay >= 0)) {
    throw new RangeError(
      `Wireline: releaseDelay must be a finite number of ms >= 0, got ${ownDelay}.`,
    );
  }
  if (source.kind === "client" && ownUrl === undefined) {
    if (options !== undefined && Object.keys(ownOptions).length > 0) {
      throw new Error(
        "Wireline: below <SocketProvider client>, useSocket options need a `url` (another connection); configure the client you passed instead.",
      );
    }
    const wanted = namespace ?? source.socket?.nsp ?? "/";
    // An existing socket as it is: `manager.socket()` would reconnect one the app disconnected.
    const socket =
      source.socket?.nsp === wanted
        ? source.socket
        : (source.manager.nsps.get(wanted) ?? source.manager.socket(wanted));
    return { kind: "client", manager: source.manager, socket };
  }
  const shared = source.kind === "shared" ? source : undefined;
  // Another URL is another server: the provider's options are not meant for it.
  const url = ownUrl ?? shared?.url;
  const connectionOptions =
    ownUrl === undefined && shared ? { ...shared.options, ...ownOptions } : ownOptions;
  const split = splitUrl(url);
  return {
    kind: "shared",
    url: split.url,
    namespace: namespace ?? split.namespace,
    options: connectionOptions,
    releaseDelay: ownDelay ?? shared?.releaseDelay ?? DEFAULT_RELEASE_DELAY,
  };
}

/** In the page: the shared connection of `target` (created closed while rendering). */
export function sharedConnectionOf(
  target: ConnectionTarget & { kind: "shared" },
): SharedConnection {
  return sharedConnections.get(target.url, target.options, target.releaseDelay);
}

/** On a server: a socket that never connects, for components that read it while rendering. */
export function detachedSocket(target: ConnectionTarget & { kind: "shared" }): Socket {
  const socket = io(target.url, { ...target.options, forceNew: true, autoConnect: false });
  return socket.io.socket(target.namespace, target.options);
}
