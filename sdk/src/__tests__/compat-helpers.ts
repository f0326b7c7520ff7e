// Shared setup of the compatibility suites (compat*.test.ts): the documented examples of
// socket.io-client, run against socket.io-client itself and against @wireline/sdk with only the
// import changed (plus the WebSocket constructor Node 20 lacks, which socket.io-client ignores),
// each against the official `socket.io` 4.8 server and against @wireline/mock-server, in-process.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server, type ServerOptions, type Socket as ServerSocket } from "socket.io";
import * as socketIoClientModule from "socket.io-client";
import { Manager as SocketIoManager, io as socketIoClient } from "socket.io-client";
import { afterEach, beforeEach } from "vitest";
import { WebSocket } from "ws";
import * as wirelineModule from "../index.ts";
import { Manager as WirelineManager, io as wireline } from "../index.ts";

/** A client socket, seen through socket.io-client's types (the reference API). */
export type AnySocket = ReturnType<typeof socketIoClient>;
/** A client Manager, seen through socket.io-client's types. */
export type AnyManager = InstanceType<typeof SocketIoManager>;
type Options = Record<string, unknown>;

/** What a suite needs of one client library. */
export interface Client {
  /** `io(url, options)`. */
  io: (url: string, options?: Options) => AnySocket;
  /** `new Manager(url, options)`. */
  Manager: new (
    url: string,
    options?: Options,
  ) => AnyManager;
  /** The module's exports, for export checks. */
  module: Record<string, unknown>;
}

export const clients: Array<[string, Client]> = [
  [
    "socket.io-client",
    {
      io: (url, options) => socketIoClient(url, options),
      Manager: class extends SocketIoManager {
        constructor(url: string, options?: Options) {
          super(url, options);
        }
      },
      module: socketIoClientModule,
    },
  ],
  [
    "@wireline/sdk",
    {
      io: (url, options) => wireline(url, { WebSocket, ...options }) as never,
      Manager: class extends WirelineManager {
        constructor(url: string, options?: Options) {
          super(url, { WebSocket, ...options });
        }
      } as never,
      module: wirelineModule,
    },
  ],
];

/** What a suite needs of one server library: its `Server` attached to an HTTP server. */
export interface ServerKind {
  /** `new Server(httpServer, options)`, seen through socket.io's types (the reference API). */
  create(http: HttpServer, options: Partial<ServerOptions>): Server;
}

export const servers: Array<[string, ServerKind]> = [
  ["socket.io", { create: (http, options) => new Server(http, options) }],
  [
    "@wireline/mock-server",
    { create: (http, options) => new MockServer(http, options as never) as unknown as Server },
  ],
];

/** Every client against every server: `["<client> against <server>", client, server]`. */
export const matrix: Array<[string, Client, ServerKind]> = clients.flatMap(([clientName, client]) =>
  servers.map(([serverName, server]): [string, Client, ServerKind] => [
    `${clientName} against ${serverName}`,
    client,
    server,
  ]),
);

/** A started socket.io server. */
export interface TestServer {
  url: string;
  io: Server;
  /** Every event the default namespace received, as `[event, ...args]` (acks left out). */
  received: unknown[][];
  /** Resolves with the next server-side socket of namespace `nsp` to connect. */
  nextSocket(nsp?: string): Promise<ServerSocket>;
  close(): Promise<void>;
}

/** Starts a `kind` server on a random port; `setup` adds handlers before it listens. */
export async function startServer(
  kind: ServerKind,
  options: Partial<ServerOptions> = {},
  setup: (io: Server, server: TestServer) => void = defaultHandlers,
): Promise<TestServer> {
  const http = createServer();
  const io = kind.create(http, options);
  const server: TestServer = {
    url: "",
    io,
    received: [],
    nextSocket: (nsp = "/") =>
      new Promise((resolve) => io.of(nsp).once("connection", (socket) => resolve(socket))),
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
  io.on("connection", (socket) => {
    socket.onAny((event: string, ...args: unknown[]) => {
      server.received.push([event, ...args.filter((arg) => typeof arg !== "function")]);
    });
  });
  setup(io, server);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}

/** The handlers of the default server: an auth middleware and a few events the tests use. */
export function defaultHandlers(io: Server): void {
  io.use((socket, next) => {
    if (socket.handshake.auth.token === "bad") {
      const err = new Error("not authorized") as Error & { data?: unknown };
      err.data = { content: "Please retry later" };
      return next(err);
    }
    next();
  });
  io.on("connection", (socket) => {
    socket.on("hello", (arg: string, callback?: (r: string) => void) => callback?.(`got ${arg}`));
    socket.on("echo", (...args: unknown[]) => {
      const callback = args.pop();
      if (typeof callback === "function") callback(...args);
    });
    socket.on("whoami", (callback: (info: unknown) => void) =>
      callback({
        id: socket.id,
        auth: socket.handshake.auth,
        query: socket.handshake.query,
        headers: socket.handshake.headers,
        transport: socket.conn.transport.name,
      }),
    );
    socket.on("kick", () => socket.disconnect());
    socket.on("drop", () => socket.conn.close());
    socket.emit("greeting", "welcome");
  });
  io.of("/admin").on("connection", (socket) => {
    socket.on("whereami", (callback: (nsp: string) => void) => callback(socket.nsp.name));
  });
}

/** An http URL where nothing listens (a port that was free a moment ago). */
export async function deadUrl(): Promise<string> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  await new Promise((resolve) => http.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Resolves with the arguments of the next `event` of `emitter`. */
export function next<T = unknown>(
  emitter: { once(event: string, listener: (...args: never[]) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, ((arg: T) => resolve(arg)) as never));
}

/** Per-test state of a suite: a default server, and sockets and servers closed after each test. */
export interface CompatEnv {
  readonly server: TestServer;
  readonly url: string;
  /** `io(url + path, options)`, with `forceNew` unless `options` says otherwise. */
  open(path?: string, options?: Options): AnySocket;
  /** `io(fullUrl, options)` without forcing a new connection. */
  lookup(fullUrl: string, options?: Options): AnySocket;
  /** `new Manager(url, options)`, its sockets disconnected after the test. */
  manager(url: string, options?: Options): AnyManager;
  /** Another server of the suite's kind, closed after the test. */
  startServer(
    options?: Partial<ServerOptions>,
    setup?: (io: Server, server: TestServer) => void,
  ): Promise<TestServer>;
  /** Resolves once `socket` has connected (at once if it already is). */
  connected(socket: AnySocket): Promise<void>;
}

export function useCompatEnv(client: Client, kind: ServerKind): CompatEnv {
  let server: TestServer;
  const started: TestServer[] = [];
  const sockets: AnySocket[] = [];
  const managers: AnyManager[] = [];

  beforeEach(async () => {
    server = await startServer(kind);
    started.push(server);
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const manager of managers.splice(0)) {
      // socket.io-client keeps a Manager's sockets in an object, Wireline in a Map.
      const nsps = (
        manager as unknown as { nsps: Record<string, AnySocket> | Map<string, AnySocket> }
      ).nsps;
      for (const socket of nsps instanceof Map ? nsps.values() : Object.values(nsps))
        socket.disconnect();
    }
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  const track = (socket: AnySocket) => {
    sockets.push(socket);
    return socket;
  };

  return {
    get server() {
      return server;
    },
    get url() {
      return server.url;
    },
    open: (path = "", options) =>
      track(client.io(server.url + path, { forceNew: true, ...options })),
    lookup: (fullUrl, options) => track(client.io(fullUrl, options)),
    manager: (url, options) => {
      const manager = new client.Manager(url, options);
      managers.push(manager);
      return manager;
    },
    startServer: async (options, setup) => {
      const another = await startServer(kind, options, setup);
      started.push(another);
      return another;
    },
    connected: async (socket) => {
      if (socket.connected) return;
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    },
  };
}
