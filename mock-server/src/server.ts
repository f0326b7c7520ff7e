import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type Server as HttpServer, type IncomingMessage } from "node:http";
import {
  type BinaryData,
  decoderFor,
  encoderFor,
  type Packet,
  PacketType,
  type Parser,
} from "@wireline/sdk/protocol";
import {
  ConnectionRecovery,
  type ConnectionStateRecoveryOptions,
  connectErrorData,
  DynamicNamespaces,
  type NamespaceMatcher,
  reportUncaught,
} from "@wireline/sdk/server-core";
import { EngineServer, type EngineServerOptions } from "./engine/engine-server.ts";
import type { EngineSocket } from "./engine/engine-socket.ts";
import { badOption, checkTimerOption, shown } from "./engine/option-checks.ts";
import type { FaultEndpointOptions } from "./fault-endpoint-guard.ts";
import { Faults } from "./faults.ts";
import { answerNotFound } from "./http-routing.ts";
import { type Middleware, Namespace } from "./namespace.ts";
import { type Handshake, ServerSocket } from "./server-socket.ts";

/** Options of {@link Server}: socket.io's names and defaults. */
export interface ServerOptions extends EngineServerOptions {
  /** Ms a client has to send its CONNECT after the handshake. Default 45000. */
  connectTimeout?: number;
  /** Restores a dropped socket's id, rooms, data and missed events. Default: off. */
  connectionStateRecovery?: ConnectionStateRecoveryOptions;
  /**
   * socket.io's `parser`: a Socket.IO parser module (`Encoder` and `Decoder` classes) used instead
   * of the built-in JSON one, e.g. `socket.io-msgpack-parser`. Clients must use the same one.
   */
  parser?: Parser;
  /**
   * Who else may use the HTTP fault endpoint `{path}__faults`: more page origins and `Host`
   * names. Default: programs (no `Origin`), the server's own pages and loopback pages the
   * `cors` option allows, reached by `localhost`, `*.localhost` or an IP address.
   */
  faultEndpoint?: FaultEndpointOptions;
}

/**
 * A Socket.IO v5 server with the `socket.io` package's `Server` API subset, so a server script
 * switches to it by changing its import line.
 *
 * @example
 * const io = new Server(3000, { cors: { origin: "*" } });
 * io.on("connection", (socket) => socket.on("ping", (ack) => ack("pong")));
 */
export class Server {
  /** The underlying Engine.IO server. */
  engine: EngineServer;
  /** The HTTP server this Socket.IO server is attached to. */
  httpServer: HttpServer | undefined;
  /** Fault injection for tests. */
  readonly faults: Faults;
  /** Connection state recovery, when enabled by the option. */
  readonly recovery: ConnectionRecovery | undefined;
  private readonly namespaces = new Map<string, Namespace>();
  private readonly dynamicNamespaces = new DynamicNamespaces<Namespace>();
  private readonly options: ServerOptions;
  private readonly connections = new WeakMap<EngineSocket, Map<string, ServerSocket>>();
  /** Server-level events other than `connection` (which the main namespace emits). */
  private readonly serverEvents = new EventEmitter();
  /** Encodes with the `parser` option's encoder, or the built-in one. */
  private readonly encodeWith: (packet: Packet) => Array<string | BinaryData>;

  constructor(target?: number | HttpServer | ServerOptions, options: ServerOptions = {}) {
    const opts = typeof target === "object" && !isHttpServer(target) ? target : options;
    checkServerOptions(opts);
    this.options = { path: "/socket.io", connectTimeout: 45000, ...opts };
    this.engine = new EngineServer(this.options);
    this.encodeWith = encoderFor(this.options.parser);
    this.recovery = this.options.connectionStateRecovery
      ? new ConnectionRecovery(this.options.connectionStateRecovery)
      : undefined;
    this.faults = new Faults(this);
    this.of("/");
    if (typeof target === "number") this.listen(target);
    else if (isHttpServer(target)) this.attach(target);
  }

  /** The main namespace's sockets. */
  get sockets(): Namespace {
    return this.of("/");
  }

  /** Creates an HTTP server listening on `port` and attaches to it (or attaches to a server). */
  listen(target: number | HttpServer): this {
    if (typeof target !== "number") return this.attach(target);
    const httpServer = createServer(answerNotFound);
    this.attach(httpServer);
    httpServer.listen(target);
    return this;
  }

  /** Attaches to an existing HTTP server. */
  attach(httpServer: HttpServer): this {
    // Its engine ended for good: it would take requests only to drop them.
    if (this.engine.closed)
      throw new Error("Wireline: this server was closed; make a new Server to listen again");
    this.httpServer = httpServer;
    this.engine.attach(httpServer);
    this.engine.on("connection", (conn: EngineSocket, request: IncomingMessage) =>
      this.onConnection(conn, request),
    );
    this.faults.attach(httpServer, this.engine.path, {
      cors: this.options.cors,
      faultEndpoint: this.options.faultEndpoint,
    });
    return this;
  }

  /** The namespace `name`, created on first use; a RegExp or function declares dynamic namespaces. */
  of(name: string | NamespaceMatcher): Namespace {
    // Anything else would pass for a matcher, and fail at the next client's CONNECT.
    if (typeof name !== "string" && !(name instanceof RegExp) && typeof name !== "function")
      throw new TypeError(
        `Wireline: of() takes a namespace name (a string), a RegExp or a function, got ${shown(name)}.`,
      );
    if (typeof name !== "string") {
      const parent = new Namespace(this, String(name), true);
      this.dynamicNamespaces.add(name, parent);
      return parent;
    }
    const normalized = name.startsWith("/") ? name : `/${name}`;
    let namespace = this.namespaces.get(normalized);
    if (!namespace) {
      namespace = new Namespace(this, normalized);
      this.namespaces.set(normalized, namespace);
      this.serverEvents.emit("new_namespace", namespace);
    }
    return namespace;
  }

  /**
   * `connection` (alias `connect`): a client joined the main namespace. `new_namespace`: a
   * namespace was created, by `of()` or by a client connecting to a dynamic one.
   */
  on(event: "connection" | "connect", listener: (socket: ServerSocket) => void): this;
  on(event: "new_namespace", listener: (namespace: Namespace) => void): this;
  // biome-ignore lint/suspicious/noExplicitAny: the overloads above type each event's listener.
  on(event: string, listener: (...args: any[]) => void): this {
    this.emitterOf(event).on(event, listener);
    return this;
  }

  /** As {@link Server.on}, for the next event only. */
  once(event: "connection" | "connect", listener: (socket: ServerSocket) => void): this;
  once(event: "new_namespace", listener: (namespace: Namespace) => void): this;
  // biome-ignore lint/suspicious/noExplicitAny: the overloads above type each event's listener.
  once(event: string, listener: (...args: any[]) => void): this {
    this.emitterOf(event).once(event, listener);
    return this;
  }

  /** Removes a listener added with {@link Server.on} or {@link Server.once}. */
  // biome-ignore lint/suspicious/noExplicitAny: listeners of any of the events above.
  off(event: string, listener: (...args: any[]) => void): this {
    this.emitterOf(event).off(event, listener);
    return this;
  }

  /** Alias of {@link Server.on}, as on an EventEmitter. */
  addListener = this.on;
  /** Alias of {@link Server.off}, as on an EventEmitter. */
  removeListener = this.off;

  /** Removes every listener of `event`, or of every server event without one. */
  removeAllListeners(event?: string): this {
    for (const name of event === undefined ? ["connection", "connect", "new_namespace"] : [event])
      this.emitterOf(name).removeAllListeners(name);
    return this;
  }

  /** The listeners of `event`. */
  listeners(event: string): Array<(...args: never[]) => unknown> {
    return this.emitterOf(event).listeners(event) as Array<(...args: never[]) => unknown>;
  }

  /** How many listeners `event` has. */
  listenerCount(event: string): number {
    return this.emitterOf(event).listenerCount(event);
  }

  /** The ids of the main namespace's sockets, as socket.io's (deprecated) `allSockets()`. */
  allSockets(): Promise<Set<string>> {
    return this.sockets.allSockets();
  }

  /** Where a server event's listeners live: the main namespace has `connection`, as in socket.io. */
  private emitterOf(event: string): EventEmitter {
    return event === "new_namespace" ? this.serverEvents : this.sockets;
  }

  /** Adds a middleware to the main namespace. */
  use(middleware: Middleware): this {
    this.sockets.use(middleware);
    return this;
  }

  /** Sends an event to every socket of the main namespace. */
  emit(event: string, ...args: unknown[]): boolean {
    return this.sockets.emit(event, ...args);
  }

  /** The next main-namespace broadcast may be lost. */
  get volatile() {
    return this.sockets.volatile;
  }

  /** Whether the next main-namespace broadcast may be compressed. */
  compress(compress: boolean) {
    return this.sockets.compress(compress);
  }

  /** Waits at most `ms` for every client's acknowledgement of the next broadcast. */
  timeout(ms: number) {
    return this.sockets.timeout(ms);
  }

  /** This server only (the only one here). */
  get local() {
    return this.sockets.local;
  }

  /** Broadcasts to the main namespace and resolves with every client's acknowledgement. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return this.sockets.emitWithAck(event, ...args);
  }

  /** socket.io's message to the other servers of a cluster: see {@link Namespace.serverSideEmit}. */
  serverSideEmit(event: string, ...args: unknown[]): boolean {
    return this.sockets.serverSideEmit(event, ...args);
  }

  /** Resolves with the other servers' replies: none, this server being alone. */
  serverSideEmitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return this.sockets.serverSideEmitWithAck(event, ...args);
  }

  /** Sends a `message` event to every main-namespace socket. */
  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  /** Alias of {@link Server.send}, as in socket.io. */
  write(...args: unknown[]): this {
    return this.send(...args);
  }

  /**
   * socket.io's `path()`: the endpoint path less a trailing slash, "/socket.io" by default. The
   * engine serves the path it was made with, so `path(value)` throws a TypeError naming the option.
   */
  path(value?: undefined): string {
    if (value !== undefined)
      throw new TypeError(
        'Wireline: the path is fixed when the server is made; pass it as the "path" option: new Server(port, { path })',
      );
    return String(this.options.path).replace(/\/$/, "");
  }

  /**
   * socket.io's `connectTimeout()`: the ms a connection has to join a namespace (default 45000);
   * `connectTimeout(ms)` sets it for the connections made from then on, checked as the option.
   */
  connectTimeout(): number;
  connectTimeout(ms: number): this;
  connectTimeout(ms?: number): number | this {
    if (ms === undefined) return this.options.connectTimeout as number;
    checkTimerOption("connectTimeout", ms);
    this.options.connectTimeout = ms;
    return this;
  }

  /** Targets a room of the main namespace. */
  to(room: string | string[]) {
    return this.sockets.to(room);
  }

  /** Alias of {@link Server.to}. */
  in(room: string | string[]) {
    return this.sockets.in(room);
  }

  /** Every main-namespace socket except those in a room. */
  except(room: string | string[]) {
    return this.sockets.except(room);
  }

  /** The main namespace's sockets. */
  fetchSockets(): Promise<ServerSocket[]> {
    return this.sockets.fetchSockets();
  }

  /** Makes every main-namespace socket join rooms. */
  socketsJoin(room: string | string[]): void {
    this.sockets.socketsJoin(room);
  }

  /** Makes every main-namespace socket leave a room. */
  socketsLeave(room: string | string[]): void {
    this.sockets.socketsLeave(room);
  }

  /** Disconnects every main-namespace socket. */
  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

  /** Closes every connection and the HTTP server. */
  close(callback?: (error?: Error) => void): Promise<void> {
    // A storm would go on striking a closed server, and keep the process alive.
    this.faults.clear("storm");
    for (const namespace of this.namespaces.values()) {
      for (const socket of [...namespace.sockets.values()])
        endSocket(socket, "server shutting down");
    }
    this.engine.close();
    const httpServer = this.httpServer;
    return new Promise((resolve) => {
      if (!httpServer) {
        callback?.();
        resolve();
        return;
      }
      httpServer.closeAllConnections();
      // Closed already (or never listening): the callback gets Node's "Server is not running."
      // error, as socket.io's does.
      httpServer.close((error) => {
        callback?.(error);
        resolve();
      });
    });
  }

  /** The namespace sockets of one connection. */
  socketsOf(conn: EngineSocket): ServerSocket[] {
    return [...(this.connections.get(conn)?.values() ?? [])];
  }

  /** Encodes and writes one packet to a connection. */
  sendPacket(
    conn: EngineSocket,
    packet: Packet,
    flags: { volatile?: boolean; compress?: boolean } = {},
  ): void {
    this.sendFrames(conn, this.encode(packet), flags);
  }

  /** The Engine.IO messages of one packet, encoded with the `parser` option's encoder if any. */
  encode(packet: Packet): Array<string | BinaryData> {
    return this.encodeWith(packet);
  }

  /**
   * Writes a packet already encoded by {@link Server.encode}: a broadcast encodes once and writes the
   * same frames to every target.
   */
  sendFrames(
    conn: EngineSocket,
    frames: Array<string | BinaryData>,
    flags: { volatile?: boolean; compress?: boolean } = {},
  ): void {
    if (conn.readyState !== "open") return;
    // A volatile packet is dropped rather than queued when the transport cannot take it now.
    if (flags.volatile && !conn.transport.writable) return;
    const options = flags.compress === false ? { compress: false } : undefined;
    for (const frame of frames) conn.send(frame, options);
    this.faults.countPacket(conn);
  }

  private onConnection(conn: EngineSocket, request: IncomingMessage): void {
    // As socket.io: payloads with `__proto__` keys or deep nesting reach the handlers.
    const decoder = decoderFor(this.options.parser, { refuseUnsafePayloads: false });
    const sockets = new Map<string, ServerSocket>();
    /** Namespaces whose CONNECT is being handled (middlewares running). */
    const connecting = new Set<string>();
    this.connections.set(conn, sockets);
    // Read now: a polling handshake's request is over (and its socket gone) by the CONNECT.
    const address = request.socket.remoteAddress ?? "";
    // As socket.io: the connection must have joined a namespace in time, middlewares included
    // (`sockets` keeps every namespace joined until the connection ends).
    const connectTimer = setTimeout(() => {
      if (sockets.size === 0) conn.close();
    }, this.options.connectTimeout);
    conn.on("data", (data: string | BinaryData) => {
      // One message, one packet, except from a custom parser that completed several.
      for (
        let outcome = decoder.add(data);
        outcome.kind !== "pending";
        outcome = decoder.next?.() ?? { kind: "pending" }
      ) {
        // A handler of the one before may have ended the connection.
        if (conn.readyState !== "open") return;
        if (outcome.kind === "error") {
          // As socket.io: every socket of the connection hears why, then the connection ends.
          for (const socket of sockets.values()) socket.reportError(outcome.error);
          conn.close();
          return;
        }
        const packet = outcome.packet;
        // One that ended (either side disconnected it) leaves the namespace free to join again.
        const joined = sockets.get(packet.nsp);
        const socket = joined?.connected ? joined : undefined;
        const isConnect = packet.type === PacketType.CONNECT;
        if (isConnect && !socket && !connecting.has(packet.nsp)) {
          connecting.add(packet.nsp);
          this.onConnect(conn, request, address, packet, sockets)
            .catch((error: unknown) => this.failConnect(conn, packet.nsp, sockets, error))
            .finally(() => connecting.delete(packet.nsp));
          continue;
        }
        // A second CONNECT, or a packet for a namespace not joined: socket.io ends the connection.
        if (isConnect || !socket || packet.type === PacketType.CONNECT_ERROR) {
          conn.close();
          return;
        }
        socket.onPacket(packet);
      }
    });
    conn.on("close", (reason: string, error?: Error) => {
      clearTimeout(connectTimer);
      for (const socket of sockets.values()) endSocket(socket, reason, error);
      sockets.clear();
    });
  }

  /**
   * A CONNECT whose handling failed (a bug): reported as uncaught, and the client told, so it
   * does not wait for an answer that never comes.
   */
  private failConnect(
    conn: EngineSocket,
    nsp: string,
    sockets: Map<string, ServerSocket>,
    error: unknown,
  ): void {
    reportUncaught(error);
    if (conn.readyState !== "open") return;
    // Connected already (it failed after the CONNECT reply): the connection ends instead.
    if (sockets.get(nsp)?.connected) {
      conn.close();
      return;
    }
    const message = "Wireline mock server: connecting failed (see the server's uncaught exception)";
    this.sendPacket(conn, { type: PacketType.CONNECT_ERROR, nsp, data: { message } });
  }

  private async resolveNamespace(
    name: string,
    auth: Record<string, unknown>,
  ): Promise<Namespace | undefined> {
    const existing = this.namespaces.get(name);
    if (existing) return existing;
    return this.dynamicNamespaces.match(name, auth, {
      existing: (made) => this.namespaces.get(made),
      create: (made) => this.of(made),
    });
  }

  private async onConnect(
    conn: EngineSocket,
    request: IncomingMessage,
    address: string,
    packet: Packet,
    sockets: Map<string, ServerSocket>,
  ): Promise<void> {
    // As socket.io, `handshake.auth` keeps a recovering client's pid and offset.
    const auth = { ...(packet.data as Record<string, unknown> | undefined) };
    const namespace = await this.resolveNamespace(packet.nsp, auth);
    if (!namespace) {
      this.sendPacket(conn, {
        type: PacketType.CONNECT_ERROR,
        nsp: packet.nsp,
        data: { message: "Invalid namespace" },
      });
      return;
    }
    const url = new URL(request.url ?? "/", "http://localhost");
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const handshake: Handshake = {
      headers: request.headers,
      time: new Date().toString(),
      address,
      xdomain: request.headers.origin !== undefined,
      secure: "encrypted" in request.socket && request.socket.encrypted === true,
      issued: Date.now(),
      url: request.url ?? "/",
      query,
      auth,
    };
    // Restored once the namespace exists, as socket.io's per-namespace adapter does.
    const restored = this.recovery?.restore(auth.pid, auth.offset, packet.nsp);
    const socket = new ServerSocket(
      namespace,
      conn,
      restored?.session.id ?? randomBytes(15).toString("base64url"),
      handshake,
      request,
    );
    if (restored) {
      socket.join(restored.session.rooms);
      socket.data = restored.session.data as Record<string, unknown>;
      socket.recovered = true;
      // As socket.io: what was missed goes out as the socket is made, before its middlewares
      // and its CONNECT reply (so before a CONNECT_ERROR too, should they refuse it). The
      // client holds them until its `connect`.
      for (const data of restored.missed) {
        // Emits encode before they are logged; still, one bad packet must not stop the restore.
        try {
          this.sendPacket(conn, { type: PacketType.EVENT, nsp: packet.nsp, data });
        } catch (error) {
          reportUncaught(error);
        }
      }
    }
    socket.pid = this.recovery ? (restored?.session.pid ?? this.recovery.newPid()) : undefined;
    const skipMiddlewares =
      socket.recovered && this.recovery?.skipMiddlewares === true && conn.readyState === "open";
    const refusal = skipMiddlewares ? undefined : await namespace.runMiddlewares(socket);
    // Its client left while the middlewares ran, or they refused it: in no room, never a target.
    if (conn.readyState !== "open") {
      socket.leaveForGood();
      return;
    }
    if (refusal) {
      socket.leaveForGood();
      const data = connectErrorData(refusal);
      this.sendPacket(conn, { type: PacketType.CONNECT_ERROR, nsp: packet.nsp, data });
      return;
    }
    sockets.set(packet.nsp, socket);
    const reply: Record<string, unknown> = { sid: socket.id };
    if (socket.pid) reply.pid = socket.pid;
    this.sendPacket(conn, { type: PacketType.CONNECT, nsp: packet.nsp, data: reply });
    namespace.add(socket);
  }
}

/** Ends `socket`; what its listeners throw is reported as uncaught, so the other sockets still end. */
function endSocket(socket: ServerSocket, reason: string, error?: Error): void {
  try {
    socket.onClose(reason, error);
  } catch (thrown) {
    reportUncaught(thrown);
  }
}

/**
 * Checks the Socket.IO server's own options up front (the engine checks its own), naming the
 * option that is wrong. Unknown names pass, as in socket.io.
 */
function checkServerOptions(options: ServerOptions): void {
  checkTimerOption("connectTimeout", options.connectTimeout);
  const recovery = options.connectionStateRecovery;
  if (recovery === undefined) return;
  if (typeof recovery !== "object" || recovery === null)
    badOption(
      "connectionStateRecovery",
      "an object such as { maxDisconnectionDuration }",
      recovery,
    );
  const duration = recovery.maxDisconnectionDuration;
  if (duration !== undefined && (typeof duration !== "number" || !(duration >= 0)))
    badOption("connectionStateRecovery.maxDisconnectionDuration", "a number of ms >= 0", duration);
}

function isHttpServer(value: unknown): value is HttpServer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as HttpServer).listen === "function" &&
    typeof (value as HttpServer).on === "function"
  );
}
