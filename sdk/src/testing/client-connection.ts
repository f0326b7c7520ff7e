import { Emitter } from "../emitter.ts";
import { PacketDecoder } from "../protocol/decoder.ts";
import { encodePacket } from "../protocol/encode.ts";
import type { EnginePacket } from "../protocol/engine.ts";
import { type BinaryData, type Packet, PacketType } from "../protocol/packet.ts";
import { connectErrorData } from "../server-core/middleware-chain.ts";
import { EngineSession, type EngineSessionOptions } from "./engine-session.ts";
import { MockClient } from "./mock-client.ts";
import { type EngineRequest, engineRequest } from "./mock-engine.ts";
import type { MockSocketServer } from "./mock-socket-server.ts";
import type { MockNamespace } from "./namespace.ts";
import { randomId } from "./random-id.ts";
import { type MockHandshake, MockServerSocket } from "./server-socket.ts";
import type { SessionTransport } from "./session-transport.ts";

/** What the mock saw of the request that opened a connection. */
export interface ConnectionRequest {
  method: string;
  /** The absolute URL. */
  url: string;
  headers: Record<string, string>;
}

/** The transport a connection uses now, as socket.io's `socket.conn.transport`. */
export interface ConnectionTransport {
  readonly name: "polling" | "websocket";
  /** Whether a write reaches the client now (a polling transport: a GET is waiting). */
  readonly writable: boolean;
}

/** What a connection announces, as socket.io's `socket.conn` (engine.io's socket) does. */
export interface ClientConnectionEvents {
  /** A WebSocket took over from polling; `socket.conn.transport.name` is now "websocket". */
  upgrade: (transport: ConnectionTransport) => void;
  /**
   * The connection ended, with socket.io's reason ("transport close", "ping timeout", …) and,
   * for "transport error", engine.io's error (`type` "TransportError") describing it.
   */
  close: (reason: string, description?: Error) => void;
  /** An Engine.IO packet arrived from the client: `{ type: "message" | "pong" | …, data? }`. */
  packet: (packet: EnginePacket) => void;
  /** An Engine.IO packet is about to be written to the client (a message, a ping). */
  packetCreate: (packet: EnginePacket) => void;
  /** The client answered a ping. */
  heartbeat: () => void;
}

/**
 * One mocked client's connection (an Engine.IO session) and its namespace sockets: socket.io's
 * `socket.conn` subset (`id`, `request`, `transport.name`, `readyState`, `upgraded`, the
 * `upgrade`, `close`, `packet`, `packetCreate` and `heartbeat` events, `close()`). Besides
 * routing packets it carries the controls a test uses to misbehave like a real network:
 * {@link ClientConnection.dropConnection}, {@link ClientConnection.stopPinging},
 * {@link ClientConnection.sendRaw}.
 *
 * @example
 * socket.conn.once("upgrade", (transport) => console.log("now on", transport.name));
 */
export class ClientConnection extends Emitter<ClientConnectionEvents> {
  /** The Engine.IO protocol revision spoken, as engine.io's `socket.protocol`. */
  readonly protocol = 4;
  /** Whether a WebSocket took over from polling. */
  upgraded = false;
  readonly session: EngineSession;
  /** The connection's sockets, by namespace: the one each namespace's packets go to. */
  readonly sockets = new Map<string, MockServerSocket>();
  /**
   * Every socket let in and not gone, as socket.io's `client.sockets`: a namespace joined again
   * while its first CONNECT waited in the middlewares has two, and both end with the connection.
   */
  readonly #joined = new Set<MockServerSocket>();
  /** The request that opened the connection, as engine.io's `socket.request`. */
  readonly request: EngineRequest;
  /** socket.io's `Client` of this connection, as each of its sockets' `socket.client`. */
  readonly client = new MockClient(this);
  /** socket.io's `connectTimeout`: running until a namespace is joined. */
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  // As socket.io: payloads with `__proto__` keys or deep nesting reach the handlers.
  private readonly decoder = new PacketDecoder({ refuseUnsafePayloads: false });

  constructor(
    private readonly server: MockSocketServer,
    id: string,
    transport: SessionTransport,
    private readonly opening: ConnectionRequest,
    options: EngineSessionOptions,
    upgrades: string[],
    onEnd: () => void,
  ) {
    super();
    this.request = engineRequest(opening);
    this.session = new EngineSession(id, transport, options, upgrades, {
      message: (data) => this.onData(data),
      close: (reason, description) => {
        clearTimeout(this.connectTimer);
        for (const socket of [...this.#joined]) socket.onClose(reason, description);
        this.#joined.clear();
        this.sockets.clear();
        this.decoder.reset();
        onEnd();
        this.emitEvent("close", reason, description);
      },
      upgrade: () => {
        this.upgraded = true;
        this.emitEvent("upgrade", this.transport);
      },
      packet: (packet) => this.emitEvent("packet", packet),
      packetCreate: (packet) => this.emitEvent("packetCreate", packet),
      heartbeat: () => this.emitEvent("heartbeat"),
    });
    // As socket.io: a client that has not joined a namespace in time (its middlewares
    // included) is closed, whether or not it sent a CONNECT.
    this.connectTimer = setTimeout(() => this.close(), server.connectTimeout());
  }

  /** The Engine.IO session id. */
  get id(): string {
    return this.session.id;
  }

  /** The transport in use now; its `name` is "polling" or "websocket". */
  get transport(): ConnectionTransport {
    return this.session.transport;
  }

  /** "open", then "closed" once the connection ended. */
  get readyState(): "open" | "closed" {
    return this.session.readyState;
  }

  /** Whether the connection is still open. */
  get open(): boolean {
    return this.session.readyState === "open";
  }

  /** Loses the connection without a goodbye, as a network failure would: the client sees "transport close" (WebSocket) or "transport error" (polling). */
  dropConnection(): void {
    this.session.drop();
  }

  /** Stops the server's pings: the client gives up after `pingInterval + pingTimeout` ("ping timeout"). */
  stopPinging(): void {
    this.session.stopPinging();
  }

  /**
   * Sends one Engine.IO frame exactly as given, e.g. `'42["unterminated'` (a message carrying a
   * malformed Socket.IO EVENT), to see how the client copes with bad input.
   */
  sendRaw(frame: string): void {
    if (typeof frame !== "string") {
      throw new TypeError("Wireline mockSocketServer: sendRaw() takes the frame as a string");
    }
    this.session.sendRaw(frame);
  }

  /**
   * Closes the connection as socket.io's `socket.conn.close()`: the server's sockets get
   * "forced close", the client "transport close", and it reconnects.
   */
  close(): void {
    this.session.close();
  }

  /**
   * Ends the connection for good, as socket.io's `socket.disconnect(true)`: each namespace
   * socket gets `reason` (default "server namespace disconnect"), the client "io server
   * disconnect", and it does not reconnect.
   */
  disconnect(reason = "server namespace disconnect"): void {
    for (const socket of [...this.#joined]) socket.leaveNamespace(reason);
    this.session.close();
  }

  /** Encodes and sends one Socket.IO packet (binary as attachments). */
  sendPacket(packet: Packet): void {
    if (this.open) this.sendFrames(encodePacket(packet));
  }

  /** Sends a packet encoded already: one encoding serves every socket a broadcast reaches. */
  sendFrames(frames: Array<string | BinaryData>): void {
    if (!this.open) return;
    for (const part of frames) this.session.send(part);
  }

  /** Forgets a socket that left its namespace. */
  forget(socket: MockServerSocket): void {
    this.#joined.delete(socket);
    if (this.sockets.get(socket.nsp.name) === socket) this.sockets.delete(socket.nsp.name);
  }

  private onData(data: string | BinaryData): void {
    const outcome = this.decoder.add(data);
    if (outcome.kind === "pending") return;
    if (outcome.kind === "error") {
      // As socket.io: each socket hears the decoding error as its `error` event, then the
      // connection is closed, which the sockets see as "forced close".
      for (const socket of [...this.#joined]) socket.reportError(outcome.error);
      this.session.close();
      return;
    }
    const packet = outcome.packet;
    if (packet.type === PacketType.CONNECT) {
      void this.onConnect(packet);
      return;
    }
    const socket = this.sockets.get(packet.nsp);
    if (!socket) return;
    if (packet.type === PacketType.DISCONNECT) this.forget(socket);
    socket.onPacket(packet);
  }

  private async onConnect(packet: Packet): Promise<void> {
    const auth = (packet.data ?? {}) as Record<string, unknown>;
    const namespace =
      this.server.namespace(packet.nsp) ?? (await this.server.matchNamespace(packet.nsp, auth));
    if (!namespace || this.sockets.has(packet.nsp)) {
      this.sendPacket({
        type: PacketType.CONNECT_ERROR,
        nsp: packet.nsp,
        data: { message: "Invalid namespace" },
      });
      return;
    }
    const url = new URL(this.opening.url);
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const now = new Date();
    const headers = { ...this.request.headers };
    const handshake: MockHandshake = {
      auth,
      query,
      headers,
      url: this.request.url,
      time: now.toString(),
      issued: now.getTime(),
      address: "127.0.0.1",
      secure: url.protocol === "https:" || url.protocol === "wss:",
      xdomain: headers.origin !== undefined,
    };
    const socket = this.createSocket(namespace, packet.nsp, auth, handshake);
    const skipMiddlewares =
      socket.recovered && namespace.recovery?.skipMiddlewares === true && this.open;
    const refusal = skipMiddlewares ? undefined : await namespace.runMiddlewares(socket);
    // Its client left while the middlewares ran, or they refused it: in no room, never a target.
    if (!this.open) {
      socket.leaveForGood();
      return;
    }
    if (refusal) {
      socket.leaveForGood();
      const data = connectErrorData(refusal);
      this.sendPacket({ type: PacketType.CONNECT_ERROR, nsp: packet.nsp, data });
      return;
    }
    this.sockets.set(packet.nsp, socket);
    this.#joined.add(socket);
    clearTimeout(this.connectTimer);
    const reply: Record<string, unknown> = { sid: socket.id };
    if (socket.pid !== undefined) reply.pid = socket.pid;
    this.sendPacket({ type: PacketType.CONNECT, nsp: packet.nsp, data: reply });
    namespace.add(socket);
  }

  /**
   * The socket a CONNECT makes: with connection state recovery, one that presents a saved
   * session's `pid` and a logged `offset` gets that session back, as in socket.io: its id, rooms
   * and data, and the events it missed, sent at once (before the middlewares and the CONNECT
   * reply, so the client hands them over before its `connect`).
   */
  private createSocket(
    namespace: MockNamespace,
    nsp: string,
    auth: Record<string, unknown>,
    handshake: MockHandshake,
  ): MockServerSocket {
    const recovery = namespace.recovery;
    const restored = recovery?.restore(auth.pid, auth.offset, nsp);
    if (!restored)
      return new MockServerSocket(namespace, this, randomId(), handshake, recovery?.newPid());
    const { session, missed } = restored;
    const socket = new MockServerSocket(namespace, this, session.id, handshake, session.pid);
    socket.join(session.rooms);
    socket.data = session.data;
    for (const data of missed) this.sendPacket({ type: PacketType.EVENT, nsp, data });
    socket.recovered = true;
    return socket;
  }
}
