import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import {
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
  STATUS_CODES,
} from "node:http";
import type { Duplex } from "node:stream";
import { ENGINE_ERRORS, reportUncaught } from "@wireline/sdk/server-core";
import { type WebSocket, WebSocketServer } from "ws";
import { claimRequests } from "../http-routing.ts";
import { type CorsSetting, decideCors } from "./cors.ts";
import { EngineSocket } from "./engine-socket.ts";
import { checkEngineOptions } from "./option-checks.ts";
import { PollingServerTransport } from "./polling-transport.ts";
import type { ServerTransport } from "./server-transport.ts";
import { WebSocketServerTransport } from "./websocket-transport.ts";

/** How long a closing server waits for a WebSocket peer to answer its close frame. */
const CLOSE_ANSWER_WAIT_MS = 1000;

/** Options of the Engine.IO server. */
export interface EngineServerOptions {
  /** Endpoint path. Default "/engine.io/" (the Socket.IO server uses "/socket.io/"). */
  path?: string;
  /** Ms between server pings. Default 25000. */
  pingInterval?: number;
  /** Ms to wait for a pong. Default 20000. */
  pingTimeout?: number;
  /** Largest message accepted, bytes. Default 1e6. */
  maxHttpBufferSize?: number;
  /** Alias of `maxHttpBufferSize`. */
  maxPayload?: number;
  /** Transports clients may use. Default `["polling", "websocket"]`. */
  transports?: Array<"polling" | "websocket">;
  /**
   * Whether the handshake of a polling session offers the upgrade to WebSocket. Default true.
   * As engine.io, an upgrade request that comes all the same is still carried out.
   */
  allowUpgrades?: boolean;
  /**
   * Whether an upgrade request off this server's path that nothing else answered is ended
   * after {@link destroyUpgradeTimeout}, so it does not stay open. Default true.
   */
  destroyUpgrade?: boolean;
  /** Ms another `upgrade` listener has to answer such a request. Default 1000. */
  destroyUpgradeTimeout?: number;
  /**
   * CORS, as socket.io's `cors` option, which engine.io hands to the `cors` package: `origin` (a
   * string, array, RegExp, function, `true`, or `"*"`, the default once the option is set),
   * `credentials`, `methods`, `allowedHeaders` (alias `headers`), `exposedHeaders`, `maxAge`,
   * `optionsSuccessStatus` and `preflightContinue`, or a function `(req, callback)` that picks
   * them per request. Applied to polling requests, preflights and WebSocket upgrades (on the
   * 101 answer). Default: none, so no CORS headers and an OPTIONS request is refused like any
   * non-GET handshake.
   */
  cors?: CorsSetting;
  /** Accepts or refuses a handshake: `callback(errorMessage | null, allowed)`. */
  allowRequest?: (
    request: IncomingMessage,
    callback: (error: string | null, allowed: boolean) => void,
  ) => void;
}

/**
 * An Engine.IO v4 server (HTTP long-polling and WebSocket) attached to a Node HTTP server.
 * Emits `connection` with each new {@link EngineSocket}, and `connection_error` with
 * `{ req, code, message }` for each refused request, as engine.io does.
 */
export class EngineServer extends EventEmitter {
  readonly clients = new Map<string, EngineSocket>();
  readonly path: string;
  /** Set by close(): a handshake still held by a gate opens nothing, and it serves no more. */
  closed = false;
  /** The HTTP server `listen()` created, if any; closed with this server. */
  httpServer: HttpServer | undefined;
  /** Hooks the fault injector uses to refuse or delay handshakes. */
  handshakeGate: ((request: IncomingMessage) => Promise<number | undefined>) | undefined;
  private readonly options: Required<Pick<EngineServerOptions, "pingInterval" | "pingTimeout">> & {
    maxPayload: number;
  };
  private readonly transports: Set<string>;
  private readonly allowUpgrades: boolean;
  /** When set (a fault), WebSocket connections are refused and clients must poll. */
  refuseWebSocket = false;
  private holdingWebSocket = false;
  /** Upgrade requests {@link holdWebSocket} keeps unanswered, each until it closes. */
  private readonly heldUpgrades = new Set<Duplex>();
  private readonly cors: EngineServerOptions["cors"];
  private readonly allowRequest: EngineServerOptions["allowRequest"];
  private readonly wss: WebSocketServer;
  private readonly detach: Array<() => void> = [];
  private readonly destroyUpgradeTimeout: number | undefined;
  /** Timers of {@link endIfUnanswered}, cleared when this server lets go of its HTTP server. */
  private readonly upgradeDeadlines = new Set<ReturnType<typeof setTimeout>>();
  /** The CORS headers of each upgrade request, which its 101 answer carries. */
  private readonly upgradeHeaders = new WeakMap<IncomingMessage, Record<string, string>>();

  constructor(options: EngineServerOptions = {}) {
    super();
    checkEngineOptions(options);
    this.path = `${(options.path ?? "/engine.io").replace(/\/$/, "")}/`;
    this.options = {
      pingInterval: options.pingInterval ?? 25000,
      pingTimeout: options.pingTimeout ?? 20000,
      maxPayload: options.maxPayload ?? options.maxHttpBufferSize ?? 1e6,
    };
    // ws itself stops reading a frame past the limit (closing with 1009) instead of buffering it.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxPayload });
    this.wss.on("headers", (lines: string[], request: IncomingMessage) => {
      const extra = this.upgradeHeaders.get(request) ?? {};
      for (const [name, value] of Object.entries(extra)) lines.push(`${name}: ${value}`);
    });
    this.transports = new Set(options.transports ?? ["polling", "websocket"]);
    this.allowUpgrades = options.allowUpgrades ?? true;
    this.destroyUpgradeTimeout =
      options.destroyUpgrade === false ? undefined : (options.destroyUpgradeTimeout ?? 1000);
    this.cors = options.cors;
    this.allowRequest = options.allowRequest;
  }

  /**
   * When set (a fault), WebSocket requests on this path get no answer at all, as behind a proxy
   * that holds upgrades while plain HTTP passes. Unsetting it destroys the requests held so far,
   * as that proxy giving up would.
   */
  get holdWebSocket(): boolean {
    return this.holdingWebSocket;
  }

  set holdWebSocket(hold: boolean) {
    this.holdingWebSocket = hold;
    if (!hold) this.destroyHeldUpgrades();
  }

  /** Number of open sessions. */
  get clientsCount(): number {
    return this.clients.size;
  }

  /** Handles this server's path on `httpServer`, passing other requests to its previous listeners. */
  attach(httpServer: HttpServer): this {
    const releaseRequests = claimRequests(
      httpServer,
      (request) => this.matches(request),
      (request, response) => void this.handleRequest(request, response),
    );
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.matches(request))
        // A bug (an app's callback) must not leave the upgrade open, holding the server's close.
        this.handleUpgrade(request, socket, head).catch((error: unknown) => {
          reportUncaught(error);
          socket.destroy();
        });
      else if (this.destroyUpgradeTimeout !== undefined) this.endIfUnanswered(socket);
    };
    httpServer.on("upgrade", onUpgrade);
    this.detach.push(() => {
      releaseRequests();
      httpServer.off("upgrade", onUpgrade);
      for (const timer of this.upgradeDeadlines) clearTimeout(timer);
      this.upgradeDeadlines.clear();
    });
    return this;
  }

  /**
   * Ends an upgrade request for another path unless another listener wrote to it in time:
   * Node hands every upgrade to every listener, and one nobody answers would stay open.
   */
  private endIfUnanswered(socket: Duplex): void {
    // Until another listener takes it, a reset by the client only closes it.
    socket.on("error", () => undefined);
    const release = () => {
      clearTimeout(timer);
      this.upgradeDeadlines.delete(timer);
    };
    const timer = setTimeout(() => {
      release();
      const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
      if (socket.writable && written === 0) socket.end();
    }, this.destroyUpgradeTimeout);
    timer.unref();
    this.upgradeDeadlines.add(timer);
    socket.once("close", release);
  }

  /** Keeps an upgrade request open without a word, reading and dropping what the client sends. */
  private hold(socket: Duplex): void {
    this.heldUpgrades.add(socket);
    socket.once("close", () => this.heldUpgrades.delete(socket));
    // Node's HTTP server leaves upgrades half-open: the client's end must close ours.
    socket.once("end", () => socket.destroy());
    // Unread bytes from the client would hide its close behind them.
    socket.resume();
  }

  private destroyHeldUpgrades(): void {
    for (const socket of this.heldUpgrades) socket.destroy();
    this.heldUpgrades.clear();
  }

  /** Closes every session at once (nothing buffered is sent) and stops handling requests. */
  close(): void {
    this.closed = true;
    for (const client of [...this.clients.values()]) client.close(true);
    // Held upgrades would keep the HTTP server, and so the process, from closing.
    this.destroyHeldUpgrades();
    for (const undo of this.detach.splice(0)) undo();
    this.wss.close();
    // A peer that never answers the close frame (a frozen process, a dead path) would hold its
    // socket, and so the HTTP server's close, for ws's 30 s: a second is enough for any other.
    const unanswered = new Set(this.wss.clients);
    if (unanswered.size > 0) {
      const timer = setTimeout(() => {
        for (const ws of unanswered) ws.terminate();
      }, CLOSE_ANSWER_WAIT_MS).unref();
      for (const ws of unanswered) {
        ws.once("close", () => {
          unanswered.delete(ws);
          if (unanswered.size === 0) clearTimeout(timer);
        });
      }
    }
    this.emit("closed");
  }

  private matches(request: IncomingMessage): boolean {
    const pathname = (request.url ?? "").split("?")[0] ?? "";
    return pathname === this.path || `${pathname}/` === this.path;
  }

  private async handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const decision = await decideCors(this.cors, request);
    const cors = decision.kind === "headers" ? decision.headers : {};
    const fail = (status: number, error: { code: number; message: string }) => {
      this.emit("connection_error", { req: request, ...error });
      response.writeHead(status, { ...cors, "Content-Type": "application/json" });
      response.end(JSON.stringify(error));
    };
    // An origin function that failed: engine.io's middleware chain fails, a bad request.
    if (decision.kind === "error") {
      fail(400, ENGINE_ERRORS.BAD_REQUEST);
      return;
    }
    // The cors package ends an OPTIONS request itself unless preflightContinue is set; without
    // it, OPTIONS is checked below like any other method (a handshake that is not a GET).
    if (decision.kind === "headers" && decision.endWith !== undefined) {
      response.writeHead(decision.endWith, { ...cors, "Content-Length": "0" });
      response.end();
      return;
    }
    const query = new URL(request.url ?? "/", "http://localhost").searchParams;
    // Checked in engine.io's order, so each bad request gets the same error code.
    const transport = query.get("transport");
    if (transport === null || !this.transports.has(transport)) {
      fail(400, ENGINE_ERRORS.UNKNOWN_TRANSPORT);
      return;
    }
    const sid = query.get("sid");
    if (sid) {
      const client = this.clients.get(sid);
      if (!client) {
        fail(400, ENGINE_ERRORS.UNKNOWN_SID);
        return;
      }
      // Wrong transport (e.g. polling after the upgrade) or protocol: a bad request. A wrong
      // method is the polling transport's to answer, as in engine.io.
      if (
        transport !== "polling" ||
        !(client.transport instanceof PollingServerTransport) ||
        query.get("EIO") !== "4"
      ) {
        fail(400, ENGINE_ERRORS.BAD_REQUEST);
        return;
      }
      client.transport.handle(request, response, cors);
      return;
    }
    if (request.method !== "GET") {
      fail(400, ENGINE_ERRORS.BAD_HANDSHAKE_METHOD);
      return;
    }
    if (transport !== "polling") {
      // A WebSocket handshake must come as an HTTP upgrade.
      fail(400, ENGINE_ERRORS.BAD_REQUEST);
      return;
    }
    if (query.get("EIO") !== "4") {
      fail(400, ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    const admitted = this.admit(request).then((refusal) => {
      // Closed while the gate held it (a delayed handshake), or the client left meanwhile: no
      // session on a closed server, nor one nobody would ever poll.
      if (this.closed || request.destroyed) {
        response.destroy();
        return;
      }
      if (refusal) {
        fail(refusal.faultStatus ?? 403, {
          code: ENGINE_ERRORS.FORBIDDEN.code,
          message: refusal.message,
        });
        return;
      }
      const polling = new PollingServerTransport(this.options.maxPayload);
      const upgrades = this.allowUpgrades && this.transports.has("websocket") ? ["websocket"] : [];
      this.open(polling, request, upgrades);
      polling.handle(request, response, cors);
    });
    // A bug (an app's callback) must not leave the handshake unanswered.
    admitted.catch((error: unknown) => {
      reportUncaught(error);
      if (response.headersSent) response.destroy();
      else fail(500, { code: ENGINE_ERRORS.BAD_REQUEST.code, message: "Internal server error" });
    });
  }

  /**
   * Runs the fault gate and `allowRequest`; resolves with the message of a refusal, and the HTTP
   * status a fault chose (`allowRequest`'s status depends on the transport).
   */
  private async admit(
    request: IncomingMessage,
  ): Promise<{ faultStatus?: number; message: string } | undefined> {
    if (this.handshakeGate) {
      const status = await this.handshakeGate(request);
      if (status !== undefined)
        return { faultStatus: status, message: "Handshake refused by a fault" };
    }
    const allowRequest = this.allowRequest;
    if (allowRequest) {
      const refusal = await new Promise<string | undefined>((resolve) => {
        try {
          allowRequest(request, (error, ok) =>
            resolve(ok ? undefined : (error ?? ENGINE_ERRORS.FORBIDDEN.message)),
          );
        } catch (error) {
          // An app bug refuses the handshake (reported as uncaught) instead of leaving it hanging.
          reportUncaught(error);
          resolve(`Wireline mock server: allowRequest threw ${String(error)}`);
        }
      });
      if (refusal !== undefined) return { message: refusal };
    }
    return undefined;
  }

  private open(
    transport: ServerTransport,
    request: IncomingMessage,
    upgrades: string[],
  ): EngineSocket {
    const id = randomBytes(15).toString("base64url");
    const client = new EngineSocket(id, transport, this.options, upgrades);
    (client as EngineSocket & { request: IncomingMessage }).request = request;
    this.clients.set(id, client);
    client.once("close", () => this.clients.delete(id));
    this.emit("connection", client, request);
    return client;
  }

  private async handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    // Node's HTTP server hands the socket over without an error listener, and what follows may
    // wait (a held upgrade, a delayed handshake, allowRequest): a client resetting meanwhile
    // only closes it. ws listens itself once it takes the socket.
    const ignoreReset = () => undefined;
    socket.on("error", ignoreReset);
    // The proxy holding upgrades is in front of everything engine.io checks or answers.
    if (this.holdingWebSocket) {
      this.hold(socket);
      return;
    }
    const handOver = (sid: string | null) => {
      socket.off("error", ignoreReset);
      this.wss.handleUpgrade(request, socket, head, (ws) =>
        this.onWebSocket(ws, socket, request, sid),
      );
    };
    const query = new URL(request.url ?? "/", "http://localhost").searchParams;
    // engine.io refuses an upgrade with a bare 400 and the message as text (not the JSON body of
    // its HTTP answers); a fault keeps its own status, as a proxy in front would.
    const refuse = (status: number, error: { code: number; message: string }) => {
      this.emit("connection_error", { req: request, ...error });
      // Then closed, as engine.io does: a client that never closes its end (Node leaves upgrade
      // sockets half-open) would hold the server's close.
      socket.end(upgradeRefusal(status, error.message), () => socket.destroy());
    };
    if (!this.transports.has("websocket")) {
      // engine.io does not listen for upgrades then: Node hands the request to its HTTP answer.
      this.emit("connection_error", { req: request, ...ENGINE_ERRORS.UNKNOWN_TRANSPORT });
      const body = JSON.stringify(ENGINE_ERRORS.UNKNOWN_TRANSPORT);
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    // engine.io runs its cors middleware on upgrades too: an origin function that fails refuses
    // it, and the headers it sets go out with the 101 answer.
    const decision = await decideCors(this.cors, request);
    if (decision.kind === "error") {
      refuse(400, ENGINE_ERRORS.BAD_REQUEST);
      return;
    }
    if (decision.kind === "headers") {
      // The cors package ends an OPTIONS request itself, which on an upgrade drops the
      // connection without a word.
      if (decision.endWith !== undefined) {
        socket.destroy();
        return;
      }
      this.upgradeHeaders.set(request, decision.headers);
    }
    // Checked in engine.io's order, so each bad request gets the same error code.
    const transport = query.get("transport");
    if (transport === null || !this.transports.has(transport)) {
      refuse(400, ENGINE_ERRORS.UNKNOWN_TRANSPORT);
      return;
    }
    const sid = query.get("sid");
    if (sid) {
      if (!this.clients.has(sid)) {
        refuse(400, ENGINE_ERRORS.UNKNOWN_SID);
        return;
      }
      if (query.get("EIO") !== "4") {
        refuse(400, ENGINE_ERRORS.BAD_REQUEST);
        return;
      }
      if (this.refuseWebSocket) {
        refuse(400, ENGINE_ERRORS.UNKNOWN_TRANSPORT);
        return;
      }
      handOver(sid);
      return;
    }
    if (request.method !== "GET") {
      refuse(400, ENGINE_ERRORS.BAD_HANDSHAKE_METHOD);
      return;
    }
    if (this.refuseWebSocket) {
      refuse(400, ENGINE_ERRORS.UNKNOWN_TRANSPORT);
      return;
    }
    const refusal = await this.admit(request);
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (refusal) {
      // allowRequest's refusal is a 403 over HTTP but a 400 on an upgrade, as in engine.io.
      refuse(refusal.faultStatus ?? 400, {
        code: ENGINE_ERRORS.FORBIDDEN.code,
        message: refusal.message,
      });
      return;
    }
    handOver(null);
  }

  /**
   * Takes a WebSocket whose handshake is done, as engine.io does: only now does it look at the
   * session. A WebSocket it has no use for (one named "polling", or for a session that is gone,
   * already upgraded or probing another WebSocket) is closed at once with a bare close frame,
   * the session untouched. Any other WebSocket with a sid probes to take over the session,
   * whatever `allowUpgrades` says and even if the session is on WebSocket already. A handshake
   * in another protocol revision gets engine.io's 400 written over the open connection.
   */
  private onWebSocket(
    ws: WebSocket,
    socket: Duplex,
    request: IncomingMessage,
    sid: string | null,
  ): void {
    const query = new URL(request.url ?? "/", "http://localhost").searchParams;
    const take = () => new WebSocketServerTransport(ws, this.options.maxPayload);
    const dismiss = () => {
      // What the client sends before it sees the close is nobody's concern.
      ws.on("error", () => undefined);
      ws.close();
    };
    if (query.get("transport") !== "websocket") {
      dismiss();
      return;
    }
    if (sid !== null) {
      const client = this.clients.get(sid);
      if (!client || client.upgraded || client.upgrading) dismiss();
      else client.upgrade(take());
      return;
    }
    if (query.get("EIO") !== "4") {
      const error = ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION;
      this.emit("connection_error", { req: request, ...error });
      ws.on("error", () => undefined);
      socket.write(upgradeRefusal(400, error.message));
      socket.destroy();
      return;
    }
    this.open(take(), request, []);
  }
}

/** engine.io's answer refusing an upgrade: a bare status with the message as text. */
function upgradeRefusal(status: number, message: string): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`;
}
