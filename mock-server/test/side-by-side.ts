// Runs one server script on @wireline/mock-server and on the official socket.io server, each
// attached to its own HTTP server, with socket.io-client as the client: what the script and
// its clients observe must be the same on both.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as OfficialServer } from "socket.io";
import {
  io as connect,
  type ManagerOptions,
  type Socket,
  type SocketOptions,
} from "socket.io-client";
import { afterEach } from "vitest";
import { Server } from "../src/index.ts";

export type AnyServer = Server | OfficialServer;
type Make = (http: HttpServer, options?: Record<string, unknown>) => AnyServer;

/** The two servers, as `describe.each` rows: `[name, make]`. */
export const implementations: ReadonlyArray<readonly [string, Make]> = [
  ["@wireline/mock-server", (http, options) => new Server(http, options)],
  ["socket.io", (http, options) => new OfficialServer(http, options)],
];

/**
 * Starts servers and clients for one test file, closing all of them after each test. Setup
 * scripts are typed against the mock server's API, which mirrors socket.io's.
 */
export function useSideBySide() {
  let io: AnyServer | undefined;
  const clients: Socket[] = [];

  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    const closing = io;
    io = undefined;
    await new Promise((resolve) =>
      closing ? closing.close(() => resolve(undefined)) : resolve(undefined),
    );
  });

  return {
    /** Creates the server with `make`, runs `setup` on it, listens; resolves with its URL. */
    async start(
      make: Make,
      setup: (server: never) => void,
      options?: Record<string, unknown>,
    ): Promise<string> {
      const httpServer = createServer();
      io = make(httpServer, options);
      setup(io as never);
      await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    },
    /** A new client over WebSocket, disconnected after the test. */
    client(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
      const socket = connect(url, { forceNew: true, transports: ["websocket"], ...options });
      clients.push(socket);
      return socket;
    },
  };
}
