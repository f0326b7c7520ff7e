import { withCookieJar } from "#node-transport";
import { Emitter } from "../emitter.ts";
import {
  type BinaryData,
  ENGINE_PROTOCOL,
  type EngineBinaryType,
  type EnginePacket,
} from "../protocol/index.ts";
import { MAX_TIMER_DELAY } from "../timer-delay.ts";
import { unref } from "../unref.ts";
import {
  receivedBinaryType,
  type Transport,
  type TransportEvents,
  type TransportFactory,
  type TransportOptions,
} from "./transport.ts";

/**
 * Options of one Engine.IO session: what every transport needs (its `query` holding only the
 * app's parameters; the engine adds `EIO`, `transport` and `sid`), plus the session's own.
 */
export interface EngineOptions extends TransportOptions {
  /** Transports in order of preference; the first one is used, later ones are upgrades. */
  transports: TransportFactory[];
  /** Handshake timeout in ms; false waits for as long as the transport does. */
  timeout: number | false;
  /** Try to upgrade (e.g. polling → websocket) after the handshake. Default true. */
  upgrade?: boolean | undefined;
  /** Start on WebSocket when a previous upgrade to it succeeded in this page. Default false. */
  rememberUpgrade?: boolean | undefined;
  /**
   * When a transport fails before the handshake, try the next one listed; when it has no answer
   * after a head start, race the next one beside it. Default false.
   */
  tryAllTransports?: boolean | undefined;
  /** Options for one transport only, by its name, over the others. */
  transportOptions?: TransportOverrides | undefined;
}

/** socket.io-client's `transportOptions`: per transport name, options that apply to it alone. */
export type TransportOverrides = Record<
  string,
  Partial<Omit<TransportOptions, "url" | "WebSocket">>
>;

/** The server's handshake (`0{...}` open packet). */
export interface Handshake {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** Events of an {@link Engine}, as `socket.io.engine.on(...)` sees them. */
export interface EngineEvents {
  [event: string]: (...args: never[]) => void;
  open: (handshake: Handshake) => void;
  data: (data: string | BinaryData) => void;
  /** Every Engine.IO packet received. */
  packet: (packet: EnginePacket) => void;
  /** Every Engine.IO packet about to be written. */
  packetCreate: (packet: EnginePacket) => void;
  ping: () => void;
  /** A pong was written in answer to a ping. */
  pong: () => void;
  /** The server's handshake, just before `open`. */
  handshake: (handshake: Handshake) => void;
  /** Any packet arrived: the connection is alive. */
  heartbeat: () => void;
  /** A message arrived (the same as `data`, socket.io-client's other name for it). */
  message: (data: string | BinaryData) => void;
  /** Packets were handed to the transport. */
  flush: () => void;
  /** A probe succeeded; the upgrade to `transport` (its `name` says which) is under way. */
  upgrading: (transport: Transport) => void;
  /** The session now runs over `transport`. */
  upgrade: (transport: Transport) => void;
  /**
   * `waiting` had no answer after its head start: `started` is opened beside it, and the first
   * the server answers on carries the session (`tryAllTransports`, the default transports).
   */
  race: (started: string, waiting: string) => void;
  upgradeError: (error: Error) => void;
  error: (error: Error) => void;
  /** Everything written so far has been handed to the network. */
  drain: () => void;
  close: (reason: string, description?: unknown) => void;
}

type ReadyState = "opening" | "open" | "closing" | "closed";

/** Whether a WebSocket upgrade succeeded earlier in this page (for `rememberUpgrade`). */
let priorWebSocketSuccess = false;

/**
 * One Engine.IO v4 session: handshake, transport upgrade, heartbeat, sending and receiving
 * messages. Liveness is judged by the wall clock (time since the last traffic), so a timer
 * delayed by a hidden tab cannot make a dead connection look alive, nor a live one look dead.
 */
export class Engine extends Emitter<EngineEvents> {
  readyState: ReadyState = "opening";
  /**
   * The session id the server gave in its handshake. Typed as a string, as in socket.io-client;
   * it is undefined until the handshake and null once the session closed.
   */
  id!: string;
  handshake: Handshake | undefined;
  /**
   * The transport in use, e.g. `engine.transport.name`. Typed as always set, as in
   * socket.io-client; it is undefined only until `open()` starts the first transport.
   */
  transport!: Transport;
  /** `Date.now()` of the last frame received. */
  lastTrafficAt = 0;
  /**
   * What received binary data is handed over as, as engine.io-client's: "nodebuffer" in Node,
   * "arraybuffer" elsewhere; set "arraybuffer" (or "blob") to change it.
   */
  binaryType: EngineBinaryType = receivedBinaryType;
  readonly #options: EngineOptions;
  readonly #pending: EnginePacket[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** True between a successful probe and the switch: writes wait so none overtakes another. */
  #upgrading = false;
  #probe: Transport | undefined;
  #unrefd = false;
  /** Transports opened for the handshake that have not been answered yet. */
  #racing: Transport[] = [];
  /** The index in `transports` of the transport to try next. */
  #nextIndex = 0;
  #headStartTimer: ReturnType<typeof setTimeout> | undefined;
  /** The failure of the transport started last: what the attempt fails with if none is left. */
  #lastFailure: [error: Error, description: unknown] | undefined;

  constructor(options: EngineOptions) {
    super();
    // In Node, as socket.io-client: a sticky session's cookie goes back with every request.
    this.#options = withCookieJar(options);
  }

  /** Starts the handshake with the first transport (WebSocket first under `rememberUpgrade`). */
  open(): void {
    const { transports, rememberUpgrade } = this.#options;
    let index = 0;
    if (rememberUpgrade && priorWebSocketSuccess) {
      index = Math.max(
        0,
        transports.findIndex((t) => t.name === "websocket"),
      );
    }
    // socket.io-client's message, "timeout"; the description says what to check.
    const timeout = this.#options.timeout;
    if (timeout !== false) {
      this.#armTimer(timeout, () =>
        this.#fail(
          Object.assign(new Error("timeout"), {
            description: `no handshake from the server within ${timeout} ms; is it running and reachable?`,
          }),
        ),
      );
    }
    this.#openTransport(index);
  }

  #openTransport(index: number): void {
    const { transports, tryAllTransports } = this.#options;
    const factory = transports[index];
    if (!factory) {
      this.#fail(new Error("Wireline: the transports option lists no transport."));
      return;
    }
    this.#nextIndex = index + 1;
    clearTimeout(this.#headStartTimer);
    const canTryNext = () => tryAllTransports && this.#nextIndex < transports.length;
    try {
      /**
       * This transport failed before the handshake: a rival still racing goes on alone, else
       * the next transport is tried, else the attempt fails.
       */
      const failed = (error: Error, description?: unknown) => {
        this.#racing.splice(this.#racing.indexOf(transport), 1);
        transport.close();
        // The transport started last reports, as when they are tried in turn.
        if (index === this.#nextIndex - 1) this.#lastFailure = [error, description];
        const rival = this.#racing[0];
        if (rival) this.transport = rival;
        else if (canTryNext()) this.#openTransport(this.#nextIndex);
        else this.#fail(...(this.#lastFailure ?? [error, description]));
      };
      const transport = factory.open(this.#transportOptions(factory.name), {
        binaryType: () => this.binaryType,
        onOpen: () => {},
        onPacket: (packet) => {
          if (this.#racing.includes(transport)) {
            // The first transport to bring a valid handshake wins the race; anything else on
            // one while another still races (an HTML page, a close) is its failure.
            if (packet.type === "open" && readHandshake(packet.data)) this.#settleRace(transport);
            else if (this.#racing.length > 1) return failed(handshakeError());
          }
          if (this.transport === transport) this.#onPacket(packet);
        },
        onDrain: () => {
          if (this.transport === transport) this.#onDrain();
        },
        onClose: (reason, description) => {
          if (this.#racing.includes(transport))
            failed(transportError(factory.name, description), description);
          else if (this.transport !== transport) return;
          // A failed request, as socket.io-client tells it: the `error` event, and the same
          // error as the close's details.
          else if (reason === "transport error")
            this.#fail(transportError(factory.name, description));
          else this.#onClose(reason, description);
        },
      });
      // The first opened stays `transport` while others race it.
      if (this.#racing.push(transport) === 1) this.transport = transport;
      if (canTryNext()) this.#armHeadStart();
    } catch (error) {
      // E.g. no WebSocket constructor in this runtime: the next transport may still work.
      if (canTryNext()) this.#openTransport(this.#nextIndex);
      // One still racing may yet answer.
      else if (this.#racing.length > 0) return;
      // Deferred: `io()` is still running, and the app has not attached connect_error yet.
      else
        queueMicrotask(() => this.#fail(error instanceof Error ? error : new Error(String(error))));
    }
  }

  /**
   * Under `tryAllTransports`, a transport with no answer after {@link HEAD_START_MS} (at most
   * half the handshake `timeout`) gets the next one started beside it, rather than instead of
   * it: a proxy that holds WebSocket upgrades open no longer stalls the attempt, and a slow
   * but working server still wins with whichever transport it answers first.
   */
  #armHeadStart(): void {
    const { timeout } = this.#options;
    const delay = timeout === false ? HEAD_START_MS : Math.min(HEAD_START_MS, timeout / 2);
    this.#headStartTimer = setTimeout(() => {
      const waiting = this.#racing[0];
      if (this.readyState !== "opening" || !waiting) return;
      this.emitEvent("race", this.#options.transports[this.#nextIndex]!.name, waiting.name);
      this.#openTransport(this.#nextIndex);
    }, delay);
  }

  /**
   * `winner` answered first: the others racing to the handshake are closed, unheard, each
   * ending the session its own handshake may still open. Without a winner (the attempt is
   * over), all stop at once.
   */
  #settleRace(winner?: Transport): void {
    clearTimeout(this.#headStartTimer);
    for (const transport of this.#racing) if (transport !== winner) transport.close(!!winner);
    this.#racing = [];
    if (winner) this.transport = winner;
  }

  #transportOptions(name: string): TransportOptions {
    const o = this.#options;
    // socket.io-client's per-transport overrides, e.g. `{ polling: { extraHeaders } }`.
    const overrides = o.transportOptions?.[name];
    const query: Record<string, string> = {
      ...o.query,
      ...overrides?.query,
      EIO: String(ENGINE_PROTOCOL),
      transport: name,
    };
    if (this.id) query.sid = this.id;
    if (name !== "polling" && o.timestampRequests) {
      query[o.timestampParam ?? "t"] = Date.now().toString(36);
    }
    return { ...o, ...overrides, query };
  }

  /**
   * Queues a message; written at once when open and not mid-upgrade. As engine.io-client's:
   * `callback` runs once the message is written, and the engine is returned.
   */
  send(data: string | BinaryData, options?: { compress?: boolean }, callback?: () => void): this {
    const packet: EnginePacket = { type: "message", data };
    if (options) packet.options = options;
    if (this.hasExpired()) {
      // The wall clock says the server is gone (an open session only); don't write into a dead
      // socket.
      this.#onClose("ping timeout");
      return this;
    }
    if (callback) this.once("flush", callback);
    this.#pending.push(packet);
    this.#flush();
    return this;
  }

  /** Alias of {@link Engine.send}, as in engine.io-client. */
  write(data: string | BinaryData, options?: { compress?: boolean }, callback?: () => void): this {
    return this.send(data, options, callback);
  }

  /** Whether the session is open and its writes go out now. */
  get writable(): boolean {
    return this.readyState === "open" && !this.#upgrading;
  }

  /** Closes the session (reason "forced close"). */
  close(): void {
    if (this.readyState === "closed" || this.readyState === "closing") return;
    if (this.readyState === "open") {
      this.readyState = "closing";
      // What waited for an upgrade to finish goes first, as it was written.
      this.#write([...this.#pending.splice(0), { type: "close" }]);
    }
    this.#onClose("forced close");
  }

  /** Whether `pingInterval + pingTimeout` has passed since the last traffic. */
  hasExpired(now = Date.now()): boolean {
    const handshake = this.handshake;
    if (!handshake || this.readyState !== "open") return false;
    return now - this.lastTrafficAt > handshake.pingInterval + handshake.pingTimeout;
  }

  /**
   * Closes the session with reason "ping timeout" if the wall clock says it is dead; for
   * moments a timer may have missed (a tab made visible, a page resumed or back online).
   * Returns whether the session is still alive.
   */
  checkLiveness(now = Date.now()): boolean {
    if (this.hasExpired(now)) this.#onClose("ping timeout");
    return this.readyState === "open";
  }

  /** Only while open: a session opens on a transport's handshake, and keeps one from then on. */
  #write(packets: EnginePacket[]): void {
    for (const packet of packets) this.emitEvent("packetCreate", packet);
    this.transport.send(packets);
    this.emitEvent("flush");
  }

  #onDrain(): void {
    if (this.#pending.length === 0) this.emitEvent("drain");
  }

  #flush(): void {
    if (!this.writable || this.#pending.length === 0) return;
    this.#write(this.#pending.splice(0));
  }

  #onPacket(packet: EnginePacket): void {
    this.lastTrafficAt = Date.now();
    this.emitEvent("packet", packet);
    this.emitEvent("heartbeat");
    switch (packet.type) {
      case "open":
        // One per session: a second (a confused server) would start a second upgrade probe.
        if (this.readyState === "opening") this.#onHandshake(packet.data);
        break;
      case "ping":
        this.#write([{ type: "pong" }]);
        this.emitEvent("ping");
        this.emitEvent("pong");
        this.#armHeartbeat();
        break;
      case "message":
        if (packet.data !== undefined) {
          this.emitEvent("data", packet.data);
          this.emitEvent("message", packet.data);
        }
        break;
      case "close":
        if (this.readyState === "opening") this.#fail(handshakeError());
        else this.#onClose("transport close", { description: "transport closed by the server" });
        break;
      case "error":
        // As engine.io-client: a frame that is not Engine.IO fails the session with an error.
        this.#fail(parserError());
        break;
    }
  }

  #onHandshake(data: unknown): void {
    const handshake = readHandshake(data);
    if (!handshake) {
      this.#fail(handshakeError());
      return;
    }
    this.handshake = handshake;
    this.id = handshake.sid;
    this.readyState = "open";
    if (this.transport.name === "websocket") priorWebSocketSuccess = true;
    this.emitEvent("handshake", handshake);
    this.emitEvent("open", handshake);
    this.#armHeartbeat();
    this.#flush();
    this.#maybeUpgrade();
  }

  /** Probes the best transport the server offers that is listed after the current one. */
  #maybeUpgrade(): void {
    if (this.#options.upgrade === false || !this.transport?.pause || this.readyState !== "open") {
      return;
    }
    const current = this.transport.name;
    const upgrades = this.handshake?.upgrades ?? [];
    const target = this.#options.transports.find(
      (t) => t.name !== current && upgrades.includes(t.name),
    );
    if (target) this.#startProbe(target);
  }

  #startProbe(factory: TransportFactory): void {
    let settled = false;
    /** The transport asked to pause for the switch: it must go on if the switch does not happen. */
    let paused: Transport | undefined;
    const giveUp = (error: Error) => {
      if (settled) return;
      settled = true;
      this.#probe = undefined;
      this.#upgrading = false;
      probe.close();
      paused?.resume?.();
      this.emitEvent("upgradeError", error);
      this.#flush();
    };
    const events: TransportEvents = {
      binaryType: () => this.binaryType,
      onOpen: () => {
        if (!settled) probe.send([{ type: "ping", data: "probe" }]);
      },
      onPacket: (packet) => {
        if (settled) {
          if (this.transport === probe) this.#onPacket(packet);
          return;
        }
        if (packet.type !== "pong" || packet.data !== "probe") {
          giveUp(new Error(`Wireline: the ${factory.name} probe got no "probe" pong`));
          return;
        }
        this.#upgrading = true;
        this.emitEvent("upgrading", probe);
        const old = this.transport;
        paused = old;
        old?.pause?.(() => {
          if (settled || this.readyState !== "open") return giveUp(new Error("closed"));
          settled = true;
          this.#probe = undefined;
          // Nothing is in flight on the old transport now: switch, then release held writes.
          probe.send([{ type: "upgrade" }]);
          this.transport = probe;
          if (this.#unrefd) probe.unref?.();
          old.close();
          this.#upgrading = false;
          if (factory.name === "websocket") priorWebSocketSuccess = true;
          this.emitEvent("upgrade", probe);
          this.#flush();
        });
      },
      onDrain: () => {
        if (this.transport === probe) this.#onDrain();
      },
      onClose: (reason, description) => {
        if (!settled) {
          giveUp(new Error(`Wireline: the ${factory.name} probe closed (${reason})`));
          return;
        }
        if (this.transport === probe) this.#onClose(reason, description);
      },
    };
    let probe: Transport;
    try {
      probe = factory.open(this.#transportOptions(factory.name), events);
    } catch (error) {
      this.emitEvent("upgradeError", error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#probe = probe;
  }

  /**
   * Node: from now on this session does not keep the process alive (its timer and its
   * WebSocket connection are unref'd; polling requests still are not).
   */
  unref(): void {
    this.#unrefd = true;
    unref(this.#timer);
    this.transport?.unref?.();
  }

  /**
   * Arms the heartbeat timer for the rest of `pingInterval + pingTimeout` after the last frame,
   * `sinceTraffic` ms ago (by default by the wall clock, right after a frame arrived).
   */
  #armHeartbeat(sinceTraffic = Math.max(0, Date.now() - this.lastTrafficAt)): void {
    const handshake = this.handshake;
    // A listener of `open` or `ping` may have closed the session already.
    if (!handshake || this.readyState !== "open") return;
    const trafficAt = this.lastTrafficAt;
    const delay = Math.max(0, handshake.pingInterval + handshake.pingTimeout - sinceTraffic) + 1;
    this.#armTimer(delay, () => {
      // A timer fires late (a throttled or sleeping page), never early: with no frame since it
      // was armed, the deadline has passed whatever the wall clock says now (it may have been
      // stepped back). A delay capped to a timer's range fires early on purpose, and re-arms.
      const silent = this.lastTrafficAt === trafficAt && delay <= MAX_TIMER_DELAY;
      if (silent || this.hasExpired()) this.#onClose("ping timeout");
      // A frame came since, so at most `delay` ago: the wall clock's figure, kept within that.
      else this.#armHeartbeat(Math.min(Math.max(0, Date.now() - this.lastTrafficAt), delay));
    });
  }

  #armTimer(delay: number, callback: () => void): void {
    clearTimeout(this.#timer);
    // Capped as timers are (a longer delay fires at once); a capped one re-arms on firing.
    this.#timer = setTimeout(callback, Math.min(delay, MAX_TIMER_DELAY));
    if (this.#unrefd) unref(this.#timer);
  }

  #fail(error: Error, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.emitEvent("error", error);
    this.#onClose("transport error", description ?? error);
  }

  #onClose(reason: string, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#probe?.close();
    this.#probe = undefined;
    this.#settleRace();
    this.transport?.close();
    this.#pending.length = 0;
    // The session is over: null from here on, as engine.io-client's.
    this.id = null as unknown as string;
    this.emitEvent("close", reason, description);
  }
}

/** How long a transport has to get an answer before the next one races it (tryAllTransports). */
const HEAD_START_MS = 2500;

/**
 * The server's handshake from an open packet's data, or undefined when it is not a usable one
 * (JSON with a sid and ping timings); fields it cannot use are dropped: no upgrade, no size limit.
 */
function readHandshake(data: unknown): Handshake | undefined {
  let handshake: Handshake | null;
  try {
    handshake = JSON.parse(String(data)) as Handshake | null;
  } catch {
    return undefined;
  }
  if (
    typeof handshake?.sid !== "string" ||
    !isDuration(handshake.pingInterval) ||
    !isDuration(handshake.pingTimeout)
  ) {
    return undefined;
  }
  if (!Array.isArray(handshake.upgrades)) handshake.upgrades = [];
  // Compared only as a number: an object's valueOf could throw out of the transport's listener.
  if (!(typeof handshake.maxPayload === "number" && handshake.maxPayload > 0))
    delete (handshake as Partial<Handshake>).maxPayload;
  return handshake;
}

/** Whether a handshake field is a usable number of ms. */
const isDuration = (value: unknown): value is number =>
  Number.isFinite(value) && (value as number) >= 0;

/** The server answered, but not with a usable Engine.IO v4 handshake (JSON with sid and ping timings). */
const handshakeError = () =>
  new Error(
    "Wireline: the server sent no valid Engine.IO v4 handshake; is a Socket.IO v3+ server at this URL and path?",
  );

/** A frame that is not Engine.IO, as engine.io-client reports it: "server error", `code` "parser error". */
function parserError(): Error {
  return Object.assign(new Error("server error"), { code: "parser error" });
}

/**
 * A transport that failed, as socket.io-client reports it: its message ("websocket error",
 * "xhr poll error"), which apps compare, with `type` "TransportError", a `description` (a
 * polling request's HTTP status, 0 when none came, as an XHR's; a WebSocket's close event)
 * and for polling the cause as `context` (the failed request's `status` and `responseText`,
 * or the network error).
 */
function transportError(name: string, cause: unknown): Error {
  const failed = cause as { status?: unknown; context?: unknown } | undefined;
  const polling = name === "polling";
  return Object.assign(new Error(polling ? "xhr poll error" : `${name} error`), {
    type: "TransportError",
    description: polling ? (failed?.status ?? 0) : (failed?.context ?? cause),
    context: polling ? cause : undefined,
  });
}
