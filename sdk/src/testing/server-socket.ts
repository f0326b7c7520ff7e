import { Emitter, type EventsMap } from "../emitter.ts";
import { encodePacket } from "../protocol/encode.ts";
import { type BinaryData, type Packet, PacketType } from "../protocol/packet.ts";
import { checkEventName } from "../protocol/reserved-event-names.ts";
import { ackReplier } from "../server-core/ack-replier.ts";
import { checkAckTimeout } from "../server-core/ack-timeout.ts";
import { AwaitedAcks } from "../server-core/awaited-acks.ts";
import { type CatchAllListener, SocketCatchAll } from "../server-core/catch-all-listeners.ts";
import { type PacketMiddleware, runPacketMiddlewares } from "../server-core/packet-middlewares.ts";
import { serverEvent } from "../server-core/server-event.ts";
import { reportSocketError } from "../server-core/socket-error.ts";
import { SocketRooms } from "../server-core/socket-rooms.ts";
import type {
  AckReply,
  AllButLast,
  DecorateAcknowledgements,
  EventParams,
  Last,
} from "../types.ts";
import type { BroadcastFlags, BroadcastOperator } from "./broadcast-operator.ts";
import type { ClientConnection } from "./client-connection.ts";
import type { MockClient } from "./mock-client.ts";
import type { EngineRequest } from "./mock-engine.ts";
import type { MockNamespace } from "./namespace.ts";

/** What the server knows about the request that opened a socket, as socket.io's `socket.handshake`. */
export interface MockHandshake {
  /** The CONNECT packet's auth object (`io(url, { auth })`). */
  auth: Record<string, unknown>;
  /** The query string of the first request (`io(url, { query })`, plus `EIO` and `transport`). */
  query: Record<string, string>;
  /** Request headers the mock could see (polling requests; only `host` for a WebSocket). */
  headers: Record<string, string>;
  /** The first request's path and query, as socket.io's (`/socket.io/?EIO=4&…`). */
  url: string;
  /** When the socket connected, as `Date.toString()`. */
  time: string;
  /** When the socket connected, in ms since the epoch. */
  issued: number;
  /** The client's address: always the loopback "127.0.0.1", the mock having no network. */
  address: string;
  /** Whether the request was over https or wss. */
  secure: boolean;
  /** Whether the request came from another origin (it had an `origin` header). */
  xdomain: boolean;
}

type Ack = (...args: unknown[]) => void;

/** Events a server socket emits to its own listeners, as socket.io's. */
export interface MockServerSocketReservedEvents {
  /**
   * The socket is leaving: its rooms are still readable. Arguments as `disconnect`'s.
   */
  disconnecting: (reason: string, description?: Error) => void;
  /**
   * The socket left, with socket.io's reason, e.g. "client namespace disconnect", and a second
   * argument as socket.io's: for "transport error", engine.io's error (`type` "TransportError",
   * message such as "overlap from client"); `undefined` for every other reason.
   */
  disconnect: (reason: string, description?: Error) => void;
  /** A `use` middleware refused an event (the event is dropped). */
  error: (error: Error) => void;
}

/**
 * The server side of one mocked client in one namespace, with socket.io's server `Socket` API
 * subset: `on`/`emit`, acknowledgements both ways, rooms, broadcasts and `disconnect()`.
 * Typed as socket.io's `Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>`:
 * `ListenEvents` are the events the client emits, `EmitEvents` those the server sends,
 * `ServerSideEvents` those of its namespace's `serverSideEmit` (`socket.nsp`), `SocketData` the
 * type of `socket.data`. All default to untyped (`SocketData` to `any`).
 *
 * @example
 * server.on("connection", (socket) => {
 *   socket.on("save", (doc, ack) => ack({ ok: true }));
 *   socket.emit("welcome", socket.handshake.auth.user);
 * });
 */
export class MockServerSocket<
  ListenEvents extends EventsMap = EventsMap,
  EmitEvents extends EventsMap = EventsMap,
  ServerSideEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> extends Emitter<ListenEvents & MockServerSocketReservedEvents> {
  /** The socket id, as the client's `socket.id`. */
  readonly id: string;
  /**
   * Data the test may attach, as socket.io's `socket.data`: typed `SocketData` (`any` by
   * default), it starts as `{}`, as in socket.io, and `fetchSockets()` results carry it.
   */
  data: SocketData = {} as SocketData;
  /**
   * Whether this socket took back a session lost with its connection, as socket.io's (the
   * `connectionStateRecovery` option): its id, rooms and `data` are the old socket's, and the
   * events it missed were sent to the client. Always false without the option.
   */
  recovered = false;
  /** Whether the socket is connected: false while the namespace's middlewares run, as in socket.io. */
  connected = false;
  /** Callbacks waiting for the client's ACK, by packet id (ids are unique per namespace). */
  readonly acks = new AwaitedAcks();
  readonly #catchAll = new SocketCatchAll();
  readonly #rooms: SocketRooms;
  readonly #middlewares: PacketMiddleware[] = [];
  /** `timeout(ms)`, `volatile` and `compress(…)` for the next emit (or broadcast from this socket). */
  #flags: BroadcastFlags = {};

  constructor(
    /** Its namespace, typed as the socket. */
    readonly nsp: MockNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    /** The client's connection: its transport, and the controls a test uses to break it. */
    readonly conn: ClientConnection,
    id: string,
    readonly handshake: MockHandshake,
    /** The private session id a client presents to recover this socket; only with `connectionStateRecovery`. */
    readonly pid?: string,
  ) {
    super();
    this.id = id;
    this.#rooms = new SocketRooms(nsp.adapter, id);
  }

  /** Whether the socket is disconnected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** socket.io's `socket.client`: `conn` and `request`, shared by the connection's sockets. */
  get client(): MockClient {
    return this.conn.client;
  }

  /** The request that opened the connection, as socket.io's `socket.request`: `method`, `url`, `headers`. */
  get request(): EngineRequest {
    return this.conn.request;
  }

  /**
   * Sends an event to this client; a function as the last argument receives its acknowledgement
   * (after `timeout(ms)`, as `(error, ...reply)`). Throws for a reserved event name.
   */
  emit<E extends keyof EmitEvents & string>(
    event: E,
    ...input: EventParams<EmitEvents, E>
  ): boolean {
    const { timeout, volatile } = this.#takeFlags();
    // After the flags are taken: a refused emit leaves none to the next one.
    checkEventName(event);
    const args = input as unknown[];
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (last as Ack) : undefined;
    const payload = ack ? args.slice(0, -1) : args;
    const ackId = ack ? this.nsp.nextAckId() : undefined;
    const recovery = this.nsp.recovery;
    const { data, frames, log } = serverEvent(
      this.nsp.name,
      [event, ...payload],
      { ackId, volatile, recovery },
      encodePacket,
    );
    if (ack) this.acks.add(ackId as number, ack, timeout);
    if (!recovery) {
      this.sendEvent(data, frames, volatile);
      return true;
    }
    // As socket.io with recovery on: a broadcast to the room named by this socket's id, logged
    // with its offset (unless it has an ack or is volatile), and so sent only to a connected
    // socket of that id: none while this one is in the middlewares or gone.
    log([this.id], []);
    for (const target of this.nsp.to(this.id).sockets()) target.sendEvent(data, frames, volatile);
    return true;
  }

  /**
   * Sends an EVENT to this client, `frames` being `data` (`[event, ...args]`) encoded, telling the
   * `onAnyOutgoing` listeners; a volatile one is dropped while the transport cannot write at
   * once, as socket.io does (after telling them: socket.io's listeners hear it all the same).
   * Internal: for the mock's emits and broadcasts.
   */
  sendEvent(data: unknown[], frames: Array<string | BinaryData>, volatile = false): void {
    const [event, ...args] = data as [string, ...unknown[]];
    this.#catchAll.outgoing.dispatch(undefined, event, args);
    if (volatile && !this.conn.transport.writable) return;
    this.conn.sendFrames(frames);
  }

  #takeFlags(): BroadcastFlags {
    const flags = this.#flags;
    this.#flags = {};
    return flags;
  }

  /** Emits and resolves with the client's acknowledgement; after `timeout(ms)`, rejects when none comes. */
  emitWithAck<E extends keyof EmitEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<EmitEvents, E>>
  ): Promise<AckReply<Last<EventParams<EmitEvents, E>>>> {
    const withTimeout = this.#flags.timeout !== undefined;
    return new Promise((resolve, reject) => {
      this.#emitUntyped(event, ...(args as unknown[]), (...reply: unknown[]) => {
        if (!withTimeout) resolve(reply[0] as never);
        else if (reply[0]) reject(reply[0]);
        else resolve(reply[1] as never);
      });
    });
  }

  /** Sets an acknowledgement timeout (ms) for the next emit; its ack then gets an error (or null) first. */
  timeout(
    ms: number,
  ): MockServerSocket<
    ListenEvents,
    DecorateAcknowledgements<EmitEvents>,
    ServerSideEvents,
    SocketData
  > {
    try {
      this.#flags.timeout = checkAckTimeout(ms);
    } catch (error) {
      // As the client's: a refused timeout leaves no flag to the next emit.
      this.#flags = {};
      throw error;
    }
    return this as never;
  }

  /** The next emit may be dropped: it is when the transport cannot write it at once. */
  get volatile(): this {
    this.#flags.volatile = true;
    return this;
  }

  /** Whether the next emit may be compressed (accepted for socket.io's API; the mock sends as is). */
  compress(compress: boolean): this {
    this.#flags.compress = compress;
    return this;
  }

  /** Sends a `message` event. */
  send(...args: unknown[]): this {
    this.#emitUntyped("message", ...args);
    return this;
  }

  /** Alias of {@link MockServerSocket.send}. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  #emitUntyped(event: string, ...args: unknown[]): boolean {
    return (this as MockServerSocket).emit(event, ...args);
  }

  /** Rooms this socket is in (live); once connected, always the room named by its own id. */
  get rooms(): Set<string> {
    return this.#rooms.current;
  }

  /** Joins one or more rooms. Does nothing once the socket is gone, as in socket.io. */
  join(rooms: string | string[]): void {
    this.#rooms.join(rooms);
  }

  /** Leaves a room. */
  leave(room: string): void {
    this.#rooms.leave(room);
  }

  /** Targets a room, leaving this socket out. */
  to(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.broadcast.to(room);
  }

  /** Alias of {@link MockServerSocket.to}. */
  in(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Every other socket of the namespace, except those in some rooms. */
  except(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.broadcast.except(room);
  }

  /**
   * Every other socket of the namespace. The broadcast takes a `timeout(ms)` set on this socket
   * (`socket.timeout(ms).to(room)`), which the socket's own next emit then no longer has.
   */
  get broadcast(): BroadcastOperator<EmitEvents, SocketData> {
    return this.nsp.except(this.id).withFlags(this.#takeFlags());
  }

  /** Every other socket of the namespace on this server: all of them, the mock being one server. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.broadcast;
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
   * Adds a middleware every incoming event goes through, as socket.io's `socket.use`: it gets
   * `[event, ...args]` (the ack last, if any) and calls `next()` to pass it on or `next(error)`
   * to drop it, the socket's `error` listeners hearing the error.
   *
   * @example socket.use(([event], next) => next(event === "admin" ? new Error("denied") : undefined));
   */
  use(middleware: PacketMiddleware): this {
    this.#middlewares.push(middleware);
    return this;
  }

  /** Disconnects from the namespace ("io server disconnect" on the client); with `close`, ends the whole connection. */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.conn.disconnect();
      return this;
    }
    this.leaveNamespace("server namespace disconnect");
    return this;
  }

  /** Tells the client its namespace is closed (it will not reconnect) and ends with `reason`. */
  leaveNamespace(reason: string): void {
    if (!this.connected) return;
    this.conn.sendPacket({ type: PacketType.DISCONNECT, nsp: this.nsp.name });
    this.conn.forget(this);
    this.onClose(reason);
  }

  /** Handles a packet the client sent to this namespace. */
  onPacket(packet: Packet): void {
    switch (packet.type) {
      case PacketType.EVENT: {
        const args = (packet.data as unknown[]).slice();
        const event = String(args.shift());
        this.nsp.server.record({ nsp: this.nsp.name, socketId: this.id, event, args: [...args] });
        const id = packet.id;
        if (id !== undefined) {
          args.push(
            ackReplier((reply) => {
              if (this.connected) {
                this.conn.sendPacket({ type: PacketType.ACK, nsp: this.nsp.name, id, data: reply });
              }
            }),
          );
        }
        this.#catchAll.incoming.dispatch(undefined, event, args);
        runPacketMiddlewares(this.#middlewares, [event, ...args], {
          connected: () => this.connected,
          // As socket.io: listeners run a tick later, and only if the socket is still
          // connected, so an event the client sent just before its disconnect is dropped.
          pass: ([passed, ...rest]) =>
            queueMicrotask(() => {
              if (this.connected) this.emitUnchecked(String(passed), rest);
            }),
          refuse: (error) => this.reportError(error),
        });
        break;
      }
      case PacketType.ACK: {
        if (packet.id !== undefined) this.acks.reply(packet.id, packet.data as unknown[]);
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
   * Leaves every room and the namespace for good: at disconnect, or when the namespace refused
   * the socket or its client left before it was let in. Later joins do nothing.
   */
  leaveForGood(): void {
    this.#rooms.leaveForGood();
    this.nsp.remove(this);
  }

  /**
   * An error for the socket's `error` listeners (an event a middleware refused, a packet that
   * did not decode); without any listener it is logged, never thrown.
   */
  reportError(error: Error): void {
    reportSocketError(
      this,
      error,
      (reported) => this.emitUnchecked("error", [reported]),
      "mockSocketServer",
    );
  }

  /**
   * Ends this socket: `disconnecting`, then `disconnect`, with socket.io's reason strings and
   * description (always passed, as socket.io does, even when undefined).
   */
  onClose(reason: string, description?: Error): void {
    if (!this.connected) return;
    this.emitUnchecked("disconnecting", [reason, description]);
    this.connected = false;
    // As socket.io: a connection lost (not a socket left on purpose) leaves a session to recover.
    this.nsp.recovery?.persist(this, reason);
    this.leaveForGood();
    // As socket.io: an ack with a timeout still fails when its timer fires; others are forgotten.
    this.acks.forgetUntimed();
    this.emitUnchecked("disconnect", [reason, description]);
  }
}
