// A Socket.IO server in its own process for `npm run bench`, so its heap is measured alone.
// Started with the server kind as argument; talks to the bench over IPC.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server as OfficialServer } from "socket.io";

const kind = process.argv[2];
const httpServer = createServer();
const options = { pingInterval: 60_000, pingTimeout: 60_000, transports: ["websocket" as const] };
const io =
  kind === "mock-server"
    ? new MockServer(httpServer, options)
    : new OfficialServer(httpServer, options);

type Command = { type: "heap" } | { type: "broadcast"; count: number };

function heapUsed(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

process.on("message", (command: Command) => {
  if (command.type === "heap") process.send?.({ type: "heap", bytes: heapUsed() });
  if (command.type === "broadcast") {
    for (let index = 0; index < command.count; index++)
      io.emit("tick", index, "payload of a typical size");
    process.send?.({ type: "broadcasted" });
  }
});

httpServer.listen(0, "127.0.0.1", () => {
  process.send?.({
    type: "ready",
    port: (httpServer.address() as AddressInfo).port,
    heap: heapUsed(),
  });
});
