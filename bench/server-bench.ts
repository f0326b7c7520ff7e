// Mock server vs socket.io server, same raw clients, same loopback, one run.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import type { BenchRow } from "./report.ts";

const CLIENTS = 1000;
const BROADCASTS = 100;

interface Measured {
  acceptMs: number;
  broadcastPerSecond: number;
  heapPerConnection: number;
}

function nextMessage(child: ChildProcess, type: string): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    const listener = (message: { type: string } & Record<string, number>) => {
      if (message.type !== type) return;
      child.off("message", listener);
      resolve(message);
    };
    child.on("message", listener);
  });
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

async function measure(kind: string): Promise<Measured> {
  const child = fork(fileURLToPath(new URL("./server-process.ts", import.meta.url)), [kind], {
    execArgv: ["--expose-gc", "--conditions=wireline-source", "--import", "tsx"],
  });
  const { port, heap: heapBefore } = await nextMessage(child, "ready");
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
      connectRaw(port!, onTick),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const acceptMs = performance.now() - acceptStart;

  child.send({ type: "heap" });
  const { bytes: heapAfter } = await nextMessage(child, "heap");

  const received = new Promise<void>((resolve) => {
    allTicked = resolve;
  });
  const broadcastStart = performance.now();
  child.send({ type: "broadcast", count: BROADCASTS });
  await received;
  const broadcastSeconds = (performance.now() - broadcastStart) / 1000;

  for (const socket of sockets) socket.terminate();
  child.kill();
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
