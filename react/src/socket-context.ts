import type { BaseManager, Socket } from "@wireline/sdk";
import { createContext } from "react";
import type { ConnectionOptions } from "./shared-connections.ts";

/**
 * How long a shared connection stays open after its last user unmounts, in ms: long enough for
 * React StrictMode's mount→unmount→mount, a hot-module reload, or a route change that loads
 * its next page lazily to reuse it. 1000, as in `@wireline/vue`.
 */
export const DEFAULT_RELEASE_DELAY = 1000;

/** Where the hooks below a provider take their connection from. */
export type ConnectionSource =
  | {
      kind: "shared";
      /** The server; undefined means the page's own origin, as `io()` without a URL. */
      url: string | undefined;
      options: ConnectionOptions;
      releaseDelay: number;
    }
  | {
      kind: "client";
      /** The app's own Manager: the hooks neither open nor close it. */
      manager: BaseManager;
      /** The app's own socket, when it passed one: the default namespace's socket. */
      socket: Socket | undefined;
    };

/** Outside any provider: the page's origin, shared, with default options. */
export const DEFAULT_SOURCE: ConnectionSource = {
  kind: "shared",
  url: undefined,
  options: {},
  releaseDelay: DEFAULT_RELEASE_DELAY,
};

/** The connection source of the nearest `<SocketProvider>`. */
export const SocketContext = createContext<ConnectionSource>(DEFAULT_SOURCE);
