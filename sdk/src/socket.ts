import { Emitter, type EventsMap } from "./emitter.ts";
import type { Manager } from "./manager.ts";
import { Outbox } from "./outbox/outbox.ts";
import type { OutboxEntry } from "./outbox/outbox-entry.ts";
import { PendingAcks } from "./pending-acks.ts";
import { type Packet, PacketType, RESERVED_EVENT_NAMES } from "./protocol/index.ts";
import type {
  ConnectError,
  DefaultEventsMap,
  DisconnectReason,
  SocketReservedEvents,
} from "./socket-events.ts";
import type { SocketOptions } from "./socket-options.ts";
import type { AckReply, AllButLast, DecorateAcknowledgements, EventParams, Last } from "./types.ts";

export type {
  ConnectError,
  DefaultEventsMap,
  DisconnectReason,
  SocketReservedEvents,
} from "./socket-events.ts";
export type { SocketOptions } from "./socket-options.ts";

/** An emit awaiting its ack under `retries`: resent with the same id until acked or out of tries. */
interface RetryEntry {
  packet: Packet;
  tries: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Waiting in the outbox (not sent yet); the outbox's flush sends it. */
  queued: boolean;
}

type AnyListener = (event: string, ...args: unknown[]) => void;
type Ack = (...args: unknown[]) => void;

interface EmitFlags {
  volatile?: boolean;
  compress?: boolean;
  timeout?: number;
}

/**
 * A connection to one namespace, multiplexed with others over its Manager's Engine.IO
 * session. The API matches socket.io-client's `Socket`.
 *
 * @example
 * const socket = io("https://example.com/chat");
 * socket.on("message", (text) => console.log(text));
 * socket.emit("message", "hi", (reply) => console.log(reply));
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends Emitter<ListenEvents & SocketReservedEvents> {
  /** The Manager this socket belongs to. */
  readonly io: Manager;
  /** The namespace, e.g. "/" or "/chat". */
  readonly nsp: string;
  /** The session id given by the server on connect; undefined while disconnected. */
  id: string | undefined;
  /** Whether the socket is connected to its namespace. */
  connected = false;
  /** Whether the last connection restored the previous session (connection state recovery). */
  recovered = false;
  /** Credentials sent in the CONNECT packet. */
  auth: SocketOptions["auth"];
  /** Events received before `connect` fired, delivered at connect. */
  readonly receiveBuffer: unknown[][] = [];
  /**
   * Emits made while disconnected or offline, sent in order before `connect` fires. Inspect it
   * (`size`, `entries()`), empty it (`clear()`), or listen to `drop`/`expire`/`flush`.
   */
  readonly outbox: Outbox;

  readonly #ackTimeout: number | undefined;
  readonly #retries: number;
  /** Emits under `retries` awaiting their ack, by ack id (insertion order is emit order). */
  readonly #retryQueue = new Map<number, RetryEntry>();
  #nextAckId = 0;
  readonly #acks = new PendingAcks();
  #flags: EmitFlags = {};
  #subscriptions: Array<() => void> | undefined;
  #anyListeners: AnyListener[] = [];
  #anyOutgoingListeners: AnyListener[] = [];
  #pid: string | undefined;
  #lastOffset: string | undefined;
  /** A flush is sending: the outbox's change notifications must not start another one. */
  #flushing = false;

  constructor(io: Manager, nsp: string, options: SocketOptions = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.auth = options.auth;
    this.#ackTimeout = options.ackTimeout;
    this.#retries = options.retries ?? 0;
    this.outbox =
      options.outbox instanceof Outbox ? options.outbox : new Outbox(options.outbox ?? {});
    this.outbox.on("change", () => io.refreshSnapshot());
    // A persisted outbox starts with what a previous page could not send.
    if (options.outbox && !(options.outbox instanceof Outbox) && options.outbox.storage) {
      void this.outbox.restore().then(() => {
        if (this.#live()) this.#flush();
      });
    }
  }

  /**
   * socket.io-client's queue of unsent packets, as packets (a copy). Assigning `[]` empties the
   * outbox, failing the queued emits' acks; prefer `socket.outbox.clear()`.
   */
  get sendBuffer(): Packet[] {
    return this.outbox
      .entries()
      .filter((entry) => entry.nsp === this.nsp)
      .map((entry) => this.#toPacket(entry));
  }

  set sendBuffer(packets: Packet[]) {
    if (packets.length > 0) {
      throw new Error(
        "Wireline: sendBuffer can only be emptied (`socket.sendBuffer = []`); emit to queue packets.",
      );
    }
    this.outbox.clear();
  }

  /** Whether the socket is disconnected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** Whether the socket wants to be connected (it will reconnect), i.e. not disconnected by the app. */
  get active(): boolean {
    return this.#subscriptions !== undefined;
  }

  /** Connects (or reconnects) to the namespace. */
  connect(): this {
    if (this.connected) return this;
    this.#subscribe();
    // During a reconnection wait, connect() means "try now".
    if (this.io.reconnecting) this.io.reconnectNow();
    else this.io.open();
    if (this.io.readyState === "open") this.#onOpen();
    return this;
  }

  /** Alias of {@link Socket.connect}. */
  open(): this {
    return this.connect();
  }

  /** Leaves the namespace; the socket will not reconnect until `connect()` is called. */
  disconnect(): this {
    if (this.connected) this.#sendPacket({ type: PacketType.DISCONNECT, nsp: this.nsp });
    this.#destroy();
    if (this.connected) this.#onClose("io client disconnect");
    return this;
  }

  /** Alias of {@link Socket.disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Emits a `message` event, like socket.io-client. */
  send(...args: unknown[]): this {
    return this.#emitUnsafe("message", args);
  }

  /**
   * Sends an event to the server. A function as last argument receives the server's
   * acknowledgement (with an error first when a timeout applies). Reserved names throw.
   */
  emit<E extends keyof EmitEvents & string>(event: E, ...args: EventParams<EmitEvents, E>): this {
    return this.#emitUnsafe(event, args as unknown[]);
  }

  /**
   * Emits and resolves with the server's acknowledgement (its first argument); rejects on
   * timeout when `timeout()`, `ackTimeout` or `retries` applies.
   *
   * @example const saved = await socket.timeout(5000).emitWithAck("save", doc);
   */
  emitWithAck<E extends keyof EmitEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<EmitEvents, E>>
  ): Promise<AckReply<Last<EventParams<EmitEvents, E>>>> {
    const withTimeout =
      this.#flags.timeout !== undefined || this.#ackTimeout !== undefined || this.#retries > 0;
    return new Promise((resolve, reject) => {
      const settle = (reply: unknown) => resolve(reply as never);
      const ack = withTimeout
        ? (error: unknown, reply: unknown) => (error ? reject(error) : settle(reply))
        : settle;
      // Without a timeout the callback takes no error: a dropped emit rejects through `reject`.
      this.#emitUnsafe(event, [...(args as unknown[]), ack], reject);
    });
  }

  /**
   * Sets a timeout in ms for the next emit's acknowledgement; the callback then gets an error
   * (or null) first, and that is what the returned socket's types say.
   *
   * @example socket.timeout(5000).emit("save", doc, (err, id) => {});
   */
  timeout(ms: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(
        `Wireline: timeout(ms) needs a finite, non-negative number of ms, got ${ms}.`,
      );
    }
    this.#flags.timeout = ms;
    return this as never;
  }

  /** The next emit is dropped rather than buffered when the connection is not ready. */
  get volatile(): this {
    this.#flags.volatile = true;
    return this;
  }

  /** Whether the next emit may be compressed (permessage-deflate). */
  compress(compress: boolean): this {
    this.#flags.compress = compress;
    return this;
  }

  /** Adds a listener called with every incoming event's name and arguments. */
  onAny(listener: AnyListener): this {
    this.#anyListeners.push(listener);
    return this;
  }

  /** Like {@link Socket.onAny}, called before the other catch-all listeners. */
  prependAny(listener: AnyListener): this {
    this.#anyListeners.unshift(listener);
    return this;
  }

  /** Removes one catch-all listener, or all of them. */
  offAny(listener?: AnyListener): this {
    this.#anyListeners = listener ? this.#anyListeners.filter((l) => l !== listener) : [];
    return this;
  }

  /** The catch-all listeners of incoming events. */
  listenersAny(): AnyListener[] {
    return this.#anyListeners.slice();
  }

  /** Adds a listener called with every outgoing event's name and arguments. */
  onAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners.push(listener);
    return this;
  }

  /** Like {@link Socket.onAnyOutgoing}, called before the others. */
  prependAnyOutgoing(listener: AnyListener): this {
    this.#anyOutgoingListeners.unshift(listener);
    return this;
  }

  /** Removes one outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: AnyListener): this {
    this.#anyOutgoingListeners = listener
      ? this.#anyOutgoingListeners.filter((l) => l !== listener)
      : [];
    return this;
  }

  /** The catch-all listeners of outgoing events. */
  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOutgoingListeners.slice();
  }

  #emitUnsafe(event: string, input: unknown[], reject?: (error: Error) => void): this {
    if (RESERVED_EVENT_NAMES.has(event)) {
      this.#flags = {};
      throw new Error(
        `Wireline: "${event}" is a reserved event name; give your event another name.`,
      );
    }
    const flags = this.#flags;
    this.#flags = {};
    const args = input.slice();
    const callback = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    if (this.#retries > 0 && !flags.volatile) {
      this.#emitWithRetries(event, args, callback, flags);
      return this;
    }
    const live = this.#live();
    // Never queued: dropped before its ack is registered, so it leaves nothing behind.
    if (flags.volatile && !(live && this.io.engine?.writable === true)) return this;
    const packet: Packet = { type: PacketType.EVENT, nsp: this.nsp, data: [event, ...args] };
    if (callback) {
      packet.id = this.#nextAckId++;
      this.#registerAck(packet.id, event, callback, flags.timeout ?? this.#ackTimeout, reject);
    }
    if (live) this.#sendEvent(packet, flags.compress);
    else this.#enqueue(packet);
    return this;
  }

  /** Connected, and the browser does not say offline: emits go out now rather than to the outbox. */
  #live(): boolean {
    return this.connected && this.io.getSnapshot().status !== "offline";
  }

  #enqueue(packet: Packet): void {
    const [event, ...args] = packet.data as [string, ...unknown[]];
    const id = packet.id;
    if (id === undefined) {
      this.outbox.enqueue({ nsp: this.nsp, event, args });
      return;
    }
    this.outbox.enqueue({
      nsp: this.nsp,
      event,
      args,
      ackId: id,
      fail: (error) => this.#acks.fail(id, error),
    });
  }

  /** Sends what the outbox holds for this namespace, oldest first, in batches of `maxPayload`. */
  #flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    const maxPayload = this.io.engine?.handshake?.maxPayload;
    try {
      for (;;) {
        const batch = this.outbox.drain(maxPayload, this.nsp);
        if (batch.length === 0) return;
        for (const entry of batch) {
          const retry = entry.ackId === undefined ? undefined : this.#retryQueue.get(entry.ackId);
          if (retry) retry.queued = false;
          this.#sendEvent(this.#toPacket(entry));
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #toPacket(entry: OutboxEntry): Packet {
    const packet: Packet = {
      type: PacketType.EVENT,
      nsp: entry.nsp,
      data: [entry.event, ...entry.args],
    };
    if (entry.ackId !== undefined) packet.id = entry.ackId;
    return packet;
  }

  /** Takes a packet whose ack gave up out of the outbox, so it is never sent late. */
  #unqueue(ackId: number): void {
    const queued = this.outbox
      .entries()
      .find((entry) => entry.ackId === ackId && entry.nsp === this.nsp);
    if (queued) this.outbox.remove(queued.id);
  }

  /**
   * Tries count whether or not the connection is up, like socket.io-client's: the ack deadline
   * is the app's, so an emit whose tries run out while disconnected fails and leaves the outbox.
   */
  #emitWithRetries(event: string, args: unknown[], callback: Ack | undefined, flags: EmitFlags) {
    const id = this.#nextAckId++;
    const packet: Packet = { type: PacketType.EVENT, nsp: this.nsp, id, data: [event, ...args] };
    const entry: RetryEntry = { packet, tries: 0, timer: undefined, queued: false };
    const timeout = flags.timeout ?? this.#ackTimeout;
    const attempt = () => {
      entry.tries++;
      if (this.#live()) this.#sendEvent(packet, flags.compress);
      else if (!entry.queued) {
        entry.queued = true;
        this.#enqueue(packet);
      }
      if (timeout === undefined) return;
      entry.timer = setTimeout(() => {
        if (entry.tries <= this.#retries) return attempt();
        this.#unqueue(id);
        this.#acks.fail(
          id,
          new Error(
            `Wireline: no ack for event "${event}" after ${entry.tries} tries of ${timeout} ms (socket "${this.nsp}")`,
          ),
        );
      }, timeout);
    };
    const finish = (error: Error | null, reply: unknown[]) => {
      clearTimeout(entry.timer);
      this.#retryQueue.delete(id);
      callback?.call(this, error, ...reply);
    };
    this.#retryQueue.set(id, entry);
    this.#acks.add(id, {
      errorFirst: true,
      reply: (reply) => finish(null, reply),
      fail: (error) => finish(error, []),
    });
    attempt();
  }

  #registerAck(
    id: number,
    event: string,
    ack: Ack,
    timeout: number | undefined,
    reject: ((error: Error) => void) | undefined,
  ): void {
    const errorFirst = timeout !== undefined;
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            this.#unqueue(id);
            this.#acks.fail(
              id,
              new Error(
                `Wireline: ack timeout after ${timeout} ms for event "${event}" (socket "${this.nsp}" id ${this.id ?? "none"})`,
              ),
            );
          }, timeout);
    this.#acks.add(id, {
      errorFirst,
      reply: (reply) => {
        clearTimeout(timer);
        if (errorFirst) ack.call(this, null, ...reply);
        else ack.apply(this, reply);
      },
      fail: (error) => {
        clearTimeout(timer);
        if (reject) reject(error);
        else ack.call(this, error);
      },
    });
  }

  #notifyOutgoing(packet: Packet): void {
    if (this.#anyOutgoingListeners.length === 0) return;
    const [event, ...args] = packet.data as [string, ...unknown[]];
    for (const listener of this.#anyOutgoingListeners.slice()) listener.call(this, event, ...args);
  }

  #sendEvent(packet: Packet, compress?: boolean): void {
    this.#notifyOutgoing(packet);
    this.#sendPacket(packet, compress);
  }

  #sendPacket(packet: Packet, compress?: boolean): void {
    this.io.sendPacket(packet, compress);
  }

  #subscribe(): void {
    if (this.#subscriptions) return;
    const io = this.io;
    const on = <A extends unknown[]>(event: string, listener: (...args: A) => void) => {
      io.on(event, listener as never);
      return () => io.off(event, listener as never);
    };
    this.#subscriptions = [
      on("open", () => this.#onOpen()),
      on("packet", (packet: Packet) => this.#onPacket(packet)),
      on("error", (error: Error) => this.#onError(error)),
      on("close", (reason: DisconnectReason, description?: unknown) =>
        this.#onClose(reason, description),
      ),
      // Back online on a connection that stayed up: what waited in the outbox goes now.
      on("state", () => {
        if (this.outbox.size > 0 && this.#live()) this.#flush();
      }),
    ];
  }

  #destroy(): void {
    if (this.#subscriptions) {
      for (const unsubscribe of this.#subscriptions) unsubscribe();
      this.#subscriptions = undefined;
    }
    this.io.release();
  }

  #onOpen(): void {
    const send = (data: Record<string, unknown> | undefined) => {
      const payload = this.#pid ? { pid: this.#pid, offset: this.#lastOffset, ...data } : data;
      const packet: Packet = { type: PacketType.CONNECT, nsp: this.nsp };
      if (payload !== undefined) packet.data = payload;
      this.#sendPacket(packet);
    };
    if (typeof this.auth === "function") this.auth((data) => send(data));
    else send(this.auth);
  }

  #onError(error: Error): void {
    if (!this.connected) this.emitUnchecked("connect_error", [error]);
  }

  #onClose(reason: DisconnectReason, description?: unknown): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    if (wasConnected) this.emitUnchecked("disconnect", [reason, description]);
    this.#failPendingAcks();
  }

  /** Acks waiting with an error-first callback fail at once: their reply can no longer come. */
  #failPendingAcks(): void {
    const queued = new Set(this.outbox.entries().map((entry) => entry.ackId));
    this.#acks.failUnsent(
      (id) => this.#retryQueue.has(id) || queued.has(id),
      () => new Error(`Wireline: socket "${this.nsp}" disconnected before the ack arrived`),
    );
  }

  #onPacket(packet: Packet): void {
    if (packet.nsp !== this.nsp) return;
    switch (packet.type) {
      case PacketType.CONNECT: {
        const data = packet.data as { sid?: unknown; pid?: unknown } | undefined;
        if (data && typeof data.sid === "string")
          this.#onConnect(data.sid, typeof data.pid === "string" ? data.pid : undefined);
        else
          this.emitUnchecked("connect_error", [
            new Error(
              "Wireline: the server's CONNECT reply has no sid; is it a Socket.IO v3+ server?",
            ),
          ]);
        break;
      }
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.#onEvent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        this.#onAck(packet);
        break;
      case PacketType.DISCONNECT:
        this.#destroy();
        this.#onClose("io server disconnect");
        break;
      case PacketType.CONNECT_ERROR: {
        this.#destroy();
        const data = packet.data as { message?: unknown; data?: unknown } | string | undefined;
        const message =
          typeof data === "string" ? data : String(data?.message ?? "connection refused");
        const error: ConnectError = new Error(message);
        if (typeof data === "object" && data !== null && "data" in data) error.data = data.data;
        this.emitUnchecked("connect_error", [error]);
        break;
      }
    }
  }

  #onEvent(packet: Packet): void {
    const args = (packet.data as unknown[]).slice();
    // Connection state recovery appends an offset to stored packets: plain EVENTs without an
    // ack id. Keep it for the next CONNECT and hand listeners the original arguments.
    // (A volatile event is not stored and carries none; its last string stays, as it must.)
    if (
      this.#pid &&
      packet.type === PacketType.EVENT &&
      packet.id === undefined &&
      args.length > 1 &&
      typeof args[args.length - 1] === "string"
    ) {
      this.#lastOffset = args.pop() as string;
    }
    if (packet.id !== undefined) args.push(this.#makeAck(packet.id));
    if (this.connected) this.#dispatch(args);
    else this.receiveBuffer.push(args);
  }

  #dispatch(args: unknown[]): void {
    for (const listener of this.#anyListeners.slice())
      listener.apply(this, args as [string, ...unknown[]]);
    const [event, ...rest] = args as [string, ...unknown[]];
    this.emitUnchecked(event, rest);
  }

  #makeAck(id: number): Ack {
    let sent = false;
    return (...reply: unknown[]) => {
      if (sent) return;
      sent = true;
      this.#sendPacket({ type: PacketType.ACK, nsp: this.nsp, id, data: reply });
    };
  }

  #onAck(packet: Packet): void {
    if (packet.id !== undefined) this.#acks.reply(packet.id, (packet.data as unknown[]) ?? []);
  }

  #onConnect(id: string, pid: string | undefined): void {
    this.id = id;
    this.recovered = pid !== undefined && this.#pid === pid;
    this.#pid = pid;
    this.connected = true;
    // Unacked retried emits that went out before go first, in emit order, with their original
    // ids; then the outbox, before any listener can emit something newer.
    for (const entry of this.#retryQueue.values()) {
      if (!entry.queued) this.#sendEvent(entry.packet);
    }
    this.#flush();
    for (const args of this.receiveBuffer.splice(0)) this.#dispatch(args);
    this.io.refreshSnapshot({ recovered: this.recovered });
    this.emitUnchecked("connect", []);
  }
}
