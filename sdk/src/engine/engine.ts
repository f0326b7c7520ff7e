import { Emitter } from "../emitter.ts";
import { type BinaryData, ENGINE_PROTOCOL, type EnginePacket } from "../protocol/index.ts";
import type { Transport, TransportFactory, WebSocketConstructor } from "./transport.ts";

/** Options of one Engine.IO session. */
export interface EngineOptions {
  /** Absolute http(s) URL of the Engine.IO endpoint (path included), without query. */
  url: string;
  /** Extra query parameters sent with the handshake. */
  query: Record<string, string>;
  /** Transports in order of preference; the first one is used. */
  transports: TransportFactory[];
  /** Handshake timeout in ms. */
  timeout: number;
  WebSocket?: WebSocketConstructor | undefined;
  protocols?: string | string[] | undefined;
}

/** The server's handshake (`0{...}` open packet). */
export interface Handshake {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

export interface EngineEvents {
  [event: string]: (...args: never[]) => void;
  open: (handshake: Handshake) => void;
  data: (data: string | BinaryData) => void;
  packet: (packet: EnginePacket) => void;
  ping: () => void;
  error: (error: Error) => void;
  close: (reason: string, description?: unknown) => void;
}

type ReadyState = "opening" | "open" | "closing" | "closed";

/**
 * One Engine.IO v4 session: handshake, heartbeat, sending and receiving messages.
 * Liveness is judged by the wall clock (time since the last traffic), so a timer delayed by a
 * hidden tab cannot make a dead connection look alive, nor a live one look dead.
 */
export class Engine extends Emitter<EngineEvents> {
  readyState: ReadyState = "opening";
  id: string | undefined;
  handshake: Handshake | undefined;
  transport: Transport | undefined;
  /** `Date.now()` of the last frame received. */
  lastTrafficAt = 0;
  private readonly options: EngineOptions;
  private readonly pending: EnginePacket[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: EngineOptions) {
    super();
    this.options = options;
  }

  /** Starts the handshake with the first transport. */
  open(): void {
    const factory = this.options.transports[0];
    if (!factory) {
      this.fail(new Error("Wireline: the transports option lists no transport."));
      return;
    }
    this.armTimer(this.options.timeout, () => this.fail(new Error("Wireline: handshake timeout")));
    try {
      this.transport = factory.open(
        {
          url: this.options.url,
          query: { ...this.options.query, EIO: String(ENGINE_PROTOCOL), transport: factory.name },
          WebSocket: this.options.WebSocket,
          protocols: this.options.protocols,
        },
        {
          onOpen: () => {},
          onPacket: (packet) => this.onPacket(packet),
          onClose: (reason, description) => {
            if (this.readyState === "opening")
              this.fail(new Error(`Wireline: ${reason}`), description);
            else this.onClose(reason, description);
          },
        },
      );
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Queues a message; sent at once when open. Returns false when the session is dead. */
  send(data: string | BinaryData, options?: { compress?: boolean }): void {
    const packet: EnginePacket = { type: "message", data };
    if (options) packet.options = options;
    if (this.readyState === "open" && this.hasExpired()) {
      // The wall clock says the server is gone; don't write into a dead socket.
      this.onClose("ping timeout");
      return;
    }
    this.pending.push(packet);
    this.flush();
  }

  /** Whether the session is open and its writes go out now. */
  get writable(): boolean {
    return this.readyState === "open";
  }

  /** Closes the session (reason "forced close"). */
  close(): void {
    if (this.readyState === "closed" || this.readyState === "closing") return;
    if (this.readyState === "open") {
      this.readyState = "closing";
      this.transport?.send([{ type: "close" }]);
    }
    this.onClose("forced close");
  }

  /** Whether `pingInterval + pingTimeout` has passed since the last traffic. */
  hasExpired(now = Date.now()): boolean {
    const handshake = this.handshake;
    if (!handshake || this.readyState !== "open") return false;
    return now - this.lastTrafficAt > handshake.pingInterval + handshake.pingTimeout;
  }

  private flush(): void {
    if (this.readyState !== "open" || !this.transport || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.pending.length);
    this.transport.send(batch);
  }

  private onPacket(packet: EnginePacket): void {
    this.lastTrafficAt = Date.now();
    this.emitEvent("packet", packet);
    switch (packet.type) {
      case "open":
        this.onHandshake(packet.data);
        break;
      case "ping":
        this.transport?.send([{ type: "pong" }]);
        this.emitEvent("ping");
        this.armHeartbeat();
        break;
      case "message":
        if (packet.data !== undefined) this.emitEvent("data", packet.data);
        break;
      case "close":
        this.onClose("transport close");
        break;
      case "error":
        this.onClose("parse error");
        break;
      default:
        break;
    }
  }

  private onHandshake(data: unknown): void {
    let handshake: Handshake;
    try {
      handshake = JSON.parse(String(data)) as Handshake;
    } catch {
      this.fail(new Error("Wireline: the server's handshake is not valid JSON"));
      return;
    }
    if (typeof handshake.sid !== "string" || !Number.isFinite(handshake.pingInterval)) {
      this.fail(new Error("Wireline: the server's handshake lacks sid or pingInterval"));
      return;
    }
    this.handshake = handshake;
    this.id = handshake.sid;
    this.readyState = "open";
    this.emitEvent("open", handshake);
    this.armHeartbeat();
    this.flush();
  }

  private armHeartbeat(): void {
    const handshake = this.handshake;
    if (!handshake) return;
    const deadline = this.lastTrafficAt + handshake.pingInterval + handshake.pingTimeout;
    this.armTimer(Math.max(0, deadline - Date.now()) + 1, () => {
      // A throttled timer may fire late or early relative to traffic: ask the clock.
      if (this.hasExpired()) this.onClose("ping timeout");
      else this.armHeartbeat();
    });
  }

  private armTimer(delay: number, callback: () => void): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(callback, delay);
  }

  private fail(error: Error, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.emitEvent("error", error);
    this.onClose("transport error", description ?? error);
  }

  private onClose(reason: string, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.transport?.close();
    this.pending.length = 0;
    this.emitEvent("close", reason, description);
  }
}
