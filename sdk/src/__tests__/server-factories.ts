// Servers the interop suite runs against. Each factory starts a server on a random port of
// 127.0.0.1 and gives back the socket.io-like API the tests drive, so the same suite runs
// against the official `socket.io` server and, later, `@wireline/mock-server`.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server, type ServerOptions } from "socket.io";

/** A started server under test. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The socket.io-compatible server object. */
  io: Server;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
  /** Stops the server, then starts a new one on the same port (a server restart). */
  restart(): Promise<void>;
}

/** Starts a server; `setup` registers handlers again on every (re)start. */
export type ServerFactory = (
  options: Partial<ServerOptions>,
  setup: (io: Server) => void,
) => Promise<TestServer>;

/** What a server under test implements, so the suite skips what it cannot check. */
export interface ServerCapabilities {
  transports: string[];
  recovery: boolean;
}

/** The socket.io surface both servers share, seen through socket.io's types. */
interface ServerLike {
  close(callback?: () => void): unknown;
}

function listen(http: HttpServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve((http.address() as AddressInfo).port));
  });
}

function serverFactory(create: (http: HttpServer, options: Partial<ServerOptions>) => ServerLike) {
  const factory: ServerFactory = async (options, setup) => {
    let http = createServer();
    let io = create(http, options) as Server;
    setup(io);
    const port = await listen(http);
    const closeCurrent = async () => {
      // Like a process exit: transports drop without a Socket.IO DISCONNECT packet.
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      });
    };
    const server: TestServer = {
      url: `http://127.0.0.1:${port}`,
      io,
      close: closeCurrent,
      async restart() {
        await closeCurrent();
        http = createServer();
        io = create(http, options) as Server;
        server.io = io;
        setup(io);
        await listen(http, port);
      },
    };
    return server;
  };
  return factory;
}

/** The official socket.io 4.8 server. */
export const socketIoServer = serverFactory((http, options) => new Server(http, options));

/** Our `@wireline/mock-server`, driven through the same socket.io API subset. */
export const mockServer = serverFactory(
  (http, options) => new MockServer(http, options as never) as unknown as ServerLike,
);
