import { type IoOptions, io, type Socket } from "@wireline/sdk";
import { connectionKey } from "./connection-key.ts";

/** How long a socket nobody uses stays connected, ms: remounts and hot reloads reuse it. */
export const DEFAULT_RELEASE_DELAY = 1000;

/** A socket held by one user (a component, an effect scope); `release` hands it back once. */
export interface SocketLease {
  readonly socket: Socket;
  /**
   * Connects the socket the first time any of its leases asks; later calls do nothing. So a
   * socket disconnected since (`socket.disconnect()` on logout, a server's kick) stays so
   * when another user arrives, as a socket.io-client socket does. Once released for good,
   * the next acquire gets a socket that connects again.
   */
  connect(): void;
  /** Whether {@link SocketLease.connect} was called through any lease of this socket. */
  readonly started: boolean;
  /** Hands the socket back; the last release disconnects it after the release delay. */
  release(): void;
}

/** Options of {@link createSocketRegistry}. */
export interface SocketRegistryOptions {
  /**
   * Ms between the last release of a socket and its disconnection; an acquire in between
   * keeps the same socket. Default {@link DEFAULT_RELEASE_DELAY} (1000).
   */
  releaseDelay?: number;
}

/** Ref-counted sockets, one connection per URL and options, one socket per namespace. */
export interface SocketRegistry {
  /**
   * The socket of `namespace` (default: the URL's path, else "/") on the connection for `url`
   * and `options`, created on first use and not connected: the caller connects it. With
   * `forceNew: true` or `multiplex: false` every call gets a connection of its own, as `io()`
   * gives.
   */
  acquire(url: string | undefined, namespace: string | undefined, options: IoOptions): SocketLease;
  /** How many connections are held or waiting for their release delay. */
  readonly size: number;
  /** Disconnects every socket now and forgets them, e.g. when the app unmounts. */
  clear(): void;
}

interface NamespaceEntry {
  socket: Socket;
  started: boolean;
  holders: number;
  releaseTimer: ReturnType<typeof setTimeout> | undefined;
  /** The app whose lease let go of it last, if that lease had one (see {@link takenFor}). */
  releasedBy?: object | undefined;
}

interface ConnectionEntry {
  key: string;
  /** The namespace of the URL, used when a caller names none. */
  urlNamespace: string;
  /** A socket of the connection, to reach its Manager. */
  root: Socket;
  namespaces: Map<string, NamespaceEntry>;
}

// Internal, for the plugin: the app each lease was taken for, and per registry what closes the
// sockets an app let go of last. Kept off the public interfaces.
const leaseApps = new WeakMap<SocketLease, object>();
const releasedByClosers = new WeakMap<SocketRegistry, (app: object) => void>();

/** Marks `lease` as taken for `app` (its plugin client), for {@link closeReleasedBy}. */
export function takenFor(lease: SocketLease, app: object): SocketLease {
  leaseApps.set(lease, app);
  return lease;
}

/**
 * Disconnects now every socket of `registry` that nobody holds and whose last release came from
 * `app`: an unmounted app's, which no remount of it will want back. Those another app let go of
 * last keep their release delay, as that app may mount the component again.
 */
export function closeReleasedBy(registry: SocketRegistry, app: object): void {
  releasedByClosers.get(registry)?.(app);
}

/**
 * The options a plugin gives all its sockets. `forceNew` or `multiplex: false` there mean
 * connections of the plugin's own (which a plugin's registry has anyway), not one per
 * composable call: only a call's own options ask for that.
 */
export function pluginWideOptions(options: IoOptions): IoOptions {
  const { forceNew: _forceNew, multiplex: _multiplex, ...shared } = options;
  return shared;
}

/**
 * Creates a registry of shared, ref-counted sockets. Equal URLs and options share one
 * connection; the last holder's release disconnects the socket after `releaseDelay`, so a
 * component that unmounts and mounts again (route change, hot reload) keeps its connection.
 *
 * @example
 * const registry = createSocketRegistry({ releaseDelay: 1000 });
 * const { socket, release } = registry.acquire("https://example.com", "/chat", {});
 */
export function createSocketRegistry(options: SocketRegistryOptions = {}): SocketRegistry {
  const releaseDelay = options.releaseDelay ?? DEFAULT_RELEASE_DELAY;
  if (!Number.isFinite(releaseDelay) || releaseDelay < 0) {
    throw new RangeError(
      `Wireline: releaseDelay needs a finite, non-negative number of ms, got ${releaseDelay}.`,
    );
  }
  const connections = new Map<string, ConnectionEntry>();
  let unshared = 0;

  function connectionFor(url: string | undefined, ioOptions: IoOptions): ConnectionEntry {
    // As with io(): forceNew or multiplex: false ask for a connection nobody else shares.
    const own = ioOptions.forceNew === true || ioOptions.multiplex === false;
    const key = `${connectionKey(url, ioOptions)}${own ? `#own${++unshared}` : ""}`;
    let connection = connections.get(key);
    if (!connection) {
      // A fresh Manager per key: io()'s own cache would share it with unrelated code.
      const root = io(url, { ...ioOptions, forceNew: true, autoConnect: false });
      connection = { key, urlNamespace: root.nsp, root, namespaces: new Map() };
      connections.set(key, connection);
    }
    return connection;
  }

  function disconnect(connection: ConnectionEntry, namespace: string): void {
    const entry = connection.namespaces.get(namespace);
    if (!entry) return;
    clearTimeout(entry.releaseTimer);
    connection.namespaces.delete(namespace);
    entry.socket.disconnect();
    if (connection.namespaces.size === 0) {
      connection.root.io.close();
      if (connections.get(connection.key) === connection) connections.delete(connection.key);
    }
  }

  const registry: SocketRegistry = {
    acquire(url, namespace, ioOptions) {
      if (namespace !== undefined && !namespace.startsWith("/")) {
        throw new Error(
          `Wireline: namespace "${namespace}" must start with "/", e.g. "/chat" or "/".`,
        );
      }
      const connection = connectionFor(url, ioOptions);
      const nsp = namespace ?? connection.urlNamespace;
      let entry = connection.namespaces.get(nsp);
      if (!entry) {
        const socket =
          nsp === connection.root.nsp ? connection.root : connection.root.io.socket(nsp, ioOptions);
        entry = { socket, started: false, holders: 0, releaseTimer: undefined };
        connection.namespaces.set(nsp, entry);
      }
      clearTimeout(entry.releaseTimer);
      entry.releaseTimer = undefined;
      entry.holders++;
      const held = entry;
      let released = false;
      const lease: SocketLease = {
        socket: held.socket,
        connect() {
          if (held.started) return;
          held.started = true;
          // A socket the app connected itself: connect() would cut a reconnection wait short.
          if (!held.socket.active) held.socket.connect();
        },
        get started() {
          return held.started;
        },
        release() {
          if (released) return;
          released = true;
          held.holders--;
          if (held.holders > 0) return;
          held.releasedBy = leaseApps.get(lease);
          held.releaseTimer = setTimeout(() => disconnect(connection, nsp), releaseDelay);
        },
      };
      return lease;
    },
    get size() {
      return connections.size;
    },
    clear() {
      for (const connection of [...connections.values()]) {
        for (const namespace of [...connection.namespaces.keys()])
          disconnect(connection, namespace);
      }
      connections.clear();
    },
  };
  releasedByClosers.set(registry, (app) => {
    for (const connection of [...connections.values()]) {
      for (const [namespace, entry] of [...connection.namespaces]) {
        if (entry.holders === 0 && entry.releasedBy === app) disconnect(connection, namespace);
      }
    }
  });
  return registry;
}

/**
 * The registry of composables used without the plugin: one per page. Tests may
 * `sharedRegistry.clear()` between cases.
 */
export const sharedRegistry: SocketRegistry = /* @__PURE__ */ createSocketRegistry();
