import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { type Packet, PacketType } from "@wireline/sdk/protocol";
import {
  AwaitedAcks,
  ackReplier,
  type CatchAllListener,
  checkAckTimeout,
  checkEventName,
  type PacketMiddleware,
  reportSocketError,
  runPacketMiddlewares,
  SocketCatchAll,
  SocketRooms,
  serverEvent,
} from "@wireline/sdk/server-core";
import { type BroadcastFlags, BroadcastOperator } from "./broadcast-operator.ts";
import type { EngineSocket } from "./engine/engine-socket.ts";
import type { Namespace } from "./namespace.ts";

/** What a server socket knows about the request that opened it, as socket.io's `socket.handshake`. */
export interface Handshake {
  headers: IncomingMessage["headers"];
  time: string;
  address: string;
  xdomain: boolean;
  secure: boolean;
  issued: number;
  url: string;
  query: Record<string, string>;
  auth: Record<string, unknown>;
}

type Ack = (...args: unknown[]) => void;

/**
 * A per-socket middleware, as socket.io's `socket.use`: sees every incoming event as
 * `[event, ...args]` (the ack last, if any) and calls `next()` to go on or `next(error)` to stop.
 */
export type SocketMiddleware = PacketMiddleware;

/** One client's connection to one namespace, with socket.io's server `Socket` API subset. */
export class ServerSocket extends EventEmitter {
  readonly id: string;
  readonly nsp: Namespace;
  readonly handshake: Handshake;
  /** Free-form data an app may attach, as socket.io's `socket.data`. */
  data: Record<string, unknown> = {};
  /** False while the namespace's middlewares run, as in socket.io. */
  connected = false;
  recovered = false;
  /** Private session id for connection state recovery, when enabled. */
  pid: string | undefined;
  readonly conn: EngineSocket;
  /** The HTTP request that opened the connection (the handshake's), as socket.io's `socket.request`. */
  readonly request: IncomingMessage;
  /** Callbacks waiting for the client's ACK, by packet id (ids are unique per namespace). */
  readonly acks = new AwaitedAcks();
  readonly #catchAll = new SocketCatchAll();
  readonly #rooms: SocketRooms;
  private flags: BroadcastFlags = {};
  private readonly middlewares: SocketMiddleware[] = [];

  constructor(
    nsp: Namespace,
    conn: EngineSocket,
    id: string,
    handshake: Handshake,
    request: IncomingMessage,
  ) {
    super();
    this.nsp = nsp;
    this.conn = conn;
    this.id = id;
    this.handshake = handshake;
    this.request = request;
    this.#rooms = new SocketRooms(nsp.adapter, id);
  }

  /** The rooms this socket is in, its own id among them. */
  get rooms(): Set<string> {
    return this.#rooms.current;
  }

  /** Whether the socket is disconnected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** Sends an event to this client; a function as last argument receives its acknowledgement. */
  override emit(event: string, ...args: unknown[]): boolean {
    const flags = this.flags;
    this.flags = {};
    checkEventName(event);
    const server = this.nsp.server;
    const recovery = server.recovery;
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (args.pop() as Ack) : undefined;
    const ackId = ack ? this.nsp.nextAckId() : undefined;
    // Encoded first, even for a socket that is gone.
    const { data, frames, log } = serverEvent(
      this.nsp.name,
      [event, ...args],
      { ackId, volatile: flags.volatile, recovery },
      (packet) => server.encode(packet),
    );
    if (ack) this.acks.add(ackId as number, ack, flags.timeout);
    log([this.id], []);
    // With recovery, socket.io sends through its adapter, which reaches connected sockets only:
    // an emit from a middleware (or after the disconnect) is logged, not sent nor announced.
    if (recovery && !this.connected) return true;
    this.notifyOutgoing(data);
    server.sendFrames(this.conn, frames, flags);
    return true;
  }

  /** Tells the `onAnyOutgoing` listeners about an event sent to this socket (`[event, ...args]`). */
  notifyOutgoing(data: unknown[]): void {
    if (this.#catchAll.outgoing.size === 0) return;
    const [event, ...args] = data as [string, ...unknown[]];
    this.#catchAll.outgoing.dispatch(undefined, event, args);
  }

  /** Emits and resolves with the client's acknowledgement. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown> {
    const withTimeout = this.flags.timeout !== undefined;
    return new Promise((resolve, reject) => {
      this.emit(event, ...args, (...reply: unknown[]) => {
        if (withTimeout) reply[0] ? reject(reply[0]) : resolve(reply[1]);
        else resolve(reply[0]);
      });
    });
  }

  /** Sets an acknowledgement timeout for the next emit. */
  timeout(ms: number): this {
    try {
      this.flags.timeout = checkAckTimeout(ms);
    } catch (error) {
      // As the SDK client: a refused timeout leaves no flag to the next emit.
      this.flags = {};
      throw error;
    }
    return this;
  }

  /** The next emit may be lost. */
  get volatile(): this {
    this.flags.volatile = true;
    return this;
  }

  /** Whether the next emit may be compressed. */
  compress(compress: boolean): this {
    this.flags.compress = compress;
    return this;
  }

  /** Sends a `message` event. */
  send(...args: unknown[]): this {
    this.emit("message", ...args);
    return this;
  }

  /** Alias of `send`, as in socket.io. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /** Joins one or more rooms. Does nothing once the socket is gone, as in socket.io. */
  join(rooms: string | string[]): void {
    this.#rooms.join(rooms);
  }

  /** Leaves a room. */
  leave(room: string): void {
    this.#rooms.leave(room);
  }

  /** Targets a room, excluding this socket. */
  to(room: string | string[]): BroadcastOperator {
    return this.broadcast.to(room);
  }

  /** Alias of {@link ServerSocket.to}. */
  in(room: string | string[]): BroadcastOperator {
    return this.to(room);
  }

  /** Every other socket of the namespace, except some rooms. */
  except(room: string | string[]): BroadcastOperator {
    return this.broadcast.except(room);
  }

  /**
   * Every other socket of the namespace. The broadcast takes the flags set on this socket
   * (`socket.timeout(ms).to(room)`), which the socket's own next emit then no longer has.
   */
  get broadcast(): BroadcastOperator {
    const flags = this.flags;
    this.flags = {};
    return new BroadcastOperator(this.nsp, undefined, new Set([this.id]), flags);
  }

  /** socket.io's `socket.local`: every other socket on this server, which is {@link broadcast} here (one server). */
  get local(): BroadcastOperator {
    return this.broadcast;
  }

  /** Disconnects from the namespace; with `close`, closes the whole connection. */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      // Every namespace of this connection ends, then the connection itself.
      for (const socket of this.nsp.server.socketsOf(this.conn)) socket.disconnect();
      this.conn.close();
      return this;
    }
    this.nsp.server.sendPacket(this.conn, { type: PacketType.DISCONNECT, nsp: this.nsp.name });
    this.onClose("server namespace disconnect");
    return this;
  }

  /** Listens to every incoming event. */
  onAny(listener: CatchAllListener): this {
    this.#catchAll.incoming.add(listener);
    return this;
  }

  /** Listens to every incoming event, before the other catch-all listeners. */
  prependAny(listener: CatchAllListener): this {
    this.#catchAll.incoming.prepend(listener);
    return this;
  }

  /** Removes one catch-all listener, or all of them. */
  offAny(listener?: CatchAllListener): this {
    this.#catchAll.incoming.remove(listener);
    return this;
  }

  /** The catch-all listeners, in call order. */
  listenersAny(): CatchAllListener[] {
    return this.#catchAll.incoming.list();
  }

  /** Listens to every event sent to this client (its own emits and broadcasts that reach it). */
  onAnyOutgoing(listener: CatchAllListener): this {
    this.#catchAll.outgoing.add(listener);
    return this;
  }

  /** As `onAnyOutgoing`, before the other outgoing listeners. */
  prependAnyOutgoing(listener: CatchAllListener): this {
    this.#catchAll.outgoing.prepend(listener);
    return this;
  }

  /** Removes one outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: CatchAllListener): this {
    this.#catchAll.outgoing.remove(listener);
    return this;
  }

  /** The outgoing catch-all listeners, in call order. */
  listenersAnyOutgoing(): CatchAllListener[] {
    return this.#catchAll.outgoing.list();
  }

  /**
   * Runs `middleware` on every incoming event before any listener, in the order added. An error
   * passed to `next` drops the event and is emitted as the socket's `error` event.
   *
   * @example socket.use(([event], next) => next(event === "admin" ? new Error("denied") : undefined));
   */
  use(middleware: SocketMiddleware): this {
    this.middlewares.push(middleware);
    return this;
  }

  /** Handles a packet the client sent to this namespace. */
  onPacket(packet: Packet): void {
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT: {
        const args = (packet.data as unknown[]).slice();
        const id = packet.id;
        if (id !== undefined) {
          args.push(
            ackReplier((reply) =>
              this.nsp.server.sendPacket(this.conn, {
                type: PacketType.ACK,
                nsp: this.nsp.name,
                id,
                data: reply,
              }),
            ),
          );
        }
        // As socket.io: catch-all listeners hear every event, before the middlewares may refuse
        // or change it.
        const [event, ...rest] = args as [string, ...unknown[]];
        this.#catchAll.incoming.dispatch(undefined, event, rest);
        runPacketMiddlewares(this.middlewares, args, {
          connected: () => this.connected,
          pass: (passed) => this.dispatch(passed),
          refuse: (error) => this.reportError(error),
        });
        break;
      }
      case PacketType.ACK:
      case PacketType.BINARY_ACK: {
        if (packet.id !== undefined) this.acks.reply(packet.id, (packet.data as unknown[]) ?? []);
        break;
      }
      case PacketType.DISCONNECT:
        this.onClose("client namespace disconnect");
        break;
      default:
        break;
    }
  }

  /**
   * Ends this socket: `disconnecting` then `disconnect`, with socket.io's reason strings and,
   * after a "transport error", the error as second argument.
   */
  onClose(reason: string, description?: Error): void {
    if (!this.connected) return;
    // A `disconnecting` listener that throws must not leave the socket connected for good.
    try {
      super.emit("disconnecting", reason, description);
    } finally {
      this.connected = false;
      this.nsp.server.recovery?.persist(this, reason);
      this.leaveForGood();
      // As in socket.io: an ack with a timeout still fails with "operation has timed out" when
      // its timer fires; one without a timeout can never be answered now, so it is forgotten.
      this.acks.forgetUntimed();
      super.emit("disconnect", reason, description);
    }
  }

  /**
   * Leaves every room and the namespace for good: at disconnect, or when the namespace refused
   * the socket or its client left before it was let in. Later joins do nothing.
   */
  leaveForGood(): void {
    this.#rooms.leaveForGood();
    this.nsp.remove(this);
  }

  /**
   * As socket.io: listeners run on the next tick, and only if the socket is still connected,
   * so an event the client sent just before its disconnect is dropped. A client's event named
   * `error` reaches the `error` listeners, if any: Node's emitter would throw it without.
   */
  private dispatch(args: unknown[]): void {
    const [event, ...rest] = args as [string, ...unknown[]];
    process.nextTick(() => {
      if (!this.connected || (event === "error" && this.listenerCount("error") === 0)) return;
      super.emit(event, ...rest);
    });
  }

  /**
   * An error of this socket (a refused event, an undecodable packet): the `error` listeners hear
   * it; without any, it is logged, never thrown.
   */
  reportError(error: Error): void {
    reportSocketError(this, error, (reported) => super.emit("error", reported), "mock server");
  }
}
