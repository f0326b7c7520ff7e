import { EventEmitter } from "node:events";
import type { BinaryData, EnginePacket } from "@wireline/sdk/protocol";
import { openPacket } from "@wireline/sdk/server-core";
import type { ServerTransport } from "./server-transport.ts";

/** Ms a WebSocket may take between opening and completing the upgrade. */
const UPGRADE_TIMEOUT = 10_000;

/** Ms a closing session waits for its transport to take the last packets (engine.io: 30 s). */
const CLOSE_TIMEOUT = 30_000;

/** Heartbeat and size limits of one session. */
export interface EngineSocketOptions {
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/**
 * One Engine.IO v4 session, with the `engine.io` package's socket shape: `send(data)`,
 * `close()`, and `message`/`data`/`close` events. Writes are buffered until the transport can
 * take them (a polling GET is waiting). The server pings every `pingInterval`; no pong within
 * `pingTimeout` closes the session ("ping timeout"). It can move from polling to WebSocket.
 */
export class EngineSocket extends EventEmitter {
  readonly id: string;
  /** The Engine.IO protocol revision spoken, as engine.io's `socket.protocol`. */
  readonly protocol = 4;
  readyState: "open" | "closing" | "closed" = "open";
  transport: ServerTransport;
  /** Whether the session moved onto a WebSocket that probed for it; it takes no other after. */
  upgraded = false;
  /** Whether a WebSocket is probing to take over (only one at a time). */
  upgrading = false;
  /** When set, pings stop (a silently dead server). */
  pingsPaused = false;
  /** When set, a dead path: incoming packets are swallowed and what the server writes is lost. */
  blackHoled = false;
  private readonly options: EngineSocketOptions;
  private readonly buffer: EnginePacket[] = [];
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(
    id: string,
    transport: ServerTransport,
    options: EngineSocketOptions,
    upgrades: string[],
  ) {
    super();
    this.id = id;
    this.options = options;
    this.transport = transport;
    this.bind(transport);
    this.write(openPacket({ ...options, sid: id, upgrades }));
    this.schedulePing();
  }

  /** Sends one message (text or binary). */
  send(data: string | BinaryData, options?: { compress?: boolean }): this {
    const packet: EnginePacket = { type: "message", data };
    if (options) packet.options = options;
    this.write(packet);
    return this;
  }

  /** Queues a packet and writes it as soon as the transport can; emits `packetCreate` as engine.io does. */
  write(packet: EnginePacket): void {
    if (this.readyState !== "open") return;
    this.emit("packetCreate", packet);
    // Written, as far as the server knows; a dead path never delivers it.
    if (this.blackHoled) return;
    this.buffer.push(packet);
    this.flush();
  }

  /**
   * Closes the session (reason "forced close") once the packets still buffered are written, as
   * engine.io does: a polling session ends its last GET with a close packet, a WebSocket just
   * closes. With `discard` (the server shutting down), it closes at once.
   */
  close(discard = false): void {
    if (this.readyState === "closed") return;
    if (discard) {
      this.finish("forced close");
      return;
    }
    if (this.readyState !== "open") return;
    this.readyState = "closing";
    // A client that never polls again must not hold the session forever.
    this.closeTimer = setTimeout(() => this.finish("forced close"), CLOSE_TIMEOUT);
    this.flush();
  }

  /** Drops the connection without a close packet, as a network failure would. */
  terminate(): void {
    this.transport.terminate();
    this.finish("transport close");
  }

  /** Stops pinging and stops waiting for a pong already asked for (its answer may never come). */
  pausePings(): void {
    this.pingsPaused = true;
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  /** Resumes pinging after {@link EngineSocket.pausePings}. */
  resumePings(): void {
    this.pingsPaused = false;
    this.schedulePing();
  }

  /**
   * Probes `candidate` (a WebSocket) and moves the session onto it: `2probe`→`3probe`, a noop
   * to the waiting GET so the client pauses polling, then the client's `5` switches over and
   * the previous transport is closed.
   */
  upgrade(candidate: ServerTransport): void {
    this.upgrading = true;
    // A probe that never completes must not hold the WebSocket forever (engine.io: 10 s).
    const abandon = setTimeout(() => candidate.close(), UPGRADE_TIMEOUT);
    // After the probe the client pauses polling; a GET that arrives meanwhile gets a noop
    // so it returns and the client can send `5`. A session on WebSocket already (engine.io lets
    // a second one take over) has no GET to release: its WebSocket gets nothing.
    let nudge: NodeJS.Timeout | undefined;
    const release = () => {
      if (this.transport.name === "polling" && this.transport.writable)
        this.transport.send([{ type: "noop" }]);
    };
    const onSessionClose = () => candidate.close();
    this.once("close", onSessionClose);
    const onPacket = (packet: EnginePacket) => {
      if (packet.type === "ping" && packet.data === "probe") {
        candidate.send([{ type: "pong", data: "probe" }]);
        release();
        clearInterval(nudge);
        nudge = setInterval(release, 100);
      } else if (packet.type === "upgrade" && this.readyState !== "closed") {
        clearTimeout(abandon);
        clearInterval(nudge);
        this.upgrading = false;
        this.off("close", onSessionClose);
        candidate.off("packet", onPacket);
        candidate.off("close", onFailed);
        const previous = this.transport;
        previous.removeAllListeners();
        previous.close();
        this.transport = candidate;
        this.upgraded = true;
        this.bind(candidate);
        this.emit("upgrade", candidate);
        this.flush();
      } else {
        candidate.close();
      }
    };
    const onFailed = () => {
      this.upgrading = false;
      clearTimeout(abandon);
      clearInterval(nudge);
      this.off("close", onSessionClose);
      candidate.off("packet", onPacket);
    };
    candidate.on("packet", onPacket);
    candidate.once("close", onFailed);
  }

  private bind(transport: ServerTransport): void {
    transport.on("packet", (packet: EnginePacket) => this.onPacket(packet));
    transport.on("drain", () => this.flush());
    transport.once("close", (reason: string, error?: Error) => {
      if (transport === this.transport) this.finish(reason, error);
    });
  }

  private flush(): void {
    if (this.buffer.length > 0 && this.transport.writable)
      this.transport.send(this.buffer.splice(0));
    if (this.readyState !== "closing" || this.buffer.length > 0 || !this.transport.writable) return;
    // As engine.io: a closing polling session answers a GET of its own with the close packet, so
    // the client handles the packets before it first (socket.io-client dispatches them a tick
    // later); a WebSocket's own close says it.
    if (this.transport.name === "polling") this.transport.send([{ type: "close" }]);
    this.finish("forced close");
  }

  private schedulePing(): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      if (this.pingsPaused || this.readyState !== "open") return;
      this.write({ type: "ping" });
      this.pongTimer = setTimeout(() => this.finish("ping timeout"), this.options.pingTimeout);
    }, this.options.pingInterval);
  }

  private onPacket(packet: EnginePacket): void {
    if (this.blackHoled) return;
    if (packet.type === "close") {
      this.onClosePacket();
      return;
    }
    if (this.readyState !== "open") return;
    switch (packet.type) {
      case "pong":
        clearTimeout(this.pongTimer);
        this.schedulePing();
        this.emit("heartbeat");
        break;
      case "message":
        this.emit("data", packet.data);
        this.emit("message", packet.data);
        break;
      case "error":
        this.finish("parse error");
        break;
      default:
        break;
    }
  }

  /**
   * As engine.io: a client's close packet ends the session only over polling, where nothing
   * else would say the client left, and even while the server is closing it. Over WebSocket it
   * is ignored: the socket's own close, which follows, ends the session, after the messages
   * sent before it were handled (socket.io runs their listeners a tick later).
   */
  private onClosePacket(): void {
    if (this.transport.name === "polling") this.finish("transport close");
  }

  /** Ends the session; `error` is what failed, for a "transport error". */
  private finish(reason: string, error?: Error): void {
    if (this.readyState === "closed") return;
    const closing = this.readyState === "closing";
    this.readyState = "closed";
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.closeTimer);
    // engine.io ends a waiting GET with a close packet when the server ends the session
    // (a client that sent its own close packet gets a noop instead, from transport.close()).
    if (!closing && reason !== "transport close" && this.transport.name === "polling")
      if (this.transport.writable) this.transport.send([{ type: "close" }]);
    if (!closing) this.transport.close();
    else setTimeout(() => this.transport.close(), 0);
    this.buffer.length = 0;
    this.emit("close", reason, error);
  }
}
