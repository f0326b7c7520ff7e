import { io } from "@wireline/sdk";
import { setupWorker } from "msw/browser";
import { afterAll } from "vitest";
import { mockSocketServer } from "../index.ts";
import { type Connect, variantsOf } from "./client-kinds.ts";
import { describeMockServer, SUITE_SERVER_OPTIONS } from "./mock-server-suite.ts";

const URL = "http://chat.test";
const server = mockSocketServer(URL, SUITE_SERVER_OPTIONS);
const worker = setupWorker(...server.handlers);

// socket.io-client reads globalThis.WebSocket when its module loads, so it is imported only
// after worker.start() has installed MSW's WebSocket; @wireline/sdk looks it up at connect time.
const { io: socketIoClient } = await worker
  .start({ quiet: true, onUnhandledRequest: "bypass" })
  .then(() => import("socket.io-client"));

afterAll(() => worker.stop());

const all: Array<"polling" | "websocket">[] = [
  ["websocket"],
  ["polling"],
  ["polling", "websocket"],
];
describeMockServer(
  server,
  URL,
  variantsOf([
    { name: "@wireline/sdk", connect: io as unknown as Connect, transports: all },
    { name: "socket.io-client", connect: socketIoClient as unknown as Connect, transports: all },
  ]),
);
