import type { Server as HttpServer } from "node:http";
import { MAX_TIMER_DELAY } from "@wireline/sdk/server-core";
import type { EngineSocket } from "./engine/engine-socket.ts";
import { type FaultEndpointAccess, serveFaultRequest } from "./fault-endpoint.ts";
import { type Storm, type StormFaultName, type StormOptions, startStorm } from "./fault-storm.ts";
import { claimRequests } from "./http-routing.ts";
import type { Server } from "./server.ts";

/** A fault request, as JSON to `POST {path}__faults` or as arguments to `io.faults`. */
export type FaultAction =
  | { action: "dropTransports" }
  | { action: "stopPings"; scope?: FaultScope }
  | { action: "blackHole"; scope?: FaultScope }
  | { action: "refuseWebSocket" }
  | { action: "holdWebSocket" }
  | { action: "rejectHandshakes"; status?: number }
  | { action: "delayHandshakes"; ms: number }
  | { action: "closeAfterPackets"; count: number }
  | { action: "restart"; keepRecoveryState?: boolean; downtimeMs?: number }
  | {
      action: "storm";
      seed?: number;
      faults?: StormFaultName[];
      gapMs?: [number, number];
      holdMs?: [number, number];
    }
  | { action: "clear"; fault?: FaultName };

/**
 * Which connections a silent fault hits: `all` (default) those open now and every later one, a
 * dead server; `current` only those open now, a dead network path (a NAT or proxy that forgot
 * them) while new connections work.
 */
export type FaultScope = "all" | "current";

/** The faults that last until cleared, by the name `clear` takes. */
export type FaultName =
  | "stopPings"
  | "blackHole"
  | "refuseWebSocket"
  | "holdWebSocket"
  | "rejectHandshakes"
  | "delayHandshakes"
  | "closeAfterPackets"
  | "restart"
  | "storm";

const FAULT_NAMES: ReadonlySet<string> = new Set<FaultName>([
  "stopPings",
  "blackHole",
  "refuseWebSocket",
  "holdWebSocket",
  "rejectHandshakes",
  "delayHandshakes",
  "closeAfterPackets",
  "restart",
  "storm",
]);

/**
 * Misbehaviour on cue, for tests: drop connections, stop pinging, swallow frames, refuse or
 * delay handshakes, refuse or hold WebSocket, close after N packets, restart. Every lasting
 * fault holds until {@link Faults.clear} (one by name, or all).
 *
 * @example
 * io.faults.stopPings();          // clients see a silently dead server
 * io.faults.clear("stopPings");   // pings resume
 */
export class Faults {
  private pingsStopped = false;
  private blackHoled = false;
  private rejectStatus: number | undefined;
  private handshakeDelay = 0;
  private closeAfter: number | undefined;
  private downUntil = 0;
  private readonly sentPackets = new WeakMap<EngineSocket, number>();
  /** Connections whose pings `stopPings` stopped (`clear` of another fault leaves them so). */
  private readonly pingsStoppedOn = new WeakSet<EngineSocket>();
  /** Handshakes `delayHandshakes` holds: released (refused) when the server closes. */
  private readonly heldHandshakes = new Set<{ timer: NodeJS.Timeout; release: () => void }>();
  /** Handshakes a black hole swallows: they go on when it is cleared, end when the server closes. */
  private readonly swallowedHandshakes = new Set<() => void>();
  private runningStorm: Storm | undefined;
  /** Set as the server closes: a storm started later would strike a closed server for ever. */
  private closed = false;

  constructor(private readonly io: Server) {
    io.engine.once("closed", () => {
      this.closed = true;
    });
  }

  /** Drops every open transport now, without a close packet (as a network failure would). */
  dropTransports(): void {
    for (const client of [...this.io.engine.clients.values()]) client.terminate();
  }

  /**
   * Simulates a server restart: every transport drops; connection state recovery keeps its
   * sessions and missed events only with `keepRecoveryState`.
   */
  restart(options: { keepRecoveryState?: boolean; downtimeMs?: number } = {}): void {
    const downtime = positive("downtimeMs", options.downtimeMs ?? 0, true, MAX_TIMER_DELAY);
    // While "down", new handshakes get 503 as from a proxy in front of a restarting server.
    this.downUntil = Date.now() + downtime;
    this.dropTransports();
    // Dropped sockets have just saved their sessions; a restart that loses state forgets them.
    if (!options.keepRecoveryState) this.io.recovery?.clear();
  }

  /**
   * Stops sending pings: a silently dead server on every connection, present and future, or with
   * `scope: "current"` only on those open now.
   */
  stopPings(options: { scope?: FaultScope } = {}): void {
    if (scopeOf(options.scope) === "all") this.pingsStopped = true;
    for (const client of this.io.engine.clients.values()) {
      this.pingsStoppedOn.add(client);
      client.pausePings();
    }
  }

  /**
   * A dead path: frames from the client are swallowed and nothing reaches it (no pings, no
   * events), on every connection present and future, or with `scope: "current"` only on those
   * open now.
   */
  blackHole(options: { scope?: FaultScope } = {}): void {
    if (scopeOf(options.scope) === "all") this.blackHoled = true;
    for (const client of this.io.engine.clients.values()) {
      client.blackHoled = true;
      client.pausePings();
    }
  }

  /** Refuses WebSocket connections and upgrades, so clients must use HTTP long-polling. */
  refuseWebSocket(): void {
    this.io.engine.refuseWebSocket = true;
  }

  /**
   * Leaves WebSocket connections and upgrades unanswered, open and silent, while HTTP polling
   * works: a proxy that holds upgrades. Clearing it ends the requests held.
   */
  holdWebSocket(): void {
    this.io.engine.holdWebSocket = true;
  }

  /** Refuses new handshakes with this HTTP error status (400-599, default 503). */
  rejectHandshakes(status = 503): void {
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new Error(
        `Wireline: rejectHandshakes needs an HTTP error status (400-599), got ${JSON.stringify(status)}`,
      );
    this.rejectStatus = status;
  }

  /** Delays new handshakes by `ms` (a whole number up to 2^31 - 1, a timer's range). */
  delayHandshakes(ms: number): void {
    this.handshakeDelay = positive("ms", ms, true, MAX_TIMER_DELAY);
  }

  /** Closes each connection after the server sent it `count` more packets. */
  closeAfterPackets(count: number): void {
    this.closeAfter = positive("count", count, false);
    for (const client of this.io.engine.clients.values()) this.sentPackets.set(client, 0);
  }

  /**
   * Faults at random moments until stopped, drawn by a seeded generator so that a run can be
   * replayed: see {@link StormOptions}. Replaces a storm already running; `clear()` or
   * `clear("storm")` also ends it. For tests of resilience, and to try an app against a bad
   * network during development.
   *
   * @example
   * const storm = io.faults.storm({ seed: 7, onFault: (fault) => console.log(fault) });
   * // … later
   * storm.stop();
   */
  storm(options: StormOptions = {}): Storm {
    if (this.closed)
      throw new Error(
        "Wireline: cannot start a storm on a closed server; start it before io.close()",
      );
    this.runningStorm?.stop();
    this.runningStorm = startStorm(this, options);
    return this.runningStorm;
  }

  /** Clears one lasting fault by name, or every fault (a running storm too) without one. */
  clear(fault?: FaultName): void {
    if (fault !== undefined && !FAULT_NAMES.has(fault))
      throw new Error(
        `Wireline: cannot clear unknown fault ${JSON.stringify(fault)}; use one of ${[...FAULT_NAMES].join(", ")} or omit "fault" to clear all`,
      );
    const all = fault === undefined;
    if (all || fault === "storm") {
      // Before the rest: stopping lifts what the storm holds.
      this.runningStorm?.stop();
    }
    if (all || fault === "rejectHandshakes") this.rejectStatus = undefined;
    if (all || fault === "delayHandshakes") this.handshakeDelay = 0;
    if (all || fault === "closeAfterPackets") this.closeAfter = undefined;
    if (all || fault === "refuseWebSocket") this.io.engine.refuseWebSocket = false;
    if (all || fault === "holdWebSocket") this.io.engine.holdWebSocket = false;
    if (all || fault === "restart") this.downUntil = 0;
    const clients = [...this.io.engine.clients.values()];
    if (all || fault === "blackHole") {
      this.blackHoled = false;
      for (const client of clients) client.blackHoled = false;
      this.releaseSwallowed();
    }
    if (all || fault === "stopPings") {
      this.pingsStopped = false;
      for (const client of clients) this.pingsStoppedOn.delete(client);
    }
    // A black hole also stops pings: a connection's resume once neither fault holds on it.
    for (const client of clients) {
      if (client.pingsPaused && !client.blackHoled && !this.pingsStoppedOn.has(client))
        client.resumePings();
    }
  }

  /**
   * The lasting faults in force now, e.g. `{ stopPings: true, rejectHandshakes: 503 }` (a
   * restart's downtime as the ms left).
   */
  active(): Partial<Record<FaultName, boolean | number>> {
    const active: Partial<Record<FaultName, boolean | number>> = {};
    if (this.pingsStopped) active.stopPings = true;
    if (this.blackHoled) active.blackHole = true;
    if (this.io.engine.refuseWebSocket) active.refuseWebSocket = true;
    if (this.io.engine.holdWebSocket) active.holdWebSocket = true;
    if (this.rejectStatus !== undefined) active.rejectHandshakes = this.rejectStatus;
    if (this.handshakeDelay > 0) active.delayHandshakes = this.handshakeDelay;
    if (this.closeAfter !== undefined) active.closeAfterPackets = this.closeAfter;
    if (this.runningStorm?.running) active.storm = this.runningStorm.seed;
    if (Date.now() < this.downUntil) active.restart = this.downUntil - Date.now();
    return active;
  }

  /** Applies one fault request. */
  apply(request: FaultAction): void {
    switch (request.action) {
      case "dropTransports":
        this.dropTransports();
        return;
      case "stopPings":
        this.stopPings({ scope: request.scope });
        return;
      case "blackHole":
        this.blackHole({ scope: request.scope });
        return;
      case "refuseWebSocket":
        this.refuseWebSocket();
        return;
      case "holdWebSocket":
        this.holdWebSocket();
        return;
      case "rejectHandshakes":
        this.rejectHandshakes(request.status ?? 503);
        return;
      case "delayHandshakes":
        this.delayHandshakes(request.ms);
        return;
      case "closeAfterPackets":
        this.closeAfterPackets(request.count);
        return;
      case "restart":
        this.restart({
          keepRecoveryState: request.keepRecoveryState === true,
          downtimeMs: request.downtimeMs,
        });
        return;
      case "storm":
        if (request.seed !== undefined) positive("seed", request.seed, true);
        this.storm({
          seed: request.seed,
          faults: request.faults,
          gapMs: request.gapMs,
          holdMs: request.holdMs,
        });
        return;
      case "clear":
        this.clear(request.fault);
        return;
      default:
        throw new Error(
          `Wireline: unknown fault action ${JSON.stringify((request as { action?: unknown }).action)}; see the mock-server README for the list`,
        );
    }
  }

  /** Called for every packet sent; enforces `closeAfterPackets`. */
  countPacket(conn: EngineSocket): void {
    if (this.closeAfter === undefined) return;
    const sent = (this.sentPackets.get(conn) ?? 0) + 1;
    this.sentPackets.set(conn, sent);
    if (sent >= this.closeAfter) conn.terminate();
  }

  /**
   * Wires the handshake gate and the HTTP control endpoint `{path}__faults`, which answers only
   * the callers the server's `cors` and `faultEndpoint` options allow.
   */
  attach(httpServer: HttpServer, enginePath: string, access: FaultEndpointAccess = {}): void {
    this.io.engine.handshakeGate = async () => {
      // A dead server answers nothing: the handshake hangs until the client gives up.
      if (this.blackHoled)
        await new Promise<void>((resolve) => this.swallowedHandshakes.add(resolve));
      if (this.handshakeDelay > 0) await this.holdHandshake(this.handshakeDelay);
      if (Date.now() < this.downUntil) return 503;
      return this.rejectStatus;
    };
    this.io.engine.on("connection", (client: EngineSocket) => {
      if (this.pingsStopped) this.pingsStoppedOn.add(client);
      if (this.pingsStopped || this.blackHoled) client.pausePings();
      if (this.blackHoled) client.blackHoled = true;
    });
    this.io.engine.once("closed", () => {
      for (const held of this.heldHandshakes) {
        clearTimeout(held.timer);
        held.release();
      }
      this.heldHandshakes.clear();
      this.releaseSwallowed();
    });
    const endpoint = `${enginePath}__faults`;
    claimRequests(
      httpServer,
      (request) => (request.url ?? "").split("?")[0] === endpoint,
      (request, response) => void serveFaultRequest(this, request, response, access),
    );
  }

  private releaseSwallowed(): void {
    for (const release of this.swallowedHandshakes) release();
    this.swallowedHandshakes.clear();
  }

  /** Waits `ms` for a delayed handshake; the server's close ends the wait at once. */
  private holdHandshake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const held = {
        timer: setTimeout(() => {
          this.heldHandshakes.delete(held);
          resolve();
        }, ms),
        release: resolve,
      };
      this.heldHandshakes.add(held);
    });
  }
}

/** Checks a number from a fault request: a whole number, positive (or zero when allowed). */
function positive(name: string, value: unknown, zeroAllowed: boolean, max = Infinity): number {
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < (zeroAllowed ? 0 : 1) ||
    value > max
  )
    throw new Error(
      `Wireline: fault field "${name}" needs a whole number${zeroAllowed ? " >= 0" : " >= 1"}${max < Infinity ? ` <= ${max}` : ""}, got ${JSON.stringify(value)}`,
    );
  return value;
}

function scopeOf(scope: unknown): FaultScope {
  if (scope === undefined || scope === "all" || scope === "current") return scope ?? "all";
  throw new Error(
    `Wireline: a fault's scope is "all" (default) or "current", got ${JSON.stringify(scope)}`,
  );
}
