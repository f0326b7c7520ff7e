import { type BaseManager, type IoOptions, io, type Socket } from "@wireline/sdk";
import { connectionKey } from "./connection-key.ts";
import { RefCount } from "./ref-count.ts";

/** Options of a shared connection: `io()`'s, without the cache controls the pool replaces. */
export type ConnectionOptions = Omit<IoOptions, "forceNew" | "multiplex">;

/**
 * One Manager shared by every hook and provider that names the same URL and options. Counts its
 * users per namespace: a namespace socket connects with its first user and disconnects
 * `releaseDelay` ms after its last; the Manager leaves the pool when nothing uses it.
 */
export class SharedConnection {
  readonly key: string;
  readonly manager: BaseManager;
  /** Whether the socket of a namespace connects when its first user arrives (`autoConnect`). */
  readonly #autoConnect: boolean;
  /** Also each namespace socket's options (auth, ackTimeout, retries, outbox). */
  readonly #options: ConnectionOptions;
  readonly #users: RefCount;
  readonly #namespaces = new Map<string, RefCount>();
  readonly #onIdle: (connection: SharedConnection) => void;

  constructor(
    key: string,
    url: string,
    options: ConnectionOptions,
    onIdle: (connection: SharedConnection) => void,
  ) {
    this.key = key;
    this.#autoConnect = options.autoConnect ?? true;
    this.#options = options;
    this.#onIdle = onIdle;
    // Built closed: rendering may create it, only a mounted user opens it.
    this.manager = io(url, { ...options, forceNew: true, autoConnect: false }).io;
    this.#users = new RefCount(() => this.#close());
  }

  /** The namespace socket, created closed on first use. */
  socket(namespace: string): Socket {
    return this.manager.socket(namespace, this.#options);
  }

  /** Keeps the Manager in the pool without connecting anything (a state observer). */
  retain(): void {
    this.#users.retain();
  }

  /** Undoes {@link SharedConnection.retain}; the Manager closes `delay` ms after its last user. */
  release(delay: number): void {
    this.#users.release(delay);
  }

  /** Arms the idle timer of a connection nobody holds yet, so an abandoned render leaves nothing. */
  expireUnlessUsed(delay: number): void {
    if (this.#users.users === 0) this.#users.idleAfter(delay);
  }

  /** Adds a user of `namespace`: its socket connects for the first one. */
  retainNamespace(namespace: string): void {
    let users = this.#namespaces.get(namespace);
    if (!users) {
      const namespaceUsers = new RefCount(() => {
        this.#namespaces.delete(namespace);
        // The Manager closes the session itself once no namespace socket is active.
        this.socket(namespace).disconnect();
        this.#users.release(0);
      });
      users = namespaceUsers;
      this.#namespaces.set(namespace, users);
    }
    // A user back within the release delay: the namespace still holds the Manager, once.
    const holdsManager = users.pending;
    if (users.retain()) {
      if (!holdsManager) this.#users.retain();
      if (this.#autoConnect) this.socket(namespace).connect();
    }
  }

  /** Removes a user of `namespace`: its socket disconnects `delay` ms after the last one. */
  releaseNamespace(namespace: string, delay: number): void {
    this.#namespaces.get(namespace)?.release(delay);
  }

  #close(): void {
    // A Manager that never opened keeps its "idle" state: nothing to close.
    if (this.manager.getSnapshot().status !== "idle") this.manager.close();
    this.#onIdle(this);
  }
}

/**
 * The connections shared by URL and options across the page: what `<SocketProvider url>` and
 * `useSocket(namespace, { url })` hand out. Only ever used in a browser page, never on a server.
 */
class SharedConnections {
  readonly #byKey = new Map<string, SharedConnection>();

  /**
   * The connection for `url` and `options`, created closed if there is none. Safe to call while
   * rendering: a connection that no effect retains within `releaseDelay` ms leaves the pool.
   */
  get(url: string, options: ConnectionOptions, releaseDelay: number): SharedConnection {
    const key = connectionKey(url, options);
    let connection = this.#byKey.get(key);
    if (!connection) {
      connection = new SharedConnection(key, url, options, (idle) => {
        if (this.#byKey.get(idle.key) === idle) this.#byKey.delete(idle.key);
      });
      this.#byKey.set(key, connection);
      connection.expireUnlessUsed(releaseDelay);
    }
    return connection;
  }

  /**
   * Whether `connection` may be used by an effect now. One that left the pool (its render
   * committed later than `releaseDelay`) comes back unless another took its place; then the
   * caller renders again to get that one.
   */
  adopt(connection: SharedConnection): boolean {
    const current = this.#byKey.get(connection.key);
    if (current === connection) return true;
    if (current) return false;
    this.#byKey.set(connection.key, connection);
    return true;
  }

  /** How many connections are shared now. */
  get size(): number {
    return this.#byKey.size;
  }
}

/** The page's shared connections. */
export const sharedConnections = new SharedConnections();
