import { BaseManager, Socket } from "@wireline/sdk";
import { type ReactNode, useMemo } from "react";
import { connectionKey } from "./connection-key.ts";
import type { ConnectionOptions } from "./shared-connections.ts";
import { type ConnectionSource, DEFAULT_RELEASE_DELAY, SocketContext } from "./socket-context.ts";

/** Props of {@link SocketProvider}: a server to share, or the app's own client. */
export type SocketProviderProps = { children?: ReactNode } & (
  | {
      /**
       * The server, as for `io()`: `"https://chat.example.com"`; a path names the default
       * namespace (`"https://chat.example.com/admin"`). Default: the page's origin.
       */
      url?: string;
      /**
       * `io()` options of the connection (auth, transports, reconnection, outbox, …). Plain
       * objects and arrays compare by value, functions and instances by identity: an inline
       * `{ auth: { token } }` is fine, an inline `auth: (cb) => …` opens a new connection on
       * every render. Default `{}`.
       */
      options?: ConnectionOptions;
      /**
       * Ms a connection stays open after its last user unmounted, so StrictMode and hot reloads
       * reuse it. Default 1000.
       */
      releaseDelay?: number;
      client?: undefined;
    }
  | {
      /**
       * The app's own connection: a Manager, or a socket (then the default namespace's socket).
       * The hooks neither open nor close it: the app owns its lifecycle.
       */
      client: BaseManager | Socket;
      url?: undefined;
      options?: undefined;
      releaseDelay?: undefined;
    }
);

/**
 * Shares one connection with the hooks below it. Connections are identified by URL and
 * options: providers naming the same ones share a Manager, others (nested or side by side) each
 * have their own. A provider opens nothing by itself: the connection opens when the first
 * `useSocket`, `useSocketEvent`, `useSocketValue` or `useEmitWithAck` below it mounts, and closes
 * `releaseDelay` ms after the last one unmounts.
 *
 * @example
 * <SocketProvider url="https://chat.example.com" options={{ auth: { token } }}>
 *   <Chat />
 * </SocketProvider>
 */
export function SocketProvider(props: SocketProviderProps): ReactNode {
  const { client, url, options, releaseDelay } = props;
  if (client !== undefined && (url !== undefined || options !== undefined)) {
    throw new Error(
      "Wireline: <SocketProvider> takes either `client` or `url`/`options`, not both; configure the client you pass.",
    );
  }
  if (releaseDelay !== undefined && !(Number.isFinite(releaseDelay) && releaseDelay >= 0)) {
    throw new RangeError(
      `Wireline: <SocketProvider releaseDelay> must be a finite number of ms >= 0, got ${releaseDelay}.`,
    );
  }
  if (client !== undefined && !(client instanceof Socket) && !(client instanceof BaseManager)) {
    throw new TypeError(
      "Wireline: <SocketProvider client> must be a Manager or a Socket from @wireline/sdk.",
    );
  }
  // Equal options written as a new object on every render keep the same source.
  const key = client === undefined ? connectionKey(url ?? "", options ?? {}) : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for url and options by value.
  const source = useMemo<ConnectionSource>(
    () =>
      client === undefined
        ? {
            kind: "shared",
            url,
            options: options ?? {},
            releaseDelay: releaseDelay ?? DEFAULT_RELEASE_DELAY,
          }
        : client instanceof Socket
          ? { kind: "client", manager: client.io, socket: client }
          : { kind: "client", manager: client, socket: undefined },
    [client, key, releaseDelay],
  );
  // `.Provider` keeps React 18 working.
  return <SocketContext.Provider value={source}>{props.children}</SocketContext.Provider>;
}
