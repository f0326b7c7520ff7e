// Mock server vs socket.io server, same raw clients, same loopback, one run.
import { WebSocket } from "ws";
import type { BenchRow } from "./report.ts";
import { spawnServer } from "./spawn-server.ts";

const CLIENTS = 1000;
const BROADCASTS = 100;

interface Measured {
  acceptMs: number;
  broadcastPerSecond: number;
  heapPerConnection: number;
}

/** Opens a raw Engine.IO + Socket.IO connection; resolves once the namespace CONNECT is acknowledged. */
function connectRaw(port: number, onTick: () => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    ws.on("message", (data) => {
      const text = data.toString();
      if (text.startsWith("0")) ws.send("40");
      else if (text.startsWith("40")) resolve(ws);
      else if (text.startsWith("42")) onTick();
      else if (text === "2") ws.send("3");
    });
    ws.on("error", reject);
  });
}

async function measure(kind: "mock-server" | "socket.io"): Promise<Measured> {
  const server = await spawnServer(kind);
  const { port, initialHeap: heapBefore } = server;
  let ticks = 0;
  let allTicked: () => void = () => {};
  const onTick = () => {
    ticks++;
    if (ticks === CLIENTS * BROADCASTS) allTicked();
  };

  const acceptStart = performance.now();
  const sockets: WebSocket[] = [];
  for (let start = 0; start < CLIENTS; start += 100) {
    const batch = Array.from({ length: Math.min(100, CLIENTS - start) }, () =>
      connectRaw(port, onTick),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const acceptMs = performance.now() - acceptStart;

  const { bytes: heapAfter } = await server.ask({ type: "heap" }, "heap");

  const received = new Promise<void>((resolve) => {
    allTicked = resolve;
  });
  const broadcastStart = performance.now();
  server.ask({ type: "broadcast", count: BROADCASTS }, "broadcasted");
  await received;
  const broadcastSeconds = (performance.now() - broadcastStart) / 1000;

  for (const socket of sockets) socket.terminate();
  server.stop();
  return {
    acceptMs,
    broadcastPerSecond: (CLIENTS * BROADCASTS) / broadcastSeconds,
    heapPerConnection: (heapAfter! - heapBefore!) / CLIENTS,
  };
}

/** The mock server against the socket.io server: accept time, broadcast rate, heap per connection. */
export async function serverRows(): Promise<BenchRow[]> {
  const ours = await measure("mock-server");
  const theirs = await measure("socket.io");
  const common = { baselineName: "socket.io server" } as const;
  return [
    {
      name: `mock server: accept ${CLIENTS} WebSocket clients`,
      unit: "ms",
      wireline: ours.acceptMs,
      baseline: theirs.acceptMs,
      better: "lower",
      ...common,
    },
    {
      name: `mock server: broadcast to ${CLIENTS} clients`,
      unit: "msg/s",
      wireline: ours.broadcastPerSecond,
      baseline: theirs.broadcastPerSecond,
      better: "higher",
      ...common,
    },
    {
      name: "mock server: heap per connection",
      unit: "B",
      wireline: ours.heapPerConnection,
      baseline: theirs.heapPerConnection,
      better: "lower",
      ...common,
    },
  ];
}
