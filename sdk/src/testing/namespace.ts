import { Emitter, type EventsMap } from "../emitter.ts";
import type { ConnectionRecovery } from "../server-core/connection-recovery.ts";
import { adoptChild } from "../server-core/dynamic-namespaces.ts";
import {
  type Middleware,
  type MiddlewareError,
  runMiddlewares,
} from "../server-core/middleware-chain.ts";
import { RoomAdapter } from "../server-core/room-adapter.ts";
import type { AckReply, AllButLast, EventParams, Last } from "../types.ts";
import { BroadcastOperator, type BroadcastParams } from "./broadcast-operator.ts";
import type { MockSocketServer } from "./mock-socket-server.ts";
import type { MockServerSocket } from "./server-socket.ts";

export type { MiddlewareError };

/**
 * A middleware: call `next()` to accept the connection, `next(error)` to refuse it with a
 * CONNECT_ERROR (the client's `connect_error` receives `error.message` and `error.data`).
 * Its socket is typed as the server's (see {@link MockServerSocket}); untyped by default.
 */
export type MockMiddleware<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> = Middleware<MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>;

/**
 * Listener signatures of a namespace's reserved events, typed as the server (untyped by
 * default), as socket.io's `NamespaceReservedEventsMap` and `ServerReservedEventsMap`.
 */
export interface MockNamespaceEvents<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> {
  connection: (
    socket: MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ) => void;
  connect: (
    socket: MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ) => void;
  /** On the main namespace: another namespace was created (by `of(name)` or for a dynamic parent). */
  new_namespace: (
    namespace: MockNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  ) => void;
}

/**
 * The listeners of a typed `ServerSideEvents` map, less the names a namespace reserves; none
 * for an untyped one (an index signature), so that untyped namespaces listen to their reserved
 * events only, as before.
 */
type ServerSideListeners<ServerSideEvents extends EventsMap> = {
  [K in keyof ServerSideEvents as K extends string
    ? string extends K
      ? never
      : K extends keyof MockNamespaceEvents
        ? never
        : K
    : never]: ServerSideEvents[K];
};

/**
 * What a namespace's `on` listens to: its reserved events ({@link MockNamespaceEvents}) and,
 * when `ServerSideEvents` is typed, those events, which socket.io delivers when another server
 * of a cluster calls `serverSideEmit` (never in the mock, a single server: see
 * {@link MockNamespace.serverSideEmit}). Untyped by default: then the reserved events only.
 */
export type MockNamespaceListeners<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> = MockNamespaceEvents<ListenEvents, EmitEvents, ServerSideEvents, SocketData> &
  ServerSideListeners<ServerSideEvents>;

/** Event names `serverSideEmit` refuses, as socket.io's namespaces do. */
const SERVER_SIDE_RESERVED = new Set(["connect", "connection", "new_namespace"]);

/**
 * One namespace of the mock: its sockets, rooms and middlewares, with socket.io's `Namespace`
 * API subset. Typed as socket.io's `Namespace<ListenEvents, EmitEvents, ServerSideEvents,
 * SocketData>`: `ListenEvents`/`EmitEvents` type its sockets' events, `ServerSideEvents` what
 * `serverSideEmit` sends and `on` listens to besides the reserved events, `SocketData` its
 * sockets' `data`. All default to untyped (`SocketData` to `any`).
 */
export class MockNamespace<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> extends Emitter<MockNamespaceListeners<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> {
  /** Connected sockets by id. */
  readonly sockets = new Map<
    string,
    MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  /** Its rooms, with socket.io's adapter API: live `rooms` and `sids`, and room events. */
  readonly adapter = new RoomAdapter();
  readonly middlewares: MockMiddleware[] = [];
  /** For a dynamic parent (`server.of(/regex/)`): the namespaces it made; its broadcasts reach them. */
  readonly children = new Set<MockNamespace>();
  /** Ack ids are unique per namespace, so one id serves a whole broadcast. */
  private ackIds = 0;

  constructor(
    readonly server: MockSocketServer,
    readonly name: string,
    /** Made by `server.of(/regex/)` or `server.of(fn)`: it matches namespaces, it has no sockets. */
    readonly isParent = false,
    /** Hands each new socket to the server's `waitForConnection`, apart from the test's listeners. */
    private readonly announce: (socket: MockServerSocket) => void = () => {},
    /**
     * Connection state recovery, when the server has it on: per namespace, as socket.io's
     * session-aware adapter.
     */
    readonly recovery?: ConnectionRecovery,
  ) {
    super();
  }

  /**
   * A namespace this dynamic parent matched: its middlewares and connection listeners so far.
   * (The server adopts through server-core's DynamicNamespaces; kept as part of this type's API.)
   */
  adopt(child: MockNamespace): void {
    adoptChild<MockNamespace>(this as MockNamespace, child);
  }

  /** Adds a middleware run for every socket connecting to this namespace. */
  use(middleware: MockMiddleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    if (typeof middleware !== "function") {
      throw new TypeError("Wireline mockSocketServer: use() takes a function (socket, next) => …");
    }
    this.middlewares.push(middleware as unknown as MockMiddleware);
    return this;
  }

  /** Targets a room. */
  to(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.#all().to(room);
  }

  /** Alias of {@link MockNamespace.to}. */
  in(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Every socket except those in a room. */
  except(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.#all().except(room);
  }

  /** Waits at most `ms` for every client's acknowledgement of the next broadcast. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.#all().timeout(ms);
  }

  /** Sends an event to every socket of the namespace (a function last collects their acks). */
  emit<E extends keyof EmitEvents & string>(
    event: E,
    ...args: BroadcastParams<EmitEvents, E>
  ): boolean {
    return this.#all().emit(event, ...args);
  }

  /** Sends a `message` event to every socket of the namespace. */
  send(...args: unknown[]): this {
    (this.#all() as BroadcastOperator).emit("message", ...args);
    return this;
  }

  /** Alias of {@link MockNamespace.send}. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /**
   * socket.io's message to the other servers of a cluster, typed by `ServerSideEvents` (an ack
   * last gets `(error | null, responses)`). The mock is one server with socket.io's default
   * in-memory adapter, which has none: as socket.io, it warns and does nothing (this server's
   * listeners are not called, an ack never is). Throws for "connect", "connection" and
   * "new_namespace".
   */
  serverSideEmit<E extends keyof ServerSideEvents & string>(
    event: E,
    ..._args: BroadcastParams<ServerSideEvents, E>
  ): boolean {
    if (SERVER_SIDE_RESERVED.has(event)) {
      throw new Error(
        `Wireline: "${event}" is a reserved event name; give your event another name.`,
      );
    }
    console.warn(
      "Wireline mockSocketServer: this adapter does not support the serverSideEmit() functionality (as socket.io's default in-memory adapter: the mock is a single server, so nothing is sent and no listener is called)",
    );
    return true;
  }

  /**
   * As socket.io's with its default adapter: warns, and the promise never settles. Typed by
   * `ServerSideEvents`: it would resolve with every other server's acknowledgement.
   */
  serverSideEmitWithAck<E extends keyof ServerSideEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<ServerSideEvents, E>>
  ): Promise<Array<AckReply<Last<EventParams<ServerSideEvents, E>>>>> {
    return new Promise((resolve, reject) => {
      // The ack socket.io passes its adapter, which never calls it: kept for the same shape.
      const ack = (error: Error | null, responses: unknown[]) =>
        error ? reject(Object.assign(error, { responses })) : resolve(responses as never);
      (this as MockNamespace).serverSideEmit(event, ...(args as unknown[]), ack);
    });
  }

  /** Broadcasts and resolves with every client's acknowledgement. */
  emitWithAck<E extends keyof EmitEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<EmitEvents, E>>
  ): Promise<Array<AckReply<Last<EventParams<EmitEvents, E>>>>> {
    return this.#all().emitWithAck(event, ...args);
  }

  /** The namespace's sockets. A dynamic parent throws, as in socket.io: ask its children. */
  fetchSockets(): Promise<
    Array<MockServerSocket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>
  > {
    if (this.isParent) throw new Error("fetchSockets() is not supported on parent namespaces");
    return this.#all().fetchSockets() as never;
  }

  /** The ids of the namespace's sockets, as socket.io's (deprecated) `allSockets()`. */
  allSockets(): Promise<Set<string>> {
    return this.#all().allSockets();
  }

  /** Disconnects every socket of the namespace. */
  disconnectSockets(close = false): void {
    this.#all().disconnectSockets(close);
  }

  /** Makes every socket of the namespace join rooms. */
  socketsJoin(room: string | string[]): void {
    this.#all().socketsJoin(room);
  }

  /** Makes every socket of the namespace leave rooms. */
  socketsLeave(room: string | string[]): void {
    this.#all().socketsLeave(room);
  }

  /** The next broadcast may be dropped for clients whose transport cannot write it at once. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#all().volatile;
  }

  /** Whether the next broadcast may be compressed (accepted for socket.io's API). */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.#all().compress(compress);
  }

  /** Every socket of this server: the mock is a single server, as socket.io's `local`. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#all();
  }

  /** Every socket of the namespace, as a broadcast target. */
  #all(): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this);
  }

  /** A fresh acknowledgement id. */
  nextAckId(): number {
    return this.ackIds++;
  }

  /** Runs the middlewares in order; resolves with the first refusal, if any. */
  runMiddlewares(socket: MockServerSocket): Promise<MiddlewareError | undefined> {
    return runMiddlewares(this.middlewares, socket);
  }

  /** Registers a connected socket and announces it. */
  add(socket: MockServerSocket): void {
    // The server makes sockets untyped; the namespace stores and announces them as typed.
    const untyped = this as MockNamespace;
    untyped.sockets.set(socket.id, socket);
    socket.connected = true;
    socket.join(socket.id);
    this.announce(socket);
    // In socket.io's order: `connect`, then `connection`.
    untyped.emitEvent("connect", socket);
    untyped.emitEvent("connection", socket);
  }

  /** Forgets a disconnected socket. */
  remove(socket: MockServerSocket): void {
    // A socket refused in the middlewares never was in the map.
    if (this.sockets.get(socket.id) === socket) this.sockets.delete(socket.id);
  }
}
