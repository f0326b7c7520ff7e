// Starts a Socket.IO server for a test: our mock server or the official `socket.io` one,
// behind the same tiny interface, each on a random loopback port.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server as OfficialServer } from "socket.io";

/** The part of the `socket.io` Server API both implementations share and the tests use. */
export type TestIo = OfficialServer;

export interface RunningServer {
  /** Which implementation is running, for test titles. */
  name: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  io: TestIo;
  close(): Promise<void>;
}

export type ServerKind = "mock-server" | "socket.io";

export const SERVER_KINDS: ServerKind[] = ["mock-server", "socket.io"];

/** Starts a server of the given kind; `setup` registers handlers before any client connects. */
export async function startServer(
  kind: ServerKind,
  setup: (io: TestIo) => void,
  options: Record<string, unknown> = {},
): Promise<RunningServer> {
  const httpServer = createServer();
  const opts = { cors: { origin: "*" }, pingInterval: 1000, pingTimeout: 1000, ...options };
  const io = (
    kind === "mock-server" ? new MockServer(httpServer, opts) : new OfficialServer(httpServer, opts)
  ) as TestIo;
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    name: kind,
    url: `http://127.0.0.1:${port}`,
    io,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
      }),
  };
}
