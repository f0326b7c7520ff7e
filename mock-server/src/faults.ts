import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import type { EngineSocket } from "./engine/engine-socket.ts";
import type { Server } from "./server.ts";

/** A fault request, as JSON to `POST {path}__faults` or as arguments to `io.faults`. */
export type FaultAction =
  | { action: "dropTransports" }
  | { action: "stopPings" }
  | { action: "blackHole" }
  | { action: "refuseWebSocket" }
  | { action: "rejectHandshakes"; status?: number }
  | { action: "delayHandshakes"; ms: number }
  | { action: "closeAfterPackets"; count: number }
  | { action: "restart"; keepRecoveryState?: boolean }
  | { action: "clear" };

/**
 * Misbehaviour on cue, for tests: drop connections, stop pinging, swallow frames, refuse or
 * delay handshakes, close after N packets. Every fault lasts until {@link Faults.clear}.
 */
export class Faults {
  private pingsStopped = false;
  private blackHoled = false;
  private rejectStatus: number | undefined;
  private handshakeDelay = 0;
  private closeAfter: number | undefined;
  private readonly sentPackets = new WeakMap<EngineSocket, number>();

  constructor(private readonly io: Server) {}

  /** Drops every open transport now, without a close packet (as a network failure would). */
  dropTransports(): void {
    for (const client of [...this.io.engine.clients.values()]) client.terminate();
  }

  /**
   * Simulates a server restart: every transport drops; connection state recovery keeps its
   * sessions and missed events only with `keepRecoveryState`.
   */
  restart(options: { keepRecoveryState?: boolean } = {}): void {
    this.dropTransports();
    // Dropped sockets have just saved their sessions; a restart that loses state forgets them.
    if (!options.keepRecoveryState) this.io.recovery?.clear();
  }

  /** Stops sending pings on every connection, present and future: a silently dead server. */
  stopPings(): void {
    this.pingsStopped = true;
    for (const client of this.io.engine.clients.values()) client.pingsPaused = true;
  }

  /** Accepts frames on every connection, present and future, and answers nothing. */
  blackHole(): void {
    this.blackHoled = true;
    this.stopPings();
    for (const client of this.io.engine.clients.values()) client.blackHoled = true;
  }

  /** Refuses WebSocket connections and upgrades, so clients must use HTTP long-polling. */
  refuseWebSocket(): void {
    this.io.engine.refuseWebSocket = true;
  }

  /** Refuses new handshakes with this HTTP status (default 503). */
  rejectHandshakes(status = 503): void {
    this.rejectStatus = status;
  }

  /** Delays new handshakes by `ms`. */
  delayHandshakes(ms: number): void {
    this.handshakeDelay = ms;
  }

  /** Closes each connection after the server sent it `count` more packets. */
  closeAfterPackets(count: number): void {
    this.closeAfter = count;
    for (const client of this.io.engine.clients.values()) this.sentPackets.set(client, 0);
  }

  /** Clears every fault. */
  clear(): void {
    this.pingsStopped = false;
    this.blackHoled = false;
    this.rejectStatus = undefined;
    this.handshakeDelay = 0;
    this.closeAfter = undefined;
    this.io.engine.refuseWebSocket = false;
    for (const client of this.io.engine.clients.values()) {
      client.blackHoled = false;
      if (client.pingsPaused) client.resumePings();
    }
  }

  /** Applies one fault request. */
  apply(request: FaultAction): void {
    switch (request.action) {
      case "dropTransports":
        this.dropTransports();
        return;
      case "stopPings":
        this.stopPings();
        return;
      case "blackHole":
        this.blackHole();
        return;
      case "refuseWebSocket":
        this.refuseWebSocket();
        return;
      case "rejectHandshakes":
        this.rejectHandshakes(request.status);
        return;
      case "delayHandshakes":
        this.delayHandshakes(request.ms);
        return;
      case "closeAfterPackets":
        this.closeAfterPackets(request.count);
        return;
      case "restart":
        this.restart({ keepRecoveryState: request.keepRecoveryState === true });
        return;
      case "clear":
        this.clear();
        return;
      default:
        throw new Error(
          `unknown fault action ${JSON.stringify((request as { action?: unknown }).action)}`,
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

  /** Wires the handshake gate and the HTTP control endpoint `{path}__faults`. */
  attach(httpServer: HttpServer, enginePath: string): void {
    this.io.engine.handshakeGate = async () => {
      if (this.handshakeDelay > 0)
        await new Promise((resolve) => setTimeout(resolve, this.handshakeDelay));
      return this.rejectStatus;
    };
    this.io.engine.on("connection", (client: EngineSocket) => {
      if (this.pingsStopped) client.pingsPaused = true;
      if (this.blackHoled) client.blackHoled = true;
    });
    const endpoint = `${enginePath}__faults`;
    const previous = httpServer.listeners("request").slice() as Array<
      (q: IncomingMessage, r: ServerResponse) => void
    >;
    httpServer.removeAllListeners("request");
    httpServer.on("request", (request: IncomingMessage, response: ServerResponse) => {
      if ((request.url ?? "").split("?")[0] !== endpoint) {
        for (const listener of previous) listener.call(httpServer, request, response);
        return;
      }
      this.handleControl(request, response);
    });
  }

  private handleControl(request: IncomingMessage, response: ServerResponse): void {
    const headers = { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" };
    if (request.method === "OPTIONS") {
      response.writeHead(204, { ...headers, "Access-Control-Allow-Headers": "content-type" });
      response.end();
      return;
    }
    if (request.method !== "POST") {
      response.writeHead(405, headers);
      response.end(
        JSON.stringify({ error: 'POST a JSON fault request, e.g. {"action":"dropTransports"}' }),
      );
      return;
    }
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      try {
        this.apply(JSON.parse(body) as FaultAction);
        response.writeHead(200, headers);
        response.end(JSON.stringify({ ok: true }));
      } catch (error) {
        response.writeHead(400, headers);
        response.end(
          JSON.stringify({ error: String(error instanceof Error ? error.message : error) }),
        );
      }
    });
  }
}
