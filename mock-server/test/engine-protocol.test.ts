import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { EngineServer } from "../src/index.ts";
import { startEchoEngine } from "./helpers.ts";

// Engine.IO v4 rules checked with raw fetch and ws, no Socket.IO client involved.

let engine: EngineServer;
let base: string;

async function start(options: Parameters<typeof startEchoEngine>[0] = {}): Promise<void> {
  ({ engine, base } = await startEchoEngine(options));
}

afterEach(() => engine?.close());

async function handshake(): Promise<{
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}> {
  const response = await fetch(`${base}?EIO=4&transport=polling`);
  const body = await response.text();
  expect(body.startsWith("0")).toBe(true);
  return JSON.parse(body.slice(1));
}

describe("Engine.IO v4 over HTTP long-polling", () => {
  it("answers the handshake with sid, upgrades, pingInterval, pingTimeout and maxPayload", async () => {
    await start();
    const open = await handshake();
    expect(open).toEqual({
      sid: expect.any(String),
      upgrades: ["websocket"],
      pingInterval: 300,
      pingTimeout: 200,
      maxPayload: 1000,
    });
  });

  it.each([
    ["an unsupported EIO version", "?EIO=3&transport=polling", 5],
    ["a missing EIO", "?transport=polling", 5],
    ["an unknown transport", "?EIO=4&transport=carrier-pigeon", 0],
    ["an unknown sid", "?EIO=4&transport=polling&sid=nope", 1],
  ])("refuses %s with 400 and the engine.io error code", async (_name, query, code) => {
    await start();
    const response = await fetch(base + query);
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe(code);
  });

  it("answers a method other than GET and POST with engine.io's bare 500", async () => {
    await start();
    const { sid } = await handshake();
    const response = await fetch(`${base}?EIO=4&transport=polling&sid=${sid}`, {
      method: "PUT",
      body: "x",
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("");
  });

  it("echoes messages: POST answers ok, the next GET carries the \\x1e-joined payload with base64 binary", async () => {
    await start();
    const { sid } = await handshake();
    const url = `${base}?EIO=4&transport=polling&sid=${sid}`;
    const post = await fetch(url, { method: "POST", body: "4hello\x1ebAQID" });
    expect(await post.text()).toBe("ok");
    expect(await (await fetch(url)).text()).toBe("4hello\x1ebAQID");
  });

  it("closes the session when a second GET is pending, answering it 400 and the first with a close packet", async () => {
    await start();
    const { sid } = await handshake();
    const url = `${base}?EIO=4&transport=polling&sid=${sid}`;
    const first = fetch(url).then((response) => response.text());
    await expect.poll(() => engine.clients.get(sid)?.transport.writable).toBe(true);
    const second = await fetch(url);
    expect(second.status).toBe(400);
    // The first GET ends with a close packet, as engine.io does.
    expect(await first).toBe("1");
    expect(engine.clients.has(sid)).toBe(false);
  });

  it("answers 413 to a POST larger than maxPayload and keeps the session, as engine.io", async () => {
    await start();
    const { sid } = await handshake();
    const response = await fetch(`${base}?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      body: `4${"x".repeat(2000)}`,
    });
    expect(response.status).toBe(413);
    // The client, its write refused, leaves; until then the session answers as before.
    expect(engine.clients.has(sid)).toBe(true);
    const next = await fetch(`${base}?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      body: "4small",
    });
    expect(next.status).toBe(200);
  });

  it("pings every pingInterval and closes the session when no pong comes within pingTimeout", async () => {
    await start();
    const { sid } = await handshake();
    const closed = new Promise((resolve) => engine.clients.get(sid)!.once("close", resolve));
    expect(await (await fetch(`${base}?EIO=4&transport=polling&sid=${sid}`)).text()).toBe("2");
    expect(await closed).toBe("ping timeout");
  });

  it("asks a cors origin function, like the cors package, whether to allow an origin", async () => {
    await start({
      cors: {
        origin: (
          origin: string | undefined,
          callback: (error: Error | null, allow: boolean) => void,
        ) => callback(null, origin?.endsWith(".trusted.example") ?? false),
      },
    });
    const allowed = await fetch(`${base}?EIO=4&transport=polling`, {
      headers: { origin: "https://a.trusted.example" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://a.trusted.example");
    const refused = await fetch(`${base}?EIO=4&transport=polling`, {
      headers: { origin: "https://evil.example" },
    });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a CORS preflight and allows the configured origin", async () => {
    await start({ cors: { origin: "https://app.example", credentials: true } });
    const preflight = await fetch(`${base}?EIO=4&transport=polling`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
  });
});

describe("Engine.IO v4 over WebSocket", () => {
  function open(query: string): Promise<{ ws: WebSocket; frames: string[] }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}${query}`);
      const frames: string[] = [];
      ws.on("message", (data) => frames.push(data.toString()));
      ws.on("open", () => resolve({ ws, frames }));
      // Before the open, a failure to connect; after it, nothing the tests wait on.
      ws.on("error", reject);
      ws.on("unexpected-response", (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
    });
  }

  it("opens directly with no upgrades and echoes text", async () => {
    await start();
    const { ws, frames } = await open("?EIO=4&transport=websocket");
    await expect.poll(() => frames.length).toBe(1);
    expect(JSON.parse(frames[0]!.slice(1)).upgrades).toEqual([]);
    ws.send("4hey");
    await expect.poll(() => frames[1]).toBe("4hey");
    ws.close();
  });

  it("breaks off a WebSocket with a bad EIO after its handshake, as engine.io: no session, code 5", async () => {
    await start();
    const errors: number[] = [];
    engine.on("connection_error", (error: { code: number }) => errors.push(error.code));
    const { ws, frames } = await open("?EIO=3&transport=websocket");
    // engine.io writes its 400 over the open connection, which the client cannot read as frames.
    const closed = await new Promise<number>((resolve) => ws.once("close", resolve));
    expect(closed).toBe(1006);
    expect(frames).toEqual([]);
    expect(errors).toEqual([5]);
    expect(engine.clientsCount).toBe(0);
  });

  it("upgrades a polling session: 2probe → 3probe, a noop to the pending GET, then 5; the old sid can no longer poll", async () => {
    await start();
    const { sid } = await handshake();
    const pollUrl = `${base}?EIO=4&transport=polling&sid=${sid}`;
    const pendingGet = fetch(pollUrl).then((response) => response.text());
    const { ws, frames } = await open(`?EIO=4&transport=websocket&sid=${sid}`);
    ws.send("2probe");
    await expect.poll(() => frames[0]).toBe("3probe");
    expect(await pendingGet).toBe("6");
    ws.send("5");
    ws.send("4after upgrade");
    await expect.poll(() => frames.at(-1)).toBe("4after upgrade");
    expect((await fetch(pollUrl)).status).toBe(400);
    ws.close();
  });

  it("closes a WebSocket that sends a frame larger than maxPayload", async () => {
    await start();
    const { ws } = await open("?EIO=4&transport=websocket");
    const code = new Promise((resolve) => ws.once("close", resolve));
    ws.send(`4${"x".repeat(5000)}`);
    expect(await code).toBe(1009);
  });
});
