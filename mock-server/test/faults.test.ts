import { createServer } from "node:http";
import { type AddressInfo, connect as netConnect } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Server, type ServerSocket } from "../src/index.ts";
import { connected, uncaughtDuring, upgradeRequest } from "./helpers.ts";

// Fault injection driven through the HTTP control endpoint, as a Playwright test would,
// observed with raw fetch/ws and with the official socket.io-client.

let io: Server;
let base: string;
const clients: Socket[] = [];

async function start(options = {}): Promise<void> {
  const httpServer = createServer();
  // Heartbeats slow enough that a loaded machine never times a client out by accident; the
  // tests about pings pass their own.
  io = new Server(httpServer, { pingInterval: 1000, pingTimeout: 2000, ...options });
  io.on("connection", (socket: ServerSocket) => {
    socket.on("echo", (value: unknown, ack: (reply: unknown) => void) => ack(value));
    socket.on("burst", (count: number) => {
      for (let index = 0; index < count; index++) socket.emit("tick", index);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  await io?.close();
});

async function fault(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/socket.io/__faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function client(options: Parameters<typeof connect>[1] = {}): Socket {
  const socket = connect(base, {
    forceNew: true,
    transports: ["websocket"],
    reconnectionDelay: 20,
    reconnectionDelayMax: 40,
    ...options,
  });
  clients.push(socket);
  return socket;
}

const disconnected = (socket: Socket) =>
  new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

describe("the fault control endpoint", () => {
  it("drops every open transport, and clients see 'transport close' then reconnect", async () => {
    await start();
    const socket = client();
    await connected(socket);
    const reason = disconnected(socket);
    expect((await fault({ action: "dropTransports" })).status).toBe(200);
    expect(await reason).toBe("transport close");
    await connected(socket);
  });

  it("stops pings so clients see 'ping timeout', and clearing stopPings lets them stay", async () => {
    await start({ pingInterval: 200, pingTimeout: 1000 });
    const socket = client({ reconnection: false });
    await connected(socket);
    const reason = disconnected(socket);
    await fault({ action: "stopPings" });
    expect(await reason).toBe("ping timeout");
    await fault({ action: "clear", fault: "stopPings" });
    const again = client();
    await connected(again);
    // Several ping intervals (200 ms) pass, past one deadline (1.2 s), and pings keep it alive.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(again.connected).toBe(true);
  });

  it("with scope current, silences only the connections open now: a new one works", async () => {
    await start({ pingInterval: 200, pingTimeout: 400 });
    const stale = client({ reconnection: false });
    await connected(stale);
    const reason = disconnected(stale);
    expect((await fault({ action: "blackHole", scope: "current" })).status).toBe(200);
    expect(await reason).toBe("ping timeout");
    const fresh = client({ reconnection: false });
    await connected(fresh);
    expect(await fresh.timeout(1000).emitWithAck("echo", 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(fresh.connected).toBe(true);
    expect(io.faults.active()).toEqual({});
  });

  it("keeps connections silenced with scope current so when another fault is cleared", async () => {
    await start({ pingInterval: 100, pingTimeout: 2000 });
    const socket = client({ reconnection: false });
    await connected(socket);
    let pings = 0;
    socket.io.on("ping", () => pings++);
    io.faults.stopPings({ scope: "current" });
    io.faults.rejectHandshakes(503);
    io.faults.clear("rejectHandshakes");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pings).toBe(0);
    io.faults.clear("stopPings");
    await expect.poll(() => pings).toBeGreaterThan(0);
  });

  it("answers no new handshake while black-holed: a dead server, not a half-open one", async () => {
    await start();
    await fault({ action: "blackHole" });
    const answered = await Promise.race([
      fetch(`${base}/socket.io/?EIO=4&transport=polling`).then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    expect(answered).toBe(false);
    const opened = await new Promise((resolve) => {
      const ws = new WebSocket(
        `${base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`,
      );
      ws.on("message", () => resolve(true));
      ws.on("error", () => resolve(false));
      setTimeout(() => {
        ws.terminate();
        resolve(false);
      }, 300);
    });
    expect(opened).toBe(false);
  });

  it("opens no session for a delayed handshake once the server closed", async () => {
    await start();
    io.faults.delayHandshakes(300);
    const request = fetch(`${base}/socket.io/?EIO=4&transport=polling`).catch(() => "failed");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await io.close();
    expect(await request).toBe("failed");
    // Past the delay: the held handshake must not open a session on the closed server.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(io.engine.clients.size).toBe(0);
  });

  it("survives a client resetting its WebSocket upgrade while the handshake is delayed", async () => {
    await start();
    io.faults.delayHandshakes(200);
    // Node's HTTP server hands an upgrade's socket over without an error listener: a reset
    // while the delayed handshake waits must not become the process's uncaught exception.
    const uncaught = await uncaughtDuring(async () => {
      const raw = netConnect(Number(new URL(base).port), "127.0.0.1");
      await new Promise((resolve) => raw.once("connect", resolve));
      raw.write(upgradeRequest());
      await new Promise((resolve) => setTimeout(resolve, 50));
      raw.resetAndDestroy();
      // Past the delay: the server let the dead socket go.
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(uncaught).toEqual([]);
    io.faults.clear();
    await connected(client());
    expect(io.engine.clients.size).toBe(1);
  });

  it("opens no session for a polling handshake whose client left while it was delayed", async () => {
    await start();
    io.faults.delayHandshakes(200);
    const opened: unknown[] = [];
    io.engine.on("connection", (client: unknown) => opened.push(client));
    const raw = netConnect(Number(new URL(base).port), "127.0.0.1");
    raw.on("error", () => undefined);
    raw.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    raw.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(opened).toEqual([]);
    expect(io.engine.clients.size).toBe(0);
  });

  it("checks fault values given in code as over HTTP", async () => {
    await start();
    expect(() => io.faults.rejectHandshakes(0)).toThrow("HTTP error status (400-599)");
    expect(() => io.faults.rejectHandshakes(302)).toThrow("HTTP error status (400-599)");
    expect(() => io.faults.delayHandshakes(3e9)).toThrow("<= 2147483647");
    expect(() => io.faults.closeAfterPackets(0)).toThrow(">= 1");
    expect((await fault({ action: "delayHandshakes", ms: 3e9 })).status).toBe(400);
    expect(() => io.faults.restart({ downtimeMs: "1000" as never })).toThrow(
      'fault field "downtimeMs" needs a whole number >= 0',
    );
    expect(() => io.faults.restart({ downtimeMs: Number.NaN })).toThrow('"downtimeMs"');
    expect(() => io.faults.restart({ downtimeMs: -5 })).toThrow('"downtimeMs"');
    expect(() => io.faults.clear("stopPing" as never)).toThrow(
      'cannot clear unknown fault "stopPing"',
    );
    expect(() => io.faults.stopPings({ scope: "currnet" as never })).toThrow(
      'a fault\'s scope is "all" (default) or "current", got "currnet"',
    );
    expect(() => io.faults.blackHole({ scope: "currnet" as never })).toThrow("a fault's scope");
    expect(io.faults.active()).toEqual({});
  });

  it("answers 413 to a control request too large to be one", async () => {
    await start();
    const response = await fault(JSON.stringify({ action: "clear", padding: "x".repeat(100_000) }));
    expect(response.status).toBe(413);
    expect(String(response.json.error)).toContain("64 KB at most");
  });

  it("lists a restart's downtime as active, and clears it by name", async () => {
    await start();
    await fault({ action: "restart", downtimeMs: 60_000 });
    expect(io.faults.active().restart).toBeGreaterThan(50_000);
    expect((await fault({ action: "clear", fault: "restart" })).status).toBe(200);
    expect((await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
  });

  it("answers 404 for other paths on a server it created", async () => {
    const own = new Server({ pingInterval: 1000 }).listen(0);
    const http = own.httpServer!;
    await new Promise((resolve) => http.once("listening", resolve));
    const { port } = http.address() as AddressInfo;
    try {
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/socket.io/__faults/`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it("refuses a scope it does not know", async () => {
    await start();
    const response = await fault({ action: "stopPings", scope: "some" });
    expect(response.status).toBe(400);
    expect(String(response.json.error)).toMatch(/scope is "all" \(default\) or "current"/);
  });

  it("black-holes connections: nothing gets through either way, until cleared", async () => {
    await start();
    const socket = client({ reconnection: false });
    await connected(socket);
    const ticks: unknown[] = [];
    socket.on("tick", (index: unknown) => ticks.push(index));
    await fault({ action: "blackHole" });
    await expect(socket.timeout(150).emitWithAck("echo", 1)).rejects.toThrow();
    // What the server emits is lost on the way too, as on a dead network path.
    for (const serverSocket of io.sockets.sockets.values()) serverSocket.emit("tick", "lost");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ticks).toEqual([]);
    await fault({ action: "clear", fault: "blackHole" });
    expect(await socket.timeout(1000).emitWithAck("echo", 2)).toBe(2);
  });

  it("refuses WebSocket with 400 while polling still connects", async () => {
    await start();
    await fault({ action: "refuseWebSocket" });
    const status = await new Promise((resolve) => {
      const ws = new WebSocket(
        `${base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`,
      );
      ws.on("unexpected-response", (_request, response) => resolve(response.statusCode));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(400);
    const socket = client({ transports: ["polling", "websocket"] });
    await connected(socket);
    expect(socket.io.engine.transport.name).toBe("polling");
  });

  describe("holdWebSocket", () => {
    const wsUrl = (query = "") =>
      `${base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket${query}`;

    /** What a raw WebSocket sees first: "open", "error" or "close", or "nothing" for 300 ms. */
    const firstOutcome = (ws: WebSocket) =>
      new Promise<string>((resolve) => {
        ws.once("open", () => resolve("open"));
        ws.once("error", () => resolve("error"));
        ws.once("close", () => resolve("close"));
        setTimeout(() => resolve("nothing"), 300);
      });

    /** A polling session's sid, from its handshake. */
    const pollingSid = async () => {
      const response = await fetch(`${base}/socket.io/?EIO=4&transport=polling`);
      expect(response.status).toBe(200);
      return JSON.parse((await response.text()).slice(1)).sid as string;
    };

    const sockets: WebSocket[] = [];
    const open = (query?: string) => {
      const ws = new WebSocket(wsUrl(query));
      ws.on("error", () => undefined);
      sockets.push(ws);
      return ws;
    };
    afterEach(() => {
      for (const ws of sockets.splice(0)) ws.terminate();
    });

    it("leaves a WebSocket unanswered, neither open nor failed, while polling works", async () => {
      await start();
      expect((await fault({ action: "holdWebSocket" })).json).toEqual({
        ok: true,
        active: { holdWebSocket: true },
      });
      expect(await firstOutcome(open())).toBe("nothing");
      await pollingSid();
    });

    it("holds the upgrade of a polling session too", async () => {
      await start();
      io.faults.holdWebSocket();
      const sid = await pollingSid();
      expect(await firstOutcome(open(`&sid=${sid}`))).toBe("nothing");
    });

    /** Holds one WebSocket, then runs `end`; resolves with what that client sees next. */
    const holdOneThen = async (end: () => unknown) => {
      await start();
      io.faults.holdWebSocket();
      const held = open();
      expect(await firstOutcome(held)).toBe("nothing");
      const ended = firstOutcome(held);
      await end();
      return ended;
    };

    it("destroys the held requests when cleared, and lets the next WebSocket connect", async () => {
      expect(await holdOneThen(() => io.faults.clear("holdWebSocket"))).not.toBe("nothing");
      expect(io.faults.active()).toEqual({});
      expect(await firstOutcome(open())).toBe("open");
    });

    it("forgets a held request its client closes, leaving no socket open", async () => {
      await start();
      io.faults.holdWebSocket();
      // A raw client, so that it can also send bytes after its request, which nobody reads.
      const held = netConnect(Number(new URL(base).port), "127.0.0.1");
      held.write(upgradeRequest());
      await new Promise((resolve) => setTimeout(resolve, 100));
      held.end("early bytes");
      const httpServer = io.httpServer!;
      const connections = () =>
        new Promise<number>((resolve) =>
          httpServer.getConnections((_error, count) => resolve(count)),
        );
      await expect.poll(connections).toBe(0);
    });

    it("destroys the held requests when the server closes", async () => {
      expect(await holdOneThen(() => io.close())).not.toBe("nothing");
    });
  });

  it("rejects handshakes with the given HTTP status, and accepts them once cleared", async () => {
    await start();
    await fault({ action: "rejectHandshakes", status: 429 });
    expect((await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).status).toBe(429);
    await fault({ action: "clear", fault: "rejectHandshakes" });
    expect((await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
  });

  it("delays handshakes by at least the given ms", async () => {
    await start();
    await fault({ action: "delayHandshakes", ms: 150 });
    const began = performance.now();
    expect((await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
    // A lower bound only: a delay can be longer on a busy machine, never shorter.
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
  });

  it("closes a connection after it was sent N more packets", async () => {
    await start();
    const socket = client({ reconnection: false });
    await connected(socket);
    await fault({ action: "closeAfterPackets", count: 3 });
    const ticks: number[] = [];
    socket.on("tick", (index: number) => ticks.push(index));
    const reason = disconnected(socket);
    socket.emit("burst", 10);
    expect(await reason).toBe("transport close");
    expect(ticks.length).toBeLessThanOrEqual(3);
  });

  it("restarts: every client drops, handshakes get 503 during the downtime, then reconnect", async () => {
    await start();
    const socket = client();
    await connected(socket);
    const reason = disconnected(socket);
    await fault({ action: "restart", downtimeMs: 800 });
    expect(await reason).toBe("transport close");
    expect((await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).status).toBe(503);
    await connected(socket);
  });

  it("lists the faults in force on GET, and clears them all", async () => {
    await start();
    await fault({ action: "stopPings" });
    await fault({ action: "rejectHandshakes" });
    const listed = await (await fetch(`${base}/socket.io/__faults`)).json();
    expect(listed).toEqual({ active: { stopPings: true, rejectHandshakes: 503 } });
    expect((await fault({ action: "clear" })).json).toEqual({ ok: true, active: {} });
  });

  it.each([
    ["an unknown action", { action: "explode" }, "unknown fault action"],
    ["text that is not JSON", "drop everything", "JSON"],
    ["a JSON value that is not an object", "[1]", "JSON object"],
    ["a status that is not an HTTP error", { action: "rejectHandshakes", status: 200 }, "400-599"],
    ["a negative delay", { action: "delayHandshakes", ms: -1 }, '"ms"'],
    ["a packet count of zero", { action: "closeAfterPackets", count: 0 }, '"count"'],
    ["an unknown fault to clear", { action: "clear", fault: "gravity" }, "cannot clear"],
  ])("answers 400 with a message to %s", async (_name, body, message) => {
    await start();
    const { status, json } = await fault(body);
    expect(status).toBe(400);
    expect(String(json.error)).toContain(message);
  });

  it("is driven from code too: io.faults.clear() with no name clears everything", async () => {
    await start();
    io.faults.refuseWebSocket();
    io.faults.delayHandshakes(10);
    expect(io.faults.active()).toEqual({ refuseWebSocket: true, delayHandshakes: 10 });
    io.faults.clear();
    expect(io.faults.active()).toEqual({});
  });
});
