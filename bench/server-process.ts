// A Socket.IO server in its own process for `npm run bench`, so that its CPU and heap are not
// counted against the client or the other server. Started with the server kind as argument
// ("mock-server" or "socket.io"); talks to the bench over IPC.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server as OfficialServer } from "socket.io";

const kind = process.argv[2];
const httpServer = createServer();
const options = { pingInterval: 60_000, pingTimeout: 60_000 };
const io =
  kind === "mock-server"
    ? new MockServer(httpServer, options)
    : new OfficialServer(httpServer, options);

// Counted after the server attached: engine.io wraps the request listeners present before it.
let requests = 0;
httpServer.on("request", () => requests++);
httpServer.on("upgrade", () => requests++);

(io as OfficialServer).on("connection", (socket) => {
  socket.on("flood", (count: number) => {
    // Pre-encoded Socket.IO packets written straight to the Engine.IO session, so the server
    // spends as little as possible per event and the client's receive path is what is timed.
    for (let index = 0; index < count; index++)
      socket.conn.send(`2["event",${index},"a typical payload"]`);
  });
  socket.on("acked", (_value: number, ack: () => void) => ack());
});

type Command = { type: "heap" } | { type: "broadcast"; count: number } | { type: "requests" };

function heapUsed(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

process.on("message", (command: Command) => {
  if (command.type === "heap") process.send?.({ type: "heap", bytes: heapUsed() });
  if (command.type === "requests") {
    process.send?.({ type: "requests", count: requests });
    requests = 0;
  }
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
