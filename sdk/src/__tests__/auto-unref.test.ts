// `autoUnref` in Node: a process whose only work left is an open connection exits by itself.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Server } from "@wireline/mock-server";
import { afterEach, describe, expect, it } from "vitest";

const sdkEntry = fileURLToPath(new URL("../index.ts", import.meta.url));
let server: Server | undefined;

async function start(): Promise<string> {
  const httpServer = createServer();
  server = new Server(httpServer, { pingInterval: 200, pingTimeout: 200 });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

/** Runs a Node process that connects and then does nothing; resolves with how it ended. */
function runClient(url: string, autoUnref: boolean, patience: number) {
  const script = `
    import { WebSocket } from "ws";
    import { io } from ${JSON.stringify(sdkEntry)};
    const socket = io(${JSON.stringify(url)}, { WebSocket, transports: ["websocket"], autoUnref: ${autoUnref} });
    socket.on("connect", () => console.log("connected"));
  `;
  const child = spawn(
    process.execPath,
    ["--conditions=wireline-source", "--import", "tsx", "--input-type=module", "-e", script],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise<{ exited: boolean; output: string }>((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve({ exited: false, output });
    }, patience);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve({ exited: true, output });
    });
  });
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("autoUnref", () => {
  it("lets the process exit while connected", async () => {
    const url = await start();
    const result = await runClient(url, true, 10_000);
    expect(result.output).toContain("connected");
    expect(result.exited).toBe(true);
  }, 15_000);

  it("keeps the process alive without it, as a connection should", async () => {
    const url = await start();
    const result = await runClient(url, false, 4_000);
    expect(result.output).toContain("connected");
    expect(result.exited).toBe(false);
  }, 15_000);
});
