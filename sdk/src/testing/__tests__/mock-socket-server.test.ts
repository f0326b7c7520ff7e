// The same feature suite in Node, through MSW's setupServer. MSW intercepts WebSocket only
// through a global `WebSocket` class: Node 22+ has one; on Node 20 the `ws` package's class is
// installed as `globalThis.WebSocket` before `server.listen()`.
import { createRequire } from "node:module";
import { io } from "@wireline/sdk";
import { setupServer } from "msw/node";
import { afterAll } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { mockSocketServer } from "../index.ts";
import { type Connect, variantsOf } from "./client-kinds.ts";
import { describeMockServer, SUITE_SERVER_OPTIONS } from "./mock-server-suite.ts";

if (!("WebSocket" in globalThis)) {
  Object.defineProperty(globalThis, "WebSocket", {
    value: NodeWebSocket,
    configurable: true,
    writable: true,
  });
}

const URL = "http://chat.test";
const server = mockSocketServer(URL, SUITE_SERVER_OPTIONS);
const msw = setupServer(...server.handlers);
msw.listen({ onUnhandledRequest: "bypass" });
afterAll(() => msw.close());

// socket.io-client's Node build opens WebSockets with the `ws` package directly, out of MSW's
// reach; its browser build uses the global (read when it loads, so after listen()). That build
// polls over XMLHttpRequest, which Node lacks, so it runs over WebSocket only here.
const socketIoClient = createRequire(import.meta.url)("socket.io-client/dist/socket.io.js") as {
  io: Connect;
};

describeMockServer(
  server,
  URL,
  variantsOf([
    {
      name: "@wireline/sdk",
      connect: io as unknown as Connect,
      transports: [["websocket"], ["polling"], ["polling", "websocket"]],
    },
    {
      name: "socket.io-client (browser build)",
      connect: socketIoClient.io,
      transports: [["websocket"]],
    },
  ]),
);
