// Runs one scenario against the official socket.io server and against the mock, so a test can
// assert that both show the same outcome. The mock is driven through socket.io's `Server` type:
// the scenario only uses what both have.
import type { IoOptions } from "@wireline/sdk";
import { setupServer } from "msw/node";
import type { Server, ServerOptions } from "socket.io";
import { afterAll, afterEach } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { socketIoServer } from "../../__tests__/server-factories.ts";
import { mockSocketServer } from "../index.ts";

if (!("WebSocket" in globalThis)) {
  Object.defineProperty(globalThis, "WebSocket", {
    value: NodeWebSocket,
    configurable: true,
    writable: true,
  });
}

/** A started server: its URL, socket.io's API, and the client options that reach it. */
export interface StartedServer {
  url: string;
  io: Server;
  /** Options for `io(url, …)`: the WebSocket class that reaches this server. */
  clientOptions: Partial<IoOptions>;
}

/** Starts a server with socket.io's options. */
export type StartServer = (options: Partial<ServerOptions>) => Promise<StartedServer>;

const msw = setupServer();
msw.listen({ onUnhandledRequest: "bypass" });
const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  msw.resetHandlers();
});
afterAll(() => msw.close());

/** The official socket.io 4.8 server on a random port of 127.0.0.1, reached past MSW. */
const startSocketIo: StartServer = async (options) => {
  const { url, io, close } = await socketIoServer(options, () => {});
  stops.push(close);
  // The `ws` class itself: MSW intercepts the global one only.
  return { url, io, clientOptions: { WebSocket: NodeWebSocket } };
};

let mocks = 0;
/** The mock, at a host of its own, its handlers registered with MSW. */
const startMock: StartServer = async (options) => {
  const url = `http://both-${++mocks}.test`;
  const server = mockSocketServer(url, options as never);
  msw.use(...server.handlers);
  stops.push(() => server.reset());
  return { url, io: server as unknown as Server, clientOptions: {} };
};

/** Both servers, for `describe.each`. */
export const BOTH_SERVERS: Array<[string, StartServer]> = [
  ["socket.io 4.8", startSocketIo],
  ["mockSocketServer", startMock],
];
