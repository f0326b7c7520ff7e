import { callListener } from "./call-listener.ts";
import { assertListener, Emitter, type EventsMap, listen } from "./emitter.ts";
import type { Manager } from "./manager.ts";
import type { Outbox } from "./outbox/outbox.ts";
import { type EmitFlags, OutgoingEvents, toPacket } from "./outgoing-events.ts";
import { type DecodeError, type Packet, PacketType } from "./protocol/index.ts";
import { checkEventName } from "./protocol/reserved-event-names.ts";
import { removeListener } from "./remove-listener.ts";
import type {
  ConnectError,
  DefaultEventsMap,
  DisconnectReason,
  SocketReservedEvents,
} from "./socket-events.ts";
import type { SocketOptions } from "./socket-options.ts";
import type { AckReply, AllButLast, DecorateAcknowledgements, EventParams, Last } from "./types.ts";
import { invalidAuth, isRecord, validateOptions } from "./validate-options.ts";

/**
 * The longest string taken for a recovery offset: socket.io's are about 10 characters, other
 * adapters' (stream ids, object ids) a few dozen.
 */
const MAX_OFFSET_LENGTH = 64;

export type {
  ConnectError,
  DefaultEventsMap,
  DisconnectDescription,
  DisconnectReason,
  ExtendedError,
  SocketReservedEvents,
} from "./socket-events.ts";
export type { SocketOptions } from "./socket-options.ts";

/**
 * A catch-all listener: the event's name, then its arguments. The arguments are `any`, as in
 * socket.io-client, so a listener may type them: `socket.onAny((event, data: Doc) => {})`.
 */
// biome-ignore lint/suspicious/noExplicitAny: socket.io-client's catch-all listener type.
type AnyListener = (event: string, ...args: any[]) => void;
type Ack = (...args: unknown[]) => void;

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
  readonly io: Manager<ListenEvents, EmitEvents>;
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

  readonly #outgoing: OutgoingEvents;
  #flags: EmitFlags = {};
  #subscriptions: Array<() => void> | undefined;
  readonly #anyListeners: AnyListener[] = [];
  readonly #anyOutgoingListeners: AnyListener[] = [];
  #pid: string | undefined;
  #lastOffset: string | undefined;
  /**
   * This session's CONNECT went out, so connect() sends no second (a server takes one as a
   * protocol error). Each new session sends its own; leaving the namespace clears it.
   */
  #connectSent = false;

  constructor(io: Manager, nsp: string, options: SocketOptions = {}) {
    super();
    validateOptions(options);
    // null too, as socket.io-client takes it.
    options ??= {};
    this.io = io;
    this.nsp = nsp;
    this.auth = options.auth;
    this.#outgoing = new OutgoingEvents(
      {
        nsp,
        self: this,
        live: () => this.#live(),
        writable: () => {
          const engine = io.engine;
          return engine?.writable === true && engine.transport?.writable !== false;
        },
        encode: (packet) => io.encode(packet),
        send: (packet, frames, compress) => {
          this.#notifyOutgoing(packet);
          io.sendFrames(frames, compress);
        },
        reportError: (error) => io.emitEvent("error", error),
        maxPayload: () => io.engine?.handshake?.maxPayload,
        ackTimedOut: (ackId, event) => io.emitEvent("ackTimeout", nsp, ackId, event),
      },
      options,
      () => io.refreshSnapshot(),
    );
    this.outbox = this.#outgoing.outbox;
  }

  /**
   * socket.io-client's queue of unsent packets, as packets (a copy). Assigning `[]` takes this
   * namespace's packets out of the outbox, failing their acks; prefer `socket.outbox.clear()`.
   */
  get sendBuffer(): Packet[] {
    return this.outbox
      .entries()
      .filter((entry) => entry.nsp === this.nsp)
      .map(toPacket);
  }

  set sendBuffer(packets: Packet[]) {
    if (packets.length > 0) {
      throw new Error(
        "Wireline: sendBuffer can only be emptied (`socket.sendBuffer = []`); emit to queue packets.",
      );
    }
    this.outbox.clear(this.nsp);
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
    if (this.io.readyState === "open" && !this.#connectSent) this.#onOpen();
    return this;
  }

  /** Alias of {@link Socket.connect}. */
  open(): this {
    return this.connect();
  }

  /** Leaves the namespace; the socket will not reconnect until `connect()` is called. */
  disconnect(): this {
    if (this.connected) this.io.sendPacket({ type: PacketType.DISCONNECT, nsp: this.nsp });
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
    const withTimeout = this.#flags.timeout !== undefined || this.#outgoing.errorFirstByDefault;
    return new Promise((resolve, reject) => {
      // `resolve` takes the reply's first argument and ignores the others.
      const ack = withTimeout
        ? (error: unknown, reply: unknown) => (error ? reject(error) : resolve(reply as never))
        : resolve;
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
      this.#flags = {};
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
    assertListener(listener);
    this.#anyListeners.push(listener);
    return this;
  }

  /** Like {@link Socket.onAny}, called before the other catch-all listeners. */
  prependAny(listener: AnyListener): this {
    assertListener(listener);
    this.#anyListeners.unshift(listener);
    return this;
  }

  /** Removes a catch-all listener (one copy of it, if added twice), or all of them. */
  offAny(listener?: AnyListener): this {
    removeListener(this.#anyListeners, listener);
    return this;
  }

  /** The catch-all listeners of incoming events. */
  listenersAny(): AnyListener[] {
    return this.#anyListeners.slice();
  }

  /** Adds a listener called with every outgoing event's name and arguments. */
  onAnyOutgoing(listener: AnyListener): this {
    assertListener(listener);
    this.#anyOutgoingListeners.push(listener);
    return this;
  }

  /** Like {@link Socket.onAnyOutgoing}, called before the others. */
  prependAnyOutgoing(listener: AnyListener): this {
    assertListener(listener);
    this.#anyOutgoingListeners.unshift(listener);
    return this;
  }

  /** Removes an outgoing catch-all listener (one copy of it, if added twice), or all of them. */
  offAnyOutgoing(listener?: AnyListener): this {
    removeListener(this.#anyOutgoingListeners, listener);
    return this;
  }

  /** The catch-all listeners of outgoing events. */
  listenersAnyOutgoing(): AnyListener[] {
    return this.#anyOutgoingListeners.slice();
  }

  #emitUnsafe(event: string, input: unknown[], reject?: (error: Error) => void): this {
    // Taken first: a refused emit leaves no flag (volatile, timeout) to the next one.
    const flags = this.#flags;
    this.#flags = {};
    checkEventName(event);
    this.#outgoing.emit(event, input, flags, reject);
    return this;
  }

  /**
   * Connected to the namespace over an open session the browser does not call offline: emits
   * go out now rather than to the outbox. (A session closing reports "disconnected" before the
   * socket hears of it, so the status, not `connected` alone, decides.) Past `pingInterval +
   * pingTimeout` without traffic (a frozen or sleeping page whose timers have not run yet) the
   * connection is dropped here, before anything is written into it, so the emit waits in the
   * outbox for the next connection.
   */
  #live(): boolean {
    return (
      this.connected && this.io.getSnapshot().status === "connected" && this.io.checkLiveness()
    );
  }

  #notifyOutgoing(packet: Packet): void {
    // The event's name and arguments, a copy for each listener.
    for (const listener of this.#anyOutgoingListeners.slice())
      callListener(listener, this, [...(packet.data as unknown[])]);
  }

  #subscribe(): void {
    if (this.#subscriptions) return;
    this.#outgoing.onStart();
    const io = this.io;
    this.#subscriptions = [
      listen(io, "open", () => this.#onOpen()),
      listen(io, "packet", (packet: Packet) => this.#onPacket(packet)),
      listen(io, "error", (error: Error) => this.#onError(error)),
      listen(io, "close", (reason: DisconnectReason, description?: unknown) =>
        this.#onClose(reason, description),
      ),
      // Back online on a connection that stayed up: what waited in the outbox goes now.
      listen(io, "state", () => {
        if (this.outbox.size > 0 && this.#live()) this.#outgoing.flush();
      }),
    ];
  }

  #destroy(): void {
    this.#connectSent = false;
    if (this.#subscriptions) {
      for (const unsubscribe of this.#subscriptions) unsubscribe();
      this.#subscriptions = undefined;
      this.#outgoing.onStop();
    }
    this.io.release();
  }

  #onOpen(): void {
    this.#connectSent = true;
    let answered = false;
    // What goes wrong here is a refusal to connect, as a middleware's would be: the server
    // would close the connection over such a CONNECT, and again at every reconnection.
    const refuse = (error: unknown) => {
      this.#destroy();
      this.emitUnchecked("connect_error", [error]);
    };
    const send = (data: unknown) => {
      if (answered) return;
      answered = true;
      try {
        if (data !== undefined && !isRecord(data)) {
          throw invalidAuth(data);
        }
        const payload = this.#pid ? { pid: this.#pid, offset: this.#lastOffset, ...data } : data;
        const packet: Packet = { type: PacketType.CONNECT, nsp: this.nsp };
        if (payload !== undefined) packet.data = payload;
        this.io.sendPacket(packet);
      } catch (error) {
        refuse(error);
      }
    };
    try {
      if (typeof this.auth === "function") this.auth(send);
      else send(this.auth);
    } catch (error) {
      if (!answered) refuse(error);
    }
  }

  #onError(error: Error): void {
    // A packet dropped for its content (see DecodeError.packet) is no failure to connect.
    const refused = (error as DecodeError).packet;
    if (!refused) {
      if (!this.connected) this.emitUnchecked("connect_error", [error]);
    } else if (refused.nsp === this.nsp && refused.type === PacketType.ACK)
      // The reply came, but it cannot be handed over: the ack fails with why, as a drop would.
      this.#outgoing.refuseReply(refused.id as number, error);
  }

  #onClose(reason: DisconnectReason, description?: unknown): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    if (wasConnected) this.emitUnchecked("disconnect", [reason, description]);
    this.#outgoing.onDisconnect();
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
        if (packet.id !== undefined)
          this.#outgoing.reply(packet.id, (packet.data as unknown[]) ?? []);
        break;
      case PacketType.DISCONNECT: {
        const refused = !this.connected;
        this.#destroy();
        this.#onClose("io server disconnect");
        // The reply to our CONNECT: the namespace was closed on us before it was joined.
        if (refused)
          this.emitUnchecked("connect_error", [
            new Error(`Wireline: the server closed namespace ${this.nsp} before accepting it`),
          ]);
        break;
      }
      case PacketType.CONNECT_ERROR: {
        this.#destroy();
        // A server that refuses a namespace already joined ends it: a disconnect follows the
        // connect, as for a DISCONNECT, before the refusal is told.
        if (this.connected) this.#onClose("io server disconnect");
        const data = packet.data as { message?: unknown; data?: unknown } | string | undefined;
        const told = typeof data === "string" ? data : data?.message;
        // socket.io sends a string; anything else (an object whose toString throws) is not one.
        const error: ConnectError = new Error(
          typeof told === "string" ? told : "connection refused",
        );
        // An own property even when the server sent none, as socket.io-client's.
        error.data = (data as { data?: unknown } | undefined)?.data;
        this.emitUnchecked("connect_error", [error]);
        break;
      }
    }
  }

  #onEvent(packet: Packet): void {
    const data = packet.data as unknown[];
    const event = data[0] as string;
    // The listeners' arguments, copied once: this is the hot path of every received event.
    const args = data.slice(1);
    // Connection state recovery appends an offset to stored packets: plain EVENTs without an
    // ack id. Keep it for the next CONNECT and hand listeners the original arguments. A volatile
    // event is not stored and carries none, yet looks the same: a string longer than any offset
    // (MAX_OFFSET_LENGTH) is the app's, and never makes CONNECT too big.
    const last = args[args.length - 1];
    if (
      this.#pid &&
      packet.type === PacketType.EVENT &&
      packet.id === undefined &&
      typeof last === "string" &&
      last.length <= MAX_OFFSET_LENGTH
    ) {
      this.#lastOffset = args.pop() as string;
    }
    if (packet.id !== undefined) args.push(this.#makeAck(packet.id));
    if (this.connected) this.#dispatch(event, args);
    else this.receiveBuffer.push([event, ...args]);
  }

  #dispatch(event: string, args: unknown[]): void {
    // Checked first: this runs for every event received, mostly without catch-all listeners.
    if (this.#anyListeners.length > 0) {
      for (const listener of this.#anyListeners.slice())
        callListener(listener, this, [event, ...args]);
    }
    this.emitUnchecked(event, args);
  }

  /**
   * The callback a server's event with an ack id gets: answers once. Called after the namespace
   * was left it sends nothing: no server socket waits for it, and socket.io would close the
   * whole connection over a packet for a namespace not joined.
   */
  #makeAck(id: number): Ack {
    let sent = false;
    return (...reply: unknown[]) => {
      if (sent || !this.connected) return;
      sent = true;
      this.io.sendPacket({ type: PacketType.ACK, nsp: this.nsp, id, data: reply });
    };
  }

  #onConnect(id: string, pid: string | undefined): void {
    this.id = id;
    this.recovered = pid !== undefined && this.#pid === pid;
    this.#pid = pid;
    this.connected = true;
    // Retried and queued emits go out before any listener can emit something newer.
    this.#outgoing.onConnect();
    for (const [event, ...args] of this.receiveBuffer.splice(0))
      this.#dispatch(event as string, args);
    this.io.refreshSnapshot({ recovered: this.recovered });
    this.emitUnchecked("connect", []);
  }
}

/** Types under the class's name, as socket.io-client declares them: `Socket.DisconnectReason`. */
// Declaration merging with the class; types only, so nothing is emitted.
export declare namespace Socket {
  /** Why a socket disconnected: {@link DisconnectReason}. */
  type DisconnectReason = import("./socket-events.ts").DisconnectReason;
}
