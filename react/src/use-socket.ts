import type { DefaultEventsMap, EventsMap, Socket } from "@wireline/sdk";
import { useContext, useEffect, useReducer, useState } from "react";
import {
  detachedSocket,
  resolveTarget,
  sharedConnectionOf,
  type UseSocketOptions,
} from "./connection-target.ts";
import { isServer } from "./environment.ts";
import { refuse } from "./input-checks.ts";
import { sharedConnections } from "./shared-connections.ts";
import { SocketContext } from "./socket-context.ts";

/**
 * The socket of `namespace` on the nearest `<SocketProvider>`'s connection, or without a
 * provider on a connection shared page-wide by URL and options (default: the page's origin).
 * Components naming the same connection share one Manager; the socket connects when the first
 * of them mounts and disconnects `releaseDelay` ms (default 1000) after the last unmounts, so
 * StrictMode's double mount and hot reloads reuse one connection. Rendering opens nothing; on a
 * server the socket never connects. Below `<SocketProvider client>` the app's own client is
 * returned as is: the app opens and closes it.
 *
 * @param namespace Default: the URL's path, else "/".
 * @param options `url` for another server, more `io()` options, `releaseDelay`. Default: the provider's.
 * @example
 * const socket = useSocket<ServerEvents, ClientEvents>("/chat");
 * const send = (text: string) => socket.emit("message", text);
 */
export function useSocket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
>(namespace?: string, options?: UseSocketOptions): Socket<ListenEvents, EmitEvents> {
  return useSocketOf(namespace, options) as unknown as Socket<ListenEvents, EmitEvents>;
}

/**
 * What the other hooks take as their first argument: a socket (used as is, not retained), or a
 * namespace (or nothing) resolved and held as by {@link useSocket}. Any other object (null
 * included) throws a TypeError.
 */
export function useSocketOf(
  socketOrNamespace: Socket | string | undefined,
  options?: UseSocketOptions,
): Socket {
  const source = useContext(SocketContext);
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const server = isServer();
  const given = typeof socketOrNamespace === "object" ? socketOrNamespace : undefined;
  // A socket not there yet (null) must not quietly mean the page's default connection.
  if (given !== undefined && typeof given?.on !== "function") {
    refuse('a hook takes a Socket or a namespace such as "/chat"', given && "another object");
  }
  const namespaceArg = typeof socketOrNamespace === "object" ? undefined : socketOrNamespace;
  const target = given ? undefined : resolveTarget(source, namespaceArg, options);
  const shared = target?.kind === "shared" ? target : undefined;
  // A server renders once: one detached socket per component, outside the page-wide pool.
  const [detached] = useState(() => (server && shared ? detachedSocket(shared) : undefined));
  const connection = shared && !server ? sharedConnectionOf(shared) : undefined;
  const namespace = shared?.namespace;
  const releaseDelay = shared?.releaseDelay;

  useEffect(() => {
    if (!connection || namespace === undefined || releaseDelay === undefined) return;
    // A render that took longer than the release delay to commit: use the current connection.
    if (!sharedConnections.adopt(connection)) {
      rerender();
      return;
    }
    connection.retainNamespace(namespace);
    return () => connection.releaseNamespace(namespace, releaseDelay);
  }, [connection, namespace, releaseDelay]);

  if (given) return given;
  if (target?.kind === "client") return target.socket;
  if (connection && namespace !== undefined) return connection.socket(namespace);
  return detached ?? detachedSocket(shared!);
}
