import type { EnginePacket } from "../protocol/engine.ts";
import type { BinaryData } from "../protocol/packet.ts";
import { openPacket } from "../server-core/open-packet.ts";
import type { OutgoingItem, SessionTransport } from "./session-transport.ts";

/** Ms between noops to a GET that arrives while a WebSocket is taking over (engine.io's). */
const UPGRADE_NUDGE_INTERVAL = 100;

/** Heartbeat and size limits of one session. */
export interface EngineSessionOptions {
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** Where a session reports what the client sent and how the session ended. */
export interface EngineSessionEvents {
  /** One Engine.IO message payload (a Socket.IO packet or one binary attachment). */
  message(data: string | BinaryData): void;
  /** The session ended, with socket.io's reason string (and, for "transport error", its error). */
  close(reason: string, description?: Error): void;
  /** A WebSocket took the session over from polling. */
  upgrade(): void;
  /** A packet arrived from the client (engine.io's `packet` event). */
  packet(packet: EnginePacket): void;
  /** A packet is about to be written to the client (engine.io's `packetCreate` event). */
  packetCreate(packet: EnginePacket): void;
  /** The client answered a ping (engine.io's `heartbeat` event). */
  heartbeat(): void;
}

/**
 * One Engine.IO v4 session of a mocked client. It writes the open packet, pings every
 * `pingInterval` and closes with "ping timeout" when no pong comes within `pingTimeout`, buffers
 * writes until the transport can take them, and moves from polling to a WebSocket on upgrade.
 */
export class EngineSession {
  readyState: "open" | "closed" = "open";
  transport: SessionTransport;
  /** Whether a WebSocket answered the probe and the client is pausing its polling. */
  private probed = false;
  private pinging = true;
  /** Whether a close packet went to the transport already: the client needs one only. */
  private closeWritten = false;
  private readonly buffer: OutgoingItem[] = [];
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private nudgeTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly id: string,
    transport: SessionTransport,
    private readonly options: EngineSessionOptions,
    upgrades: string[],
    private readonly events: EngineSessionEvents,
  ) {
    this.transport = transport;
    this.bind(transport);
    this.write(openPacket({ ...options, sid: id, upgrades }));
    this.schedulePing();
  }

  /** Sends one message: a text Socket.IO packet or one binary attachment. */
  send(data: string | BinaryData): void {
    this.write({ type: "message", data });
  }

  /** Sends a frame exactly as given, bypassing the Engine.IO encoder (to inject malformed input). */
  sendRaw(frame: string): void {
    this.write({ raw: frame });
  }

  /** Ends the session from the server side: a close packet, then the transport closes ("forced close"). */
  close(): void {
    if (this.readyState !== "open") return;
    this.write({ type: "close" });
    this.finish("forced close", false);
  }

  /** Loses the transport without a close packet, as a network failure would ("transport close"). */
  drop(): void {
    if (this.readyState !== "open") return;
    this.transport.drop();
    this.finish("transport close", true);
  }

  /** Stops pinging (and forgets a pong already asked for): the client will see a ping timeout. */
  stopPinging(): void {
    this.pinging = false;
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  /**
   * Lets `candidate` (a WebSocket opened with this session's id) take over: `2probe` gets
   * `3probe`, the waiting GET returns a noop so the client pauses polling, and the client's
   * `5` switches the session over.
   */
  upgrade(candidate: SessionTransport): void {
    candidate.bind({
      packet: (packet) => {
        if (this.readyState !== "open") return candidate.close([]);
        if (packet.type === "ping" && packet.data === "probe") {
          candidate.send([{ type: "pong", data: "probe" }]);
          this.probed = true;
          this.releasePoll();
          // A GET that arrives later is answered on the next tick of this timer, as engine.io
          // does: answering at once would spin with a client that keeps polling.
          clearInterval(this.nudgeTimer);
          this.nudgeTimer = setInterval(() => this.releasePoll(), UPGRADE_NUDGE_INTERVAL);
        } else if (packet.type === "upgrade" && this.probed) {
          this.endProbe();
          const previous = this.transport;
          this.transport = candidate;
          this.bind(candidate);
          previous.close([]);
          this.flush();
          this.events.upgrade();
        } else {
          candidate.close([]);
        }
      },
      drain: () => {},
      close: () => {
        // A probe that failed leaves the session on polling: what waited goes out there.
        this.endProbe();
        this.flush();
      },
    });
  }

  private bind(transport: SessionTransport): void {
    transport.bind({
      packet: (packet) => this.onPacket(packet),
      drain: () => this.flush(),
      close: (reason, description) => {
        if (transport === this.transport) this.finish(reason, true, description);
      },
    });
  }

  private write(item: OutgoingItem): void {
    if (this.readyState !== "open") return;
    // engine.io announces what it sends with sendPacket; its close packet goes another way.
    if ("type" in item && item.type !== "close") this.events.packetCreate(item);
    if ("type" in item && item.type === "close") this.closeWritten = true;
    this.buffer.push(item);
    this.flush();
  }

  private flush(): void {
    // While a WebSocket takes over, writes wait for it; the polling side only gets noops.
    if (this.probed && this.transport.name === "polling") return;
    if (!this.transport.writable || this.buffer.length === 0) return;
    this.transport.send(this.buffer.splice(0));
  }

  /** Returns the waiting GET with a noop, so the client can pause polling and send `5`. */
  private releasePoll(): void {
    if (this.transport.name === "polling" && this.transport.writable)
      this.transport.send([{ type: "noop" }]);
  }

  private endProbe(): void {
    this.probed = false;
    clearInterval(this.nudgeTimer);
  }

  private schedulePing(): void {
    clearTimeout(this.pingTimer);
    if (!this.pinging) return;
    this.pingTimer = setTimeout(() => {
      if (!this.pinging || this.readyState !== "open") return;
      this.write({ type: "ping" });
      this.pongTimer = setTimeout(
        () => this.finish("ping timeout", false),
        this.options.pingTimeout,
      );
    }, this.options.pingInterval);
  }

  private onPacket(packet: EnginePacket): void {
    if (this.readyState !== "open") return;
    this.events.packet(packet);
    switch (packet.type) {
      case "pong":
        clearTimeout(this.pongTimer);
        this.schedulePing();
        this.events.heartbeat();
        break;
      case "message":
        if (packet.data !== undefined) this.events.message(packet.data);
        break;
      case "close":
        // As engine.io: only over polling. Over a WebSocket the socket's own close ends the
        // session, after the events that came before it were handled.
        if (this.transport.name === "polling") this.finish("transport close", false);
        break;
      case "error":
        this.finish("parse error", false);
        break;
      default:
        break;
    }
  }

  private finish(reason: string, transportGone: boolean, description?: Error): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.endProbe();
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    if (!transportGone) {
      const final = this.buffer.splice(0);
      // A polling client learns of a server-side end from a close packet in its next GET.
      const told = this.closeWritten;
      if (this.transport.name === "polling" && !told && reason !== "transport close")
        final.push({ type: "close" });
      this.transport.close(final);
    }
    this.buffer.length = 0;
    this.events.close(reason, description);
  }
}
