// Node's built-in WebSocket (undici; global from Node 22, behind --experimental-websocket on
// Node 20) takes headers in an options object, not `ws`'s third argument: `extraHeaders` must
// reach the server there too, and a TLS or agent option it cannot honour must fail clearly
// rather than be dropped. Run in a child Node, so the flag applies.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const client = fileURLToPath(
  new URL("../../test/fixtures/builtin-websocket-client.ts", import.meta.url),
);
let url = "";
let close: () => Promise<void>;

beforeAll(async () => {
  const http = createServer();
  const server = new Server(http);
  server.on("connection", (socket) => {
    socket.on("headers", (callback: (headers: unknown) => void) =>
      callback(socket.handshake.headers),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      http.closeAllConnections();
    });
});

afterAll(() => close());

/** Runs the client fixture under Node's built-in WebSocket with `options`; returns its report. */
async function run(options: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--experimental-websocket", "--conditions=wireline-source", "--import", "tsx", client],
    { env: { ...process.env, WIRELINE_URL: url, WIRELINE_OPTIONS: JSON.stringify(options) } },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
}

describe("Node's built-in WebSocket", () => {
  it("sends extraHeaders with the handshake", async () => {
    const report = await run({ extraHeaders: { "x-token": "abc" } });
    expect((report.headers as Record<string, string>)["x-token"]).toBe("abc");
  });

  it("connects without any Node-only option, as in a browser", async () => {
    const report = await run({});
    expect(report.headers).toBeDefined();
  });

  it("fails clearly with an option only the ws package takes, instead of dropping it", async () => {
    const report = await run({ rejectUnauthorized: false });
    expect(report.connectError).toMatch(
      /Node's built-in WebSocket takes no rejectUnauthorized\. Pass the ws package's/,
    );
  });
}, 30_000);
