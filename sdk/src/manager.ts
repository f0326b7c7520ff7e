import { computeBackoffDelay } from "./backoff.ts";
import { callListener } from "./call-listener.ts";
import { type ConnectionSnapshot, IDLE_SNAPSHOT } from "./connection-snapshot.ts";
import { Emitter, type EventsMap, listen } from "./emitter.ts";
import { Engine } from "./engine/engine.ts";
import {
  resolveTransports,
  type TransportChoice,
  type TransportFactory,
} from "./engine/transport.ts";
import {
  defaultLifecycle,
  type Lifecycle,
  type LifecycleDetail,
  type LifecycleSignal,
} from "./lifecycle.ts";
import type { EnginePassthrough, ManagerOptions } from "./manager-options.ts";
import { pageLocation } from "./page-location.ts";
import { assertFitsMaxPayload } from "./payload-size.ts";
import { PENDING } from "./protocol/decoder.ts";
import { type BinaryData, type Packet, PacketType } from "./protocol/index.ts";
import { type ConnectionDecoder, decoderFor, encoderFor } from "./protocol/parser.ts";
import {
  type DefaultEventsMap,
  type DisconnectDescription,
  type DisconnectReason,
  Socket,
  type SocketOptions,
} from "./socket.ts";
import { MAX_TIMER_DELAY, setTimer } from "./timer-delay.ts";
import { unref } from "./unref.ts";
import { validateOptions } from "./validate-options.ts";

export type { ConnectionSnapshot, ConnectionStatus } from "./connection-snapshot.ts";
export type { ManagerOptions } from "./manager-options.ts";

/**
 * The events of socket.io-client's Manager (its `ManagerReservedEvents`), with this SDK's
 * types: `close` says why with a {@link DisconnectReason} and, for a broken connection, a
 * {@link DisconnectDescription}.
 */
export interface ManagerReservedEvents {
  open: () => void;
  error: (error: Error) => void;
  ping: () => void;
  packet: (packet: Packet) => void;
  close: (reason: DisconnectReason, description?: DisconnectDescription) => void;
  reconnect_attempt: (attempt: number) => void;
  reconnect_error: (error: Error) => void;
  reconnect_failed: () => void;
  reconnect: (attempt: number) => void;
}

/**
 * Every event a Manager emits: socket.io-client's ({@link ManagerReservedEvents}) and this
 * SDK's own. Only these names are accepted by `manager.on(...)`, so a typo fails to compile.
 */
export interface ManagerEvents extends ManagerReservedEvents {
  /** Every change of {@link Manager.getSnapshot}. */
  state: (snapshot: ConnectionSnapshot) => void;
  /** A page or network signal, as the Manager received it, before it acts on it. */
  lifecycle: (signal: LifecycleSignal, detail: LifecycleDetail) => void;
  /** A reconnection attempt was scheduled: its number and the delay drawn for it, in ms. */
  backoff: (attempt: number, delay: number) => void;
  /** An emit of namespace `nsp` gave up waiting for its ack (`timeout()`, `ackTimeout`, `retries`). */
  ackTimeout: (nsp: string, ackId: number, event: string) => void;
}

/**
 * One Engine.IO connection to a server, shared by the namespace sockets created with
 * `manager.socket(nsp)`; reconnects with exponential backoff and full jitter. Its state is
 * one snapshot: `getSnapshot()` and `subscribe(listener)`.
 */
export class Manager<
  // Unused, as in socket.io-client: there for apps that write `Manager<ServerToClient, ClientToServer>`.
  _ListenEvents extends EventsMap = DefaultEventsMap,
  _EmitEvents extends EventsMap = _ListenEvents,
> extends Emitter<ManagerEvents> {
  /**
   * The current Engine.IO session. Typed as always set, as in socket.io-client; it is in fact
   * undefined until the first `open()` (with `autoConnect: false`, until `connect()`), and then
   * the last session, open or closed.
   */
  engine!: Engine;
  /** "closed", "opening" or "open". */
  readyState: "closed" | "opening" | "open" = "closed";
  /** Whether a reconnection attempt is scheduled or in progress. */
  reconnecting = false;
  /** The namespace sockets, by namespace. */
  readonly nsps = new Map<string, Socket>();
  /** The normalized options. */
  readonly opts: Required<
    Omit<
      ManagerOptions,
      | "WebSocket"
      | "protocols"
      | "randomizationFactor"
      | "transports"
      | "lifecycle"
      | "closeOnBeforeunload"
      | "parser"
      | "forceNew"
      | "multiplex"
      | EnginePassthrough
    >
  > &
    Pick<
      ManagerOptions,
      "WebSocket" | "protocols" | "parser" | "forceNew" | "multiplex" | EnginePassthrough
    > & {
      /** The transports, as modules; the app may set names, taken at the next attempt. */
      transports: TransportChoice[];
    };

  readonly #uri: string;
  /** What transport names resolve to: the entry point's transports. */
  readonly #available: TransportFactory[];
  #randomizationFactor: number | undefined;
  readonly #decoder: ConnectionDecoder;
  readonly #encode: (packet: Packet) => Array<string | BinaryData>;
  #attempts = 0;
  #skipReconnect = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #snapshot: ConnectionSnapshot = IDLE_SNAPSHOT;
  readonly #stateListeners = new Set<() => void>();
  #engineSubscriptions: Array<() => void> = [];
  readonly #lifecycle: Lifecycle;
  #stopLifecycle: (() => void) | undefined;
  /** The connection was closed for `pagehide` and reopens on `pageshow`. */
  #closedForPageHide = false;
  /** The attempt in flight began while the platform said offline. */
  #openedOffline = false;
  /** The callback the current attempt was opened with: an attempt started over keeps it. */
  #openCallback: ((error?: Error) => void) | undefined;
  /** An `offline` signal came and no `online` since: a connection that opens now is "offline". */
  #offlineSignalled = false;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `uri` is the server's origin (http, https, ws or wss), e.g. "https://example.com". Left out
   * (options first), the page's origin is used, as in socket.io-client; outside a page that
   * throws, saying what to pass.
   */
  constructor(
    uri: string | ManagerOptions = {},
    options: ManagerOptions & {
      /** What transport names resolve to: the entry point's transports. */
      availableTransports?: TransportFactory[];
    } = {},
  ) {
    super();
    if (typeof uri !== "string") {
      options = { ...options, ...uri };
      uri = pageLocation("new Manager()").origin;
    }
    validateOptions(options);
    this.#uri = uri;
    this.#available = options.availableTransports ?? [];
    this.#randomizationFactor = options.randomizationFactor;
    this.opts = {
      // Engine options (upgrade, extraHeaders, …) pass through as given.
      ...options,
      path: options.path ?? "/socket.io",
      addTrailingSlash: options.addTrailingSlash ?? true,
      query: options.query ?? {},
      transports: resolveTransports(options.transports ?? this.#available, this.#available),
      reconnection: options.reconnection ?? true,
      // `||` as socket.io-client: 0 means the default (a 0 ms delay would retry in a tight loop).
      reconnectionAttempts: options.reconnectionAttempts || Infinity,
      reconnectionDelay: options.reconnectionDelay || 1000,
      reconnectionDelayMax: options.reconnectionDelayMax || 5000,
      timeout: options.timeout ?? 20000,
      autoConnect: options.autoConnect ?? true,
      closeOnPageHide: options.closeOnPageHide ?? options.closeOnBeforeunload ?? false,
      livenessGrace: options.livenessGrace ?? 300,
    };
    this.#lifecycle = options.lifecycle ?? defaultLifecycle();
    this.#encode = encoderFor(options.parser);
    this.#decoder = decoderFor(options.parser);
    if (this.opts.autoConnect) this.open();
  }

  /** The current connection state; the same object until something changes. */
  getSnapshot = (): ConnectionSnapshot => this.#snapshot;

  /** Calls `listener` after every state change; returns the function that stops it. */
  subscribe = (listener: () => void): (() => void) => {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  };

  /**
   * The socket for namespace `nsp`, created with `options` on first use; an existing one is
   * returned as it is (its options unchanged), as socket.io-client's.
   */
  socket(nsp: string, options?: SocketOptions): Socket {
    // The server would close the connection over any other name, at every reconnection.
    if (typeof nsp !== "string" || nsp[0] !== "/") {
      throw new TypeError(`Wireline: a namespace starts with "/", got ${nsp}.`);
    }
    let socket = this.nsps.get(nsp);
    if (!socket) {
      socket = new Socket(this, nsp, options);
      this.nsps.set(nsp, socket);
    }
    if (this.opts.autoConnect && !socket.active) socket.connect();
    return socket;
  }

  /** Opens the Engine.IO session if not open; `callback` gets the error of a failed attempt. */
  open(callback?: (error?: Error) => void): this {
    if (this.readyState !== "closed") return this;
    let transports: TransportFactory[];
    try {
      // socket.io-client's docs set `opts.transports` to names between attempts (connect_error).
      transports = resolveTransports(this.opts.transports, this.#available);
    } catch (error) {
      // A name this entry point lacks: the attempt fails, and says why, as a refused one does.
      this.#openFailed(error as Error, callback);
      return this;
    }
    this.readyState = "opening";
    this.#openCallback = callback;
    this.#skipReconnect = false;
    this.#closedForPageHide = false;
    this.#openedOffline = !this.#lifecycle.isOnline();
    this.#stopLifecycle ??= this.#lifecycle.subscribe((signal, detail) =>
      this.#onLifecycle(signal, detail),
    );
    this.#updateSnapshot({
      status: this.#attempts > 0 ? "reconnecting" : "connecting",
      nextRetryAt: undefined,
    });
    const base = this.#uri.replace(/^ws/, "http").replace(/\/$/, "");
    const path = this.opts.path.replace(/\/$/, "") + (this.opts.addTrailingSlash ? "/" : "");
    const engine = new Engine({ ...this.opts, transports, url: base + path });
    this.engine = engine;
    // Until either fires: each removes both (#onOpen first thing, as this error listener does).
    this.#engineSubscriptions = [
      listen(engine, "open", () => {
        this.#onOpen(engine);
        callback?.();
      }),
      listen(engine, "error", (error: Error) => {
        this.#cleanupEngine();
        this.#openFailed(error, callback);
      }),
    ];
    engine.open();
    return this;
  }

  /** An attempt that failed before opening: reported, then retried, or `callback` told. */
  #openFailed(error: Error, callback: ((error?: Error) => void) | undefined): void {
    this.readyState = "closed";
    this.#updateSnapshot({ lastError: error });
    this.emitEvent("error", error);
    if (callback) callback(error);
    else this.#maybeReconnect();
    // No attempt follows (reconnection off, or the app's own open(callback)): not connecting.
    if (this.readyState === "closed" && !this.reconnecting && this.#snapshot.status !== "offline")
      this.#updateSnapshot({ status: "disconnected" });
  }

  /** Alias of {@link Manager.open}. */
  connect(callback?: (error?: Error) => void): this {
    return this.open(callback);
  }

  /** Sends one packet: encoded, then written as one Engine.IO message per part. */
  sendPacket(packet: Packet, compress?: boolean): void {
    this.sendFrames(this.encode(packet), compress);
  }

  /**
   * Encodes a packet into the frames {@link Manager.sendFrames} writes. Throws a TypeError for
   * circular data, and a RangeError for a frame bigger than the server's `maxPayload`.
   */
  encode(packet: Packet): Array<string | BinaryData> {
    const frames = this.#encode(packet);
    const engine = this.engine;
    const maxPayload = engine?.handshake?.maxPayload;
    // Only an app's events and acks: CONNECT and DISCONNECT go out whatever the server says.
    if (maxPayload !== undefined && packet.type > PacketType.DISCONNECT) {
      assertFitsMaxPayload(packet, frames, maxPayload, engine?.transport?.name === "polling");
    }
    return frames;
  }

  /** Writes encoded frames to the session, if any. */
  sendFrames(frames: Array<string | BinaryData>, compress?: boolean): void {
    const engine = this.engine;
    if (!engine) return;
    // As socket.io-client, every message says whether it may be compressed.
    const options = { compress: compress !== false };
    for (const frame of frames) engine.send(frame, options);
  }

  /** Called by a socket that disconnected: closes the session when no socket is active. */
  release(): void {
    for (const socket of this.nsps.values()) if (socket.active) return;
    this.close();
  }

  /** Closes the session and stops reconnecting. */
  close(): void {
    // An app-level close: no lifecycle signal may undo it.
    this.#stopLifecycle?.();
    this.#stopLifecycle = undefined;
    this.#closedForPageHide = false;
    this.#closeSession();
  }

  #closeSession(): void {
    clearTimeout(this.#graceTimer);
    const closedBefore = this.#skipReconnect;
    this.#skipReconnect = true;
    this.#cancelAttempt();
    this.reconnecting = false;
    this.#attempts = 0;
    const engine = this.engine;
    if (engine && this.readyState !== "closed") {
      this.#onClose("forced close");
      engine.close();
    } else if (!closedBefore) {
      // Already down (waiting to reconnect, or given up): socket.io-client still announces the
      // end, so a "forced close" listener learns the Manager is done either way.
      this.emitEvent("close", "forced close");
    }
    this.#updateSnapshot({ status: "disconnected", nextRetryAt: undefined, attempt: 0 });
  }

  /** Whether it reconnects by itself (default true); with a value, sets it and returns the Manager. */
  reconnection(): boolean;
  reconnection(value: boolean): this;
  reconnection(value?: boolean): boolean | this {
    const result = this.#option("reconnection", value);
    // As socket.io-client: turning it off also calls off an attempt already scheduled.
    if (value === false && this.#cancelAttempt()) {
      this.#attempts = 0;
      this.#updateSnapshot({ status: "disconnected", nextRetryAt: undefined, attempt: 0 });
    }
    return result;
  }

  /** Attempts before `reconnect_failed` (default Infinity); with a value, sets it and returns the Manager. */
  reconnectionAttempts(): number;
  reconnectionAttempts(value: number): this;
  reconnectionAttempts(value?: number): number | this {
    return this.#option("reconnectionAttempts", value);
  }

  /** The first reconnection delay in ms (default 1000); with a value, sets it and returns the Manager. */
  reconnectionDelay(): number;
  reconnectionDelay(value: number): this;
  reconnectionDelay(value?: number): number | this {
    return this.#option("reconnectionDelay", value);
  }

  /** The longest reconnection delay in ms (default 5000); with a value, sets it and returns the Manager. */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(value: number): this;
  reconnectionDelayMax(value?: number): number | this {
    return this.#option("reconnectionDelayMax", value);
  }

  /**
   * The ±jitter factor of reconnection delays; undefined (the default) means full jitter.
   * With a value, sets it and returns the Manager.
   */
  randomizationFactor(): number | undefined;
  randomizationFactor(value: number): this;
  randomizationFactor(value?: number): number | undefined | this {
    if (value === undefined) return this.#randomizationFactor;
    validateOptions({ randomizationFactor: value });
    this.#randomizationFactor = value;
    return this;
  }

  /**
   * The handshake timeout in ms (default 20000), or false for none; with a value, sets it and
   * returns the Manager.
   */
  timeout(): number | false;
  timeout(value: number | false): this;
  timeout(value?: number | false): number | false | this {
    return this.#option("timeout", value);
  }

  /**
   * Without a value, reads an option; with one, checks it as `io()` would, then sets it for the
   * next attempts and returns the Manager.
   */
  #option<
    K extends
      | "reconnection"
      | "reconnectionAttempts"
      | "reconnectionDelay"
      | "reconnectionDelayMax"
      | "timeout",
  >(name: K, value?: this["opts"][K]): this["opts"][K] | this {
    if (value === undefined) return this.opts[name];
    validateOptions({ [name]: value });
    this.opts[name] = value;
    return this;
  }

  /** Alias of {@link Manager.close}. */
  disconnect(): void {
    this.close();
  }

  #onOpen(engine: Engine): void {
    this.#cleanupEngine();
    this.readyState = "open";
    this.#engineSubscriptions = [
      listen(engine, "data", (data: string | BinaryData) => this.#onData(data)),
      listen(engine, "ping", () => this.emitEvent("ping")),
      listen(engine, "upgrade", (transport: { name: string }) =>
        this.#updateSnapshot({ transport: transport.name }),
      ),
      listen(engine, "error", (error: Error) => this.emitEvent("error", error)),
      listen(engine, "close", (reason: string, description?: unknown) =>
        this.#onClose(reason as DisconnectReason, description),
      ),
    ];
    const wasReconnecting = this.reconnecting;
    const attempts = this.#attempts;
    this.reconnecting = false;
    this.#attempts = 0;
    this.#updateSnapshot({
      status: this.#offlineSignalled ? "offline" : "connected",
      attempt: 0,
      transport: engine.transport?.name,
      id: engine.id,
      lastError: undefined,
    });
    this.emitEvent("open");
    if (wasReconnecting) this.emitEvent("reconnect", attempts);
  }

  #onData(data: string | BinaryData): void {
    // One message, one outcome, except from a custom parser that completed several packets.
    for (
      let outcome = this.#decoder.add(data);
      outcome.kind !== "pending";
      outcome = this.#decoder.next?.() ?? PENDING
    ) {
      if (outcome.kind === "packet") {
        // Connected to a namespace: from here on, the connection alone may not hold the process.
        if (this.opts.autoUnref && outcome.packet.type === PacketType.CONNECT) this.engine?.unref();
        this.emitEvent("packet", outcome.packet);
        continue;
      }
      this.emitEvent("error", outcome.error);
      // A well-framed event or ack refused for its content: dropped, the connection goes on
      // (closing would drop every packet in flight, and a server resending it would loop).
      if (outcome.error.packet) continue;
      // Report first: closing the engine would otherwise announce a plain "forced close".
      const engine = this.engine;
      this.#onClose("parse error", outcome.error);
      engine?.close();
    }
  }

  #onClose(reason: DisconnectReason, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.#cleanupEngine();
    this.#decoder.reset();
    this.readyState = "closed";
    this.#updateSnapshot({ status: "disconnected", transport: undefined, id: undefined });
    this.emitEvent("close", reason, description as DisconnectDescription | undefined);
    if (!this.#skipReconnect) this.#maybeReconnect();
  }

  #maybeReconnect(): void {
    if (!this.opts.reconnection || this.#skipReconnect || this.reconnecting) return;
    if (this.#attempts >= this.opts.reconnectionAttempts) {
      this.#attempts = 0;
      this.#updateSnapshot({ status: "disconnected", nextRetryAt: undefined, attempt: 0 });
      this.emitEvent("reconnect_failed");
      return;
    }
    if (!this.#lifecycle.isOnline()) {
      // No attempt is spent while the platform says offline; `online` starts one at once.
      this.reconnecting = false;
      this.#updateSnapshot({ status: "offline", nextRetryAt: undefined });
      return;
    }
    // A hidden page waits as if at the cap: it spares the server, and `visible` retries at once.
    const delay = computeBackoffDelay(this.#lifecycle.isVisible() ? this.#attempts : Infinity, {
      min: this.opts.reconnectionDelay,
      max: this.opts.reconnectionDelayMax,
      // Left out (undefined), full jitter: computeBackoffDelay's default.
      jitter: this.#randomizationFactor,
    });
    this.#attempts++;
    this.reconnecting = true;
    this.emitEvent("backoff", this.#attempts, delay);
    this.#updateSnapshot({
      status: "reconnecting",
      attempt: this.#attempts,
      nextRetryAt: Date.now() + delay,
    });
    // setTimeout fires at once past 2^31 - 1 ms: a huge cap must not turn into a tight loop.
    this.#reconnectTimer = setTimeout(() => this.#attempt(), Math.min(delay, MAX_TIMER_DELAY));
    if (this.opts.autoUnref) unref(this.#reconnectTimer);
  }

  /**
   * Checks the connection against the wall clock now: past `pingInterval + pingTimeout`
   * without traffic, it is dropped ("ping timeout") and the reconnection loop starts. For
   * lifecycle signals (visible, pageshow, resume, online). Returns whether it is alive.
   */
  checkLiveness(now = Date.now()): boolean {
    return this.engine?.checkLiveness(now) ?? false;
  }

  /**
   * Makes the scheduled reconnection attempt now instead of after its delay (what `connect()`
   * does during a wait). Does nothing when no attempt is waiting.
   */
  reconnectNow(): void {
    if (this.#reconnectTimer !== undefined) this.#attempt();
  }

  /** Calls off the scheduled reconnection attempt; returns whether one was waiting. */
  #cancelAttempt(): boolean {
    if (this.#reconnectTimer === undefined) return false;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.reconnecting = false;
    return true;
  }

  #attempt(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (this.#skipReconnect) return;
    this.emitEvent("reconnect_attempt", this.#attempts);
    // A listener may have closed everything (socket.disconnect()): that ends the loop.
    if (this.#skipReconnect) return;
    this.open((error) => {
      if (!error) return;
      this.reconnecting = false;
      // socket.io-client's order: the next attempt (or reconnect_failed) first, then the error.
      this.#maybeReconnect();
      this.emitEvent("reconnect_error", error);
    });
  }

  #onLifecycle(signal: LifecycleSignal, detail: LifecycleDetail): void {
    this.emitEvent("lifecycle", signal, detail);
    // hidden and freeze change nothing: what follows them (visible, resume) does.
    switch (signal) {
      case "offline":
        // Keep a live connection (the signal is often wrong), but spend no attempts.
        this.#offlineSignalled = true;
        // The waiting attempt was counted when scheduled: give it back.
        if (this.#cancelAttempt()) this.#attempts = Math.max(0, this.#attempts - 1);
        this.#updateSnapshot({ status: "offline", nextRetryAt: undefined });
        break;
      case "online":
        this.#onOnline();
        break;
      case "pagehide":
        if (this.opts.closeOnPageHide && this.readyState !== "closed") {
          this.#closeSession();
          this.#closedForPageHide = true;
        }
        break;
      case "pageshow":
        if (this.#closedForPageHide) this.open();
        else if (detail.persisted || this.readyState !== "closed") this.#checkNow();
        break;
      case "visible":
      case "resume":
        this.#checkNow();
        break;
    }
  }

  /** Online: a live connection is "connected" again and checked; otherwise one attempt at once. */
  #onOnline(): void {
    this.#offlineSignalled = false;
    if (this.readyState === "open") {
      this.#updateSnapshot({ status: "connected" });
      this.#checkNow();
      return;
    }
    if (this.readyState === "closed" && (this.#skipReconnect || !this.opts.reconnection)) return;
    if (this.readyState === "opening") {
      // An attempt begun offline may hang on a dead interface: abandon it and start afresh.
      // One begun online goes on, and the status says so again.
      if (!this.#openedOffline) {
        this.#updateSnapshot({ status: this.#attempts > 0 ? "reconnecting" : "connecting" });
        return;
      }
      this.#cleanupEngine();
      this.engine?.close();
      this.readyState = "closed";
      // A first attempt (no connect_error yet) starts over as the first, as socket.io-client
      // shows a first connection: a connection that never opened has nothing to reconnect.
      if (!this.#attempts) {
        this.open(this.#openCallback);
        return;
      }
    }
    // A scheduled attempt was counted when it was scheduled; otherwise this one counts now.
    if (!this.#cancelAttempt()) this.#attempts++;
    this.reconnecting = true;
    this.#updateSnapshot({ attempt: this.#attempts });
    this.#attempt();
  }

  /**
   * Visible, resumed or shown again: past its deadline the connection gets a short grace to
   * read a ping queued while frozen, then is replaced at once; a waiting attempt happens now.
   */
  #checkNow(): void {
    if (this.readyState === "open") {
      if (!this.engine?.hasExpired()) return;
      clearTimeout(this.#graceTimer);
      this.#graceTimer = setTimer(() => {
        if (this.checkLiveness()) return;
        this.reconnectNow();
      }, this.opts.livenessGrace);
      if (this.opts.autoUnref) unref(this.#graceTimer);
      return;
    }
    this.reconnectNow();
  }

  #cleanupEngine(): void {
    for (const unsubscribe of this.#engineSubscriptions) unsubscribe();
    this.#engineSubscriptions = [];
  }

  /**
   * Recomputes the snapshot after a change a socket or the outbox made (outbox size,
   * `recovered`); notifies subscribers only if something changed.
   */
  refreshSnapshot(change?: Partial<Pick<ConnectionSnapshot, "recovered">>): void {
    this.#updateSnapshot(change);
  }

  /** Applies `change` (none: only the outbox size is recounted) and notifies if anything moved. */
  #updateSnapshot(change?: Partial<ConnectionSnapshot>): void {
    // Sockets may share one outbox: count each once.
    let outboxSize = 0;
    for (const outbox of new Set(Array.from(this.nsps.values(), (socket) => socket.outbox)))
      outboxSize += outbox.size;
    const next = { ...this.#snapshot, ...change, outboxSize };
    const changed = (Object.keys(next) as Array<keyof ConnectionSnapshot>).some(
      (key) => next[key] !== this.#snapshot[key],
    );
    if (!changed) return;
    this.#snapshot = Object.freeze(next);
    for (const listener of [...this.#stateListeners]) callListener(listener, undefined, []);
    this.emitEvent("state", this.#snapshot);
  }
}
