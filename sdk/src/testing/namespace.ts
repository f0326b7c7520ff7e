import { Emitter } from "../emitter.ts";
import { BroadcastOperator } from "./broadcast-operator.ts";
import type { MockSocketServer } from "./mock-socket-server.ts";
import type { MockServerSocket } from "./server-socket.ts";

/** A refusal a middleware passes to `next`: the client's `connect_error` gets its message and `data`. */
export type MiddlewareError = Error & { data?: unknown };

/**
 * A middleware: call `next()` to accept the connection, `next(error)` to refuse it with a
 * CONNECT_ERROR (the client's `connect_error` receives `error.message` and `error.data`).
 */
export type MockMiddleware = (
  socket: MockServerSocket,
  next: (error?: MiddlewareError) => void,
) => void;

/** Listener signatures of a namespace. */
export interface MockNamespaceEvents {
  connection: (socket: MockServerSocket) => void;
  connect: (socket: MockServerSocket) => void;
}

/** One namespace of the mock: its sockets, rooms and middlewares, with socket.io's `Namespace` API subset. */
export class MockNamespace extends Emitter<MockNamespaceEvents> {
  /** Connected sockets by id. */
  readonly sockets = new Map<string, MockServerSocket>();
  /** Room members by room name. */
  readonly rooms = new Map<string, Set<MockServerSocket>>();
  readonly middlewares: MockMiddleware[] = [];
  /** Ack ids are unique per namespace, so one id serves a whole broadcast. */
  private ackIds = 0;

  constructor(
    readonly server: MockSocketServer,
    readonly name: string,
  ) {
    super();
  }

  /** Adds a middleware run for every socket connecting to this namespace. */
  use(middleware: MockMiddleware): this {
    if (typeof middleware !== "function") {
      throw new TypeError("Wireline mockSocketServer: use() takes a function (socket, next) => …");
    }
    this.middlewares.push(middleware);
    return this;
  }

  /** Targets a room. */
  to(room: string | string[]): BroadcastOperator {
    return new BroadcastOperator(this).to(room);
  }

  /** Alias of {@link MockNamespace.to}. */
  in(room: string | string[]): BroadcastOperator {
    return this.to(room);
  }

  /** Every socket except those in a room. */
  except(room: string | string[]): BroadcastOperator {
    return new BroadcastOperator(this).except(room);
  }

  /** Waits at most `ms` for every client's acknowledgement of the next broadcast. */
  timeout(ms: number): BroadcastOperator {
    return new BroadcastOperator(this).timeout(ms);
  }

  /** Sends an event to every socket of the namespace (a function last collects their acks). */
  emit(event: string, ...args: unknown[]): boolean {
    return new BroadcastOperator(this).emit(event, ...args);
  }

  /** Broadcasts and resolves with every client's acknowledgement. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return new BroadcastOperator(this).emitWithAck(event, ...args);
  }

  /** The namespace's sockets. */
  fetchSockets(): Promise<MockServerSocket[]> {
    return new BroadcastOperator(this).fetchSockets();
  }

  /** Disconnects every socket of the namespace. */
  disconnectSockets(close = false): void {
    new BroadcastOperator(this).disconnectSockets(close);
  }

  /** A fresh acknowledgement id. */
  nextAckId(): number {
    return this.ackIds++;
  }

  /** Runs the middlewares in order; resolves with the first refusal, if any. */
  runMiddlewares(socket: MockServerSocket): Promise<MiddlewareError | undefined> {
    return new Promise((resolve) => {
      const step = (index: number) => {
        const middleware = this.middlewares[index];
        if (!middleware) return resolve(undefined);
        let called = false;
        const next = (error?: MiddlewareError) => {
          if (called) return;
          called = true;
          if (error) resolve(error);
          else step(index + 1);
        };
        try {
          middleware(socket, next);
        } catch (error) {
          // A middleware that throws refuses the socket, as in socket.io.
          next(error instanceof Error ? error : new Error(String(error)));
        }
      };
      step(0);
    });
  }

  /** Registers a connected socket and announces it. */
  add(socket: MockServerSocket): void {
    this.sockets.set(socket.id, socket);
    this.addToRoom(socket.id, socket);
    this.emitEvent("connection", socket);
    this.emitEvent("connect", socket);
  }

  /** Forgets a disconnected socket. */
  remove(socket: MockServerSocket): void {
    this.sockets.delete(socket.id);
  }

  /** Puts a socket in a room. */
  addToRoom(room: string, socket: MockServerSocket): void {
    let members = this.rooms.get(room);
    if (!members) {
      members = new Set();
      this.rooms.set(room, members);
    }
    members.add(socket);
  }

  /** Takes a socket out of a room; an empty room ceases to exist. */
  removeFromRoom(room: string, socket: MockServerSocket): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(socket);
    if (members.size === 0) this.rooms.delete(room);
  }
}
