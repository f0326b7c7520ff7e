import type { EventsMap } from "../emitter.ts";
import { ConnectionRecovery } from "../server-core/connection-recovery.ts";
import { adoptChild, DynamicNamespaces } from "../server-core/dynamic-namespaces.ts";
import type { NamespaceMatcher } from "../server-core/namespace-matcher.ts";
import type { AckReply, AllButLast, EventParams, Last } from "../types.ts";
import type { BroadcastOperator, BroadcastParams } from "./broadcast-operator.ts";
import { ClientConnection } from "./client-connection.ts";
import { ConnectionQueue } from "./connection-queue.ts";
import { MockEngine } from "./mock-engine.ts";
import { type MockMiddleware, MockNamespace, type MockNamespaceListeners } from "./namespace.ts";
import {
  type MockSocketServerOptions,
  type ResolvedOptions,
  resolveOptions,
  timerDelay,
} from "./options.ts";
import type { PollingTransport } from "./polling-transport.ts";
import { ReceivedEventLog } from "./received-event-log.ts";
import type { ReceivedEvent } from "./received-events.ts";
import { createHandlers, type MockSocketHandlers } from "./request-handlers.ts";
import type { MockServerSocket } from "./server-socket.ts";

/** Options of {@link MockSocketServer.waitForConnection}. */
export interface WaitForConnectionOptions {
  /** The namespace to wait on. Default "/". */
  nsp?: string;
  /** Ms to wait before rejecting. Default 5000. */
  timeout?: number;
}

function normalizeNamespace(name: string): string {
  if (typeof name !== "string") {
    throw new TypeError(
      `Wireline mockSocketServer: a namespace is a string such as "/chat", got ${String(name)}`,
    );
  }
  return name.startsWith("/") ? name : `/${name}`;
}

/**
 * A Socket.IO v5 server mocked with MSW, for app tests without a real server: register
 * {@link MockSocketServer.handlers} with `setupWorker` (browser) or `setupServer` (Node), then
 * script the server with socket.io's `Server` API and assert what clients emitted.
 * Create one with {@link mockSocketServer}. Typed as socket.io's `Server<ListenEvents,
 * EmitEvents, ServerSideEvents, SocketData>`: `ListenEvents` are the events clients emit,
 * `EmitEvents` those the server sends, `ServerSideEvents` those of `serverSideEmit` (and of
 * `on`, besides the reserved events) and `SocketData` the type of each `socket.data`. All
 * default to untyped (`SocketData` to `any`).
 */
export class MockSocketServer<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> {
  /** The MSW handlers to register: a `ws.link` for WebSocket and `http` handlers for polling. */
  readonly handlers: MockSocketHandlers;
  private readonly receivedLog = new ReceivedEventLog();
  private readonly options: ResolvedOptions;
  private readonly namespaces = new Map<string, MockNamespace>();
  /** Dynamic namespaces: what each `of(matcher)` matches, and its parent namespace. */
  private readonly dynamicNamespaces = new DynamicNamespaces<MockNamespace>();
  private readonly connections = new Map<string, ClientConnection>();
  /**
   * The Engine.IO layer, as socket.io's `server.engine`: `clientsCount`, `clients`, the
   * `connection` and `connection_error` events, `generateId` and `close()`.
   */
  readonly engine = new MockEngine(this.connections);
  private readonly pollingTransports = new Map<string, PollingTransport>();
  /** Sockets for waitForConnection. */
  private readonly connectionQueue = new ConnectionQueue();
  #connectTimeout: number;

  constructor(url: string, options: MockSocketServerOptions = {}) {
    this.options = resolveOptions(url, options);
    this.#connectTimeout = this.options.connectTimeout;
    this.handlers = createHandlers(this.options, {
      generateId: (request) => this.engine.generateId(request),
      open: (id, transport, request, upgrades) => {
        const connection = new ClientConnection(
          this,
          id,
          transport,
          request,
          this.options,
          upgrades,
          () => this.connections.delete(connection.id),
        );
        this.connections.set(connection.id, connection);
        for (const [sid, old] of this.pollingTransports) {
          if (old.retired) this.pollingTransports.delete(sid);
        }
        if (transport.name === "polling")
          this.pollingTransports.set(connection.id, transport as PollingTransport);
        this.engine.emitEvent("connection", connection);
      },
      refused: (error) => this.engine.emitEvent("connection_error", error),
      find: (sid) => this.connections.get(sid),
      polling: (sid) => {
        const transport = this.pollingTransports.get(sid);
        if (transport?.retired) {
          this.pollingTransports.delete(sid);
          return undefined;
        }
        return transport;
      },
    });
    this.of("/");
  }

  /** Every event clients emitted, in arrival order (cleared by {@link MockSocketServer.reset}). */
  get received(): ReceivedEvent[] {
    return this.receivedLog.entries;
  }

  /**
   * The endpoint path, as socket.io's `path()`: the `path` option less a trailing slash,
   * "/socket.io" by default. Read-only here: the handlers match the path they were made with, so
   * `path(value)` throws a TypeError naming the `path` option instead of being ignored.
   */
  path(value?: undefined): string {
    if (value !== undefined) {
      throw new TypeError(
        'Wireline mockSocketServer: the path is fixed when the handlers are made; pass it as the "path" option: mockSocketServer(url, { path })',
      );
    }
    return this.options.path;
  }

  /**
   * socket.io's `connectTimeout()`: without an argument, the ms a client has to join a namespace
   * (the `connectTimeout` option, default 45000); with one, sets it for the clients that
   * connect from then on. Throws a TypeError for a `ms` that is not a positive number of ms.
   */
  connectTimeout(): number;
  connectTimeout(ms: number): this;
  connectTimeout(ms?: number): number | this {
    if (ms === undefined) return this.#connectTimeout;
    this.#connectTimeout = timerDelay("connectTimeout", ms, ms);
    return this;
  }

  /** The main namespace. */
  get sockets(): MockNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.of("/");
  }

  /**
   * The namespace `name`, created on first use (clients connecting to an unknown one get
   * "Invalid namespace"). A RegExp or a function declares dynamic namespaces, as in socket.io:
   * the namespace returned is their parent, whose middlewares and connection listeners each
   * namespace it makes gets, and whose broadcasts reach them all; `of(name)` for a name a RegExp
   * parent matches makes it that parent's child too.
   *
   * A function as second argument listens to the namespace's `connect`, as socket.io's.
   * Creating a namespace other than "/" emits the server's `new_namespace`.
   *
   * @example
   * server.of(/^\/room-\d+$/).on("connection", (socket) => socket.emit("room", socket.nsp.name));
   */
  of(
    name: string | NamespaceMatcher,
    onConnect?: (
      socket: MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    ) => void,
  ): MockNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    // Event types are the test's; the server stores namespaces untyped.
    const namespace = this.#namespaceFor(name);
    if (onConnect) namespace.on("connect", onConnect as (socket: MockServerSocket) => void);
    return namespace as unknown as MockNamespace<
      ListenEvents,
      EmitEvents,
      ServerSideEvents,
      SocketData
    >;
  }

  /**
   * The namespace `name`, made if need be: then `adopter`'s child (the dynamic parent that made
   * it for a client), or that of the first RegExp parent it matches.
   */
  #namespaceFor(name: string | NamespaceMatcher, adopter?: MockNamespace): MockNamespace {
    if (name instanceof RegExp || typeof name === "function") {
      const parent = new MockNamespace(this, String(name), true);
      this.dynamicNamespaces.add(name, parent);
      return parent;
    }
    const normalized = normalizeNamespace(name);
    const existing = this.namespaces.get(normalized);
    if (existing) return existing;
    const recovery = this.options.connectionStateRecovery;
    const namespace = new MockNamespace(
      this,
      normalized,
      false,
      (socket) => this.connectionQueue.announce(socket),
      recovery && new ConnectionRecovery(recovery),
    );
    this.namespaces.set(normalized, namespace);
    // As socket.io: a child has its parent's middlewares and listeners before new_namespace
    // announces it, and of(name) makes a name a RegExp parent matches that parent's child, so
    // that a client connecting to it later still gets them.
    const parent = adopter ?? this.dynamicNamespaces.regExpParent(normalized);
    if (parent) adoptChild(parent, namespace);
    if (normalized !== "/") this.#namespaceFor("/").emitEvent("new_namespace", namespace);
    return namespace;
  }

  /** An existing namespace, or undefined. */
  namespace(
    name: string,
  ): MockNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | undefined {
    return this.namespaces.get(name) as
      | MockNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
      | undefined;
  }

  /** The namespace a dynamic parent makes for `name`, if one matches it. */
  async matchNamespace(
    name: string,
    auth: Record<string, unknown>,
  ): Promise<MockNamespace | undefined> {
    return this.dynamicNamespaces.match(name, auth, {
      existing: (made) => this.namespaces.get(made),
      create: (made, parent) => this.#namespaceFor(made, parent),
    });
  }

  /**
   * Listens to the main namespace's `connection` (or `connect`), or to `new_namespace`: a
   * namespace was created, by `of(name)` or by a dynamic parent for a client.
   */
  on<
    K extends keyof MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  >(
    event: K,
    listener: MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[K],
  ): this {
    this.sockets.on(event, listener);
    return this;
  }

  /** Removes a listener added with {@link MockSocketServer.on}. */
  off<
    K extends keyof MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  >(
    event: K,
    listener: MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[K],
  ): this {
    this.sockets.off(event, listener);
    return this;
  }

  /** As {@link MockSocketServer.on}, for the next event only. */
  once<
    K extends keyof MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  >(
    event: K,
    listener: MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[K],
  ): this {
    this.sockets.once(event, listener);
    return this;
  }

  /** Alias of {@link MockSocketServer.off}, as socket.io's. */
  removeListener<
    K extends keyof MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  >(
    event: K,
    listener: MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[K],
  ): this {
    return this.off(event, listener);
  }

  /** Removes the main namespace's listeners of `event`, or all of them. */
  removeAllListeners(
    event?: keyof MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ): this {
    this.sockets.removeAllListeners(event);
    return this;
  }

  /** The main namespace's listeners of `event`. */
  listeners<
    K extends keyof MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  >(
    event: K,
  ): Array<MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>[K]> {
    return this.sockets.listeners(event);
  }

  /** Adds a middleware to the main namespace: `next(error)` refuses with a `connect_error`. */
  use(middleware: MockMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this.sockets.use(middleware);
    return this;
  }

  /** Sends an event to every socket of the main namespace. */
  emit<E extends keyof EmitEvents & string>(
    event: E,
    ...args: BroadcastParams<EmitEvents, E>
  ): boolean {
    return this.sockets.emit(event, ...args);
  }

  /** Sends a `message` event to every socket of the main namespace. */
  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  /** Alias of {@link MockSocketServer.send}. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /**
   * socket.io's message to the other servers of a cluster, typed by `ServerSideEvents` (an ack
   * last gets `(error | null, responses)`). The mock is one server with socket.io's default
   * in-memory adapter, which has none: as socket.io, it warns and does nothing (this server's
   * listeners are not called, an ack never is). Throws for a reserved event name.
   */
  serverSideEmit<E extends keyof ServerSideEvents & string>(
    event: E,
    ...args: BroadcastParams<ServerSideEvents, E>
  ): boolean {
    return this.sockets.serverSideEmit(event, ...args);
  }

  /**
   * As socket.io's with its default adapter: warns, and the promise never settles. Typed by
   * `ServerSideEvents`: it would resolve with every other server's acknowledgement.
   */
  serverSideEmitWithAck<E extends keyof ServerSideEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<ServerSideEvents, E>>
  ): Promise<Array<AckReply<Last<EventParams<ServerSideEvents, E>>>>> {
    return this.sockets.serverSideEmitWithAck(event, ...args);
  }

  /** Broadcasts to the main namespace and resolves with every client's acknowledgement. */
  emitWithAck<E extends keyof EmitEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<EmitEvents, E>>
  ): Promise<Array<AckReply<Last<EventParams<EmitEvents, E>>>>> {
    return this.sockets.emitWithAck(event, ...args);
  }

  /** Targets a room of the main namespace. */
  to(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.to(room);
  }

  /** Alias of {@link MockSocketServer.to}. */
  in(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.in(room);
  }

  /** Every main-namespace socket except those in a room. */
  except(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.except(room);
  }

  /** Waits at most `ms` for every client's acknowledgement of the next broadcast. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.timeout(ms);
  }

  /** The main namespace's sockets. */
  fetchSockets(): Promise<
    Array<MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>
  > {
    return this.sockets.fetchSockets();
  }

  /** The ids of the main namespace's sockets, as socket.io's (deprecated) `allSockets()`. */
  allSockets(): Promise<Set<string>> {
    return this.sockets.allSockets();
  }

  /** Disconnects every main-namespace socket. */
  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

  /** Makes every main-namespace socket join rooms. */
  socketsJoin(room: string | string[]): void {
    this.sockets.socketsJoin(room);
  }

  /** Makes every main-namespace socket leave rooms. */
  socketsLeave(room: string | string[]): void {
    this.sockets.socketsLeave(room);
  }

  /** The next broadcast to the main namespace may be dropped for clients that cannot take it at once. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.volatile;
  }

  /** Whether the next broadcast may be compressed (accepted for socket.io's API). */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.compress(compress);
  }

  /** The main namespace's sockets on this server: all of them (the mock is a single server). */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.sockets.local;
  }

  /**
   * Resolves with the server side of the next client to connect to `nsp` (default "/"): the
   * earliest socket no earlier call returned, even if it connected before this call.
   * Rejects after `timeout` ms (default 5000) with a message that says what to check.
   *
   * @example
   * render(<Chat />);
   * const socket = await server.waitForConnection();
   * socket.emit("message", "hi");
   */
  waitForConnection(
    options: WaitForConnectionOptions = {},
  ): Promise<MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
    const nsp = normalizeNamespace(options.nsp ?? "/");
    const timeout = options.timeout ?? 5000;
    const socket = this.connectionQueue.next(
      nsp,
      timeout,
      () =>
        new Error(
          `Wireline mockSocketServer: no client connected to namespace "${nsp}" at ${this.options.httpUrl} within ${timeout} ms. Check that server.handlers are registered with setupWorker/setupServer before the app connects, that the app's URL matches, and that no middleware refused it.`,
        ),
    );
    // Typed for the test; the queue stores sockets untyped.
    return socket as Promise<never>;
  }

  /**
   * Resolves once a client has emitted `event` with exactly `args` (compared by value, binary
   * by bytes), whether before or after this call; rejects after `assertionTimeout` ms (default
   * 2000) with a message listing what arrived.
   *
   * @example await server.expectEmitted("message", { text: "hi" });
   */
  expectEmitted(event: keyof ListenEvents & string, ...args: unknown[]): Promise<ReceivedEvent> {
    return this.receivedLog.expect(event, args, this.options.assertionTimeout);
  }

  /** Records an event a client emitted (called for each incoming EVENT). */
  record(entry: ReceivedEvent): void {
    this.receivedLog.record(entry);
  }

  /** Drops every client's connection without a goodbye, as a network failure would. */
  dropConnection(): void {
    for (const connection of [...this.connections.values()]) connection.dropConnection();
  }

  /** Stops pinging every connected client: they give up after `pingInterval + pingTimeout`. */
  stopPinging(): void {
    for (const connection of this.connections.values()) connection.stopPinging();
  }

  /** Sends one raw Engine.IO frame (e.g. a malformed packet) to every connected client. */
  sendRaw(frame: string): void {
    for (const connection of this.connections.values()) connection.sendRaw(frame);
  }

  /**
   * Ends every connection for good: the server's sockets get "server shutting down", as with
   * socket.io's `close()`; clients get "io server disconnect" and do not reconnect (socket.io's
   * would retry a server that is gone; this mock would still answer). Listeners and
   * namespaces stay. `done` is called once all is closed, as socket.io's callback; the
   * promise resolves then too.
   */
  close(done?: (error?: Error) => void): Promise<void> {
    for (const connection of [...this.connections.values()])
      connection.disconnect("server shutting down");
    // Polling transports stay until their client's last GET has taken what was written last
    // (the DISCONNECTs and the close packet); then they retire.
    done?.();
    return Promise.resolve();
  }

  /**
   * Ends every connection and forgets everything a test set up: namespaces (and the sessions
   * kept for a recovery), listeners, middlewares, received events, unclaimed connections and a
   * `connectTimeout(ms)`; a `waitForConnection()` still waiting rejects. Call it in `afterEach`.
   */
  reset(): void {
    void this.close();
    this.engine.reset();
    this.namespaces.clear();
    this.dynamicNamespaces.clear();
    this.connectionQueue.clear(
      () =>
        new Error(
          "Wireline mockSocketServer: server.reset() was called while this waitForConnection() waited; call it in the test that connects the client",
        ),
    );
    this.receivedLog.clear();
    this.#connectTimeout = this.options.connectTimeout;
    this.of("/");
  }
}

/**
 * Mocks the Socket.IO server at `url` (its origin, e.g. "http://localhost:3000") for
 * `@wireline/sdk` and `socket.io-client` alike, over WebSocket and HTTP long-polling.
 * Defaults follow socket.io: `path` "/socket.io/", `pingInterval` 25000, `pingTimeout` 20000,
 * `maxPayload` 1e6, both transports, upgrades allowed, `connectTimeout` 45000, no
 * `connectionStateRecovery` and no `allowRequest`; `assertionTimeout` 2000.
 * The type arguments are socket.io's `Server<ListenEvents, EmitEvents, ServerSideEvents,
 * SocketData>`'s (see {@link MockSocketServer}); all default to untyped (`SocketData` to `any`).
 *
 * @example
 * const server = mockSocketServer("http://localhost:3000");
 * const worker = setupWorker(...server.handlers);
 * await worker.start();
 * server.on("connection", (socket) => socket.on("ping", (ack) => ack("pong")));
 */
export function mockSocketServer<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
>(
  url: string,
  options: MockSocketServerOptions = {},
): MockSocketServer<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  return new MockSocketServer(url, options);
}
