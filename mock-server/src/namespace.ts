import { EventEmitter } from "node:events";
import {
  type Middleware as CoreMiddleware,
  callListener,
  checkEventName,
  type MiddlewareError,
  RoomAdapter,
  runMiddlewares,
} from "@wireline/sdk/server-core";
import { BroadcastOperator } from "./broadcast-operator.ts";
import type { Server } from "./server.ts";
import type { ServerSocket } from "./server-socket.ts";

/** A middleware: call `next()` to accept, `next(error)` to refuse with CONNECT_ERROR. */
export type Middleware = CoreMiddleware<ServerSocket>;

/** One namespace: its sockets, rooms and middlewares, with socket.io's `Namespace` API subset. */
export class Namespace extends EventEmitter {
  readonly sockets = new Map<string, ServerSocket>();
  /** Its rooms, with socket.io's adapter API for scripts: `rooms`, `sids` and room events. */
  readonly adapter = new RoomAdapter();
  readonly middlewares: Middleware[] = [];
  /** For a dynamic parent (`io.of(/regex/)`): the namespaces it made; its broadcasts reach them. */
  readonly children = new Set<Namespace>();
  /** Ack ids are unique per namespace, so one id can serve a whole broadcast. */
  private ackIds = 0;

  constructor(
    readonly server: Server,
    readonly name: string,
    /** Made by `io.of(/regex/)` or `io.of(fn)`: it matches namespaces, it has no sockets. */
    readonly isParent = false,
  ) {
    super();
  }

  /** Adds a middleware run for every socket connecting to this namespace. */
  use(middleware: Middleware): this {
    this.middlewares.push(middleware);
    return this;
  }

  /** Targets a room. */
  to(room: string | string[]): BroadcastOperator {
    return new BroadcastOperator(this).to(room);
  }

  /** Alias of {@link Namespace.to}. */
  in(room: string | string[]): BroadcastOperator {
    return this.to(room);
  }

  /** Every socket except those in a room. */
  except(room: string | string[]): BroadcastOperator {
    return new BroadcastOperator(this).except(room);
  }

  /** Sends an event to every socket of the namespace. */
  override emit(event: string, ...args: unknown[]): boolean {
    return new BroadcastOperator(this).emit(event, ...args);
  }

  /** The next broadcast may be lost. */
  get volatile(): BroadcastOperator {
    return new BroadcastOperator(this).volatile;
  }

  /** Whether the next broadcast may be compressed. */
  compress(compress: boolean): BroadcastOperator {
    return new BroadcastOperator(this).compress(compress);
  }

  /** Waits at most `ms` for every client's acknowledgement of the next broadcast. */
  timeout(ms: number): BroadcastOperator {
    return new BroadcastOperator(this).timeout(ms);
  }

  /** This server only (the only one here). */
  get local(): BroadcastOperator {
    return new BroadcastOperator(this);
  }

  /** Broadcasts and resolves with every client's acknowledgement. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return new BroadcastOperator(this).emitWithAck(event, ...args);
  }

  /**
   * socket.io's message to the other servers of a cluster. This server is alone, so nobody
   * hears it; an ack callback (last argument) gets `(null, [])` at once, where socket.io's
   * single-server adapter only warns and never calls it.
   */
  serverSideEmit(event: string, ...args: unknown[]): boolean {
    checkEventName(event);
    const ack = args[args.length - 1];
    if (typeof ack === "function") queueMicrotask(() => ack(null, []));
    return true;
  }

  /** Like {@link Namespace.serverSideEmit}, resolving with the other servers' replies: none. */
  serverSideEmitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return new Promise((resolve, reject) =>
      this.serverSideEmit(event, ...args, (error: Error | null, replies: unknown[]) =>
        error ? reject(error) : resolve(replies),
      ),
    );
  }

  /** Sends a `message` event to every socket. */
  send(...args: unknown[]): this {
    this.emit("message", ...args);
    return this;
  }

  /** Alias of `send`, as in socket.io. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /** A fresh acknowledgement id. */
  nextAckId(): number {
    return this.ackIds++;
  }

  /** The namespace's sockets. A dynamic parent throws, as in socket.io: ask its children. */
  fetchSockets(): Promise<ServerSocket[]> {
    if (this.isParent) throw new Error("fetchSockets() is not supported on parent namespaces");
    return new BroadcastOperator(this).fetchSockets();
  }

  /** The ids of the namespace's sockets, as socket.io's (deprecated) `allSockets()`. */
  allSockets(): Promise<Set<string>> {
    return new BroadcastOperator(this).allSockets();
  }

  /** Makes every socket join rooms. */
  socketsJoin(room: string | string[]): void {
    new BroadcastOperator(this).socketsJoin(room);
  }

  /** Makes every socket leave a room. */
  socketsLeave(room: string | string[]): void {
    new BroadcastOperator(this).socketsLeave(room);
  }

  /** Disconnects every socket. */
  disconnectSockets(close = false): void {
    new BroadcastOperator(this).disconnectSockets(close);
  }

  /** Runs the middlewares in order; resolves with the first refusal, if any. */
  runMiddlewares(socket: ServerSocket): Promise<MiddlewareError | undefined> {
    return runMiddlewares(this.middlewares, socket);
  }

  /** Connects a socket its middlewares let in: it joins its own room, then `connection`. */
  add(socket: ServerSocket): void {
    this.sockets.set(socket.id, socket);
    socket.join(socket.id);
    socket.connected = true;
    // In socket.io's order: `connect`, then `connection`. Each listener on its own, as the
    // SDK's: one that throws is reported as uncaught and the next ones still run.
    for (const event of ["connect", "connection"]) {
      // Raw: a `once` listener's wrapper removes itself as it runs.
      for (const listener of this.rawListeners(event))
        callListener(listener as (socket: ServerSocket) => void, this, [socket]);
    }
  }

  remove(socket: ServerSocket): void {
    // A socket refused in the middlewares never was in the map, where one of its id may be.
    if (this.sockets.get(socket.id) === socket) this.sockets.delete(socket.id);
  }
}
