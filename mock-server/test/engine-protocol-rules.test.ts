import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { EngineServer } from "../src/index.ts";
import { startEchoEngine, uncaughtDuring, upgradeRequest } from "./helpers.ts";

// More Engine.IO v4 rules, each checked with raw fetch, node:http and ws: the error code of
// every refused request, every way a session closes, and the options that shape a handshake.

let engine: EngineServer;
let base: string;

async function start(options: Parameters<typeof startEchoEngine>[0] = {}): Promise<void> {
  ({ engine, base } = await startEchoEngine(options));
}

afterEach(() => engine?.close());

async function handshake(query = "?EIO=4&transport=polling") {
  const response = await fetch(base + query);
  const body = await response.text();
  expect(body.startsWith("0")).toBe(true);
  return JSON.parse(body.slice(1)) as { sid: string; upgrades: string[] };
}

const sessionUrl = (sid: string) => `${base}?EIO=4&transport=polling&sid=${sid}`;

function closeOf(sid: string): Promise<string> {
  return new Promise((resolve) => engine.clients.get(sid)!.once("close", resolve));
}

/** A POST whose body never ends, so it stays pending on the server. */
function hangingPost(url: string): { abort: () => void } {
  const request = httpRequest(url, { method: "POST", headers: { "content-type": "text/plain" } });
  request.on("error", () => undefined);
  request.write("4par");
  return { abort: () => request.destroy() };
}

function openWs(query: string): Promise<{ ws: WebSocket; frames: Array<string | Buffer> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}${query}`);
    const frames: Array<string | Buffer> = [];
    ws.on("message", (data, isBinary) =>
      frames.push(isBinary ? (data as Buffer) : data.toString()),
    );
    ws.on("open", () => resolve({ ws, frames }));
    ws.on("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () => reject(new Error(`HTTP ${response.statusCode} ${body}`)));
    });
    ws.on("error", () => undefined);
  });
}

describe("Engine.IO v4 polling: refused requests", () => {
  it("refuses a handshake by POST with 400 and code 2 (bad handshake method)", async () => {
    await start();
    const response = await fetch(`${base}?EIO=4&transport=polling`, { method: "POST", body: "x" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 2, message: "Bad handshake method" });
  });

  it("refuses a plain HTTP request that claims the websocket transport with 400 and code 3", async () => {
    await start();
    const response = await fetch(`${base}?EIO=4&transport=websocket`);
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe(3);
  });

  it("refuses polling with code 0 when the transports option leaves it out", async () => {
    await start({ transports: ["websocket"] });
    const response = await fetch(`${base}?EIO=4&transport=polling`);
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe(0);
  });

  it("refuses a session request with another protocol version with 400 and code 3", async () => {
    await start();
    const { sid } = await handshake();
    const response = await fetch(`${base}?EIO=3&transport=polling&sid=${sid}`);
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe(3);
  });

  it("refuses a handshake that allowRequest declines with 403, code 4 and its message", async () => {
    await start({ allowRequest: (_request, callback) => callback("no tickets left", false) });
    const response = await fetch(`${base}?EIO=4&transport=polling`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 4, message: "no tickets left" });
  });

  it("emits connection_error with the request, code and message for each refused request", async () => {
    await start();
    const errors: Array<{ code: number; message: string; req: unknown }> = [];
    engine.on("connection_error", (error) => errors.push(error));
    await fetch(`${base}?EIO=4&transport=polling&sid=gone`);
    expect(errors).toEqual([{ code: 1, message: "Session ID unknown", req: expect.anything() }]);
  });

  it("admits a handshake that allowRequest accepts", async () => {
    await start({ allowRequest: (_request, callback) => callback(null, true) });
    expect((await handshake()).sid).toEqual(expect.any(String));
  });
});

describe("Engine.IO v4 polling: how a session closes", () => {
  it("closes the session when a second POST is pending, answering it 400", async () => {
    await start();
    const { sid } = await handshake();
    const closed = closeOf(sid);
    // The first POST must reach the server before the second one is sent.
    const firstArrived = new Promise<void>((resolve) =>
      engine.httpServer!.on("request", (request) => {
        if (request.method === "POST") resolve();
      }),
    );
    const first = hangingPost(sessionUrl(sid));
    await firstArrived;
    const second = await fetch(sessionUrl(sid), { method: "POST", body: "4x" });
    expect(second.status).toBe(400);
    expect(await closed).toBe("transport error");
    first.abort();
  });

  it("refuses an application/octet-stream POST with 400 and closes the session (EIO 4 sends base64)", async () => {
    await start();
    const { sid } = await handshake();
    const closed = closeOf(sid);
    const response = await fetch(sessionUrl(sid), {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([4, 1, 2]),
    });
    expect(response.status).toBe(400);
    expect(await closed).toBe("transport error");
  });

  it("answers 400 to a POST whose payload is not Engine.IO, and closes the session", async () => {
    await start();
    const { sid } = await handshake();
    const poll = fetch(sessionUrl(sid)).then((response) => response.text());
    await expect.poll(() => engine.clients.get(sid)?.transport.writable).toBe(true);
    const response = await fetch(sessionUrl(sid), { method: "POST", body: "abc" });
    expect(response.status).toBe(400);
    // The waiting GET learns of the end with a close packet.
    expect(await poll).toBe("1");
    expect((await fetch(sessionUrl(sid))).status).toBe(400);
  });

  it("ends a waiting GET with a close packet on ping timeout", async () => {
    await start();
    const { sid } = await handshake();
    expect(await (await fetch(sessionUrl(sid))).text()).toBe("2");
    const closed = closeOf(sid);
    expect(await (await fetch(sessionUrl(sid))).text()).toBe("1");
    expect(await closed).toBe("ping timeout");
  });

  it("answers a waiting GET with a noop when the client POSTs a close packet", async () => {
    await start();
    const { sid } = await handshake();
    const poll = fetch(sessionUrl(sid)).then((response) => response.text());
    await expect.poll(() => engine.clients.get(sid)?.transport.writable).toBe(true);
    const post = await fetch(sessionUrl(sid), { method: "POST", body: "1" });
    expect(await post.text()).toBe("ok");
    expect(await poll).toBe("6");
    expect((await fetch(sessionUrl(sid))).status).toBe(400);
  });

  it("closes the session when the client POSTs a close packet", async () => {
    await start();
    const { sid } = await handshake();
    const closed = closeOf(sid);
    expect(await (await fetch(sessionUrl(sid), { method: "POST", body: "1" })).text()).toBe("ok");
    expect(await closed).toBe("transport close");
    expect((await fetch(sessionUrl(sid))).status).toBe(400);
  });

  it("sends a close packet to the pending GET when the server closes the session", async () => {
    await start();
    const { sid } = await handshake();
    const poll = fetch(sessionUrl(sid)).then((response) => response.text());
    await expect.poll(() => engine.clients.get(sid)?.transport.writable).toBe(true);
    engine.clients.get(sid)!.close();
    expect(await poll).toBe("1");
  });

  it("sends what is still buffered to the next GET, then the close packet alone to the one after, when the server closes between GETs", async () => {
    await start();
    const { sid } = await handshake();
    const closed = closeOf(sid);
    engine.clients.get(sid)!.send("bye").close();
    expect(await (await fetch(sessionUrl(sid))).text()).toBe("4bye");
    expect(engine.clients.has(sid)).toBe(true);
    expect(await (await fetch(sessionUrl(sid))).text()).toBe("1");
    expect(await closed).toBe("forced close");
  });

  it("keeps a session alive while the client answers each ping with a pong", async () => {
    await start();
    const { sid } = await handshake();
    for (let round = 0; round < 3; round++) {
      expect(await (await fetch(sessionUrl(sid))).text()).toBe("2");
      expect(await (await fetch(sessionUrl(sid), { method: "POST", body: "3" })).text()).toBe("ok");
    }
    expect(engine.clients.has(sid)).toBe(true);
  });

  it("answers CORS requests from an origin in the allowed array or matching the RegExp only", async () => {
    await start({ cors: { origin: ["https://a.example", /\.b\.example$/] } });
    const origin = async (value: string) =>
      (await fetch(`${base}?EIO=4&transport=polling`, { headers: { origin: value } })).headers.get(
        "access-control-allow-origin",
      );
    expect(await origin("https://a.example")).toBe("https://a.example");
    expect(await origin("https://evil.example")).toBeNull();
    await engine.close();
    await start({ cors: { origin: /\.b\.example$/ } });
    expect(await origin("https://x.b.example")).toBe("https://x.b.example");
    expect(await origin("https://b.example.evil")).toBeNull();
  });
});

describe("upgrade requests for another path", () => {
  /** Sends a raw upgrade request for `path`; resolves with whether the server ended it. */
  function rawUpgrade(path: string, onSocket?: (socket: Socket) => void) {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    socket.on("error", () => undefined);
    socket.write(upgradeRequest(path));
    onSocket?.(socket);
    return new Promise<"ended">((resolve) => socket.on("close", () => resolve("ended")));
  }

  it("ends one nothing answered after destroyUpgradeTimeout, as engine.io", async () => {
    await start({ destroyUpgradeTimeout: 100 });
    const started = Date.now();
    await expect(rawUpgrade("/elsewhere")).resolves.toBe("ended");
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it("survives a client resetting one before destroyUpgradeTimeout", async () => {
    await start({ destroyUpgradeTimeout: 300 });
    const uncaught = await uncaughtDuring(async () => {
      const reset = new Promise((resolve) =>
        rawUpgrade("/elsewhere", (socket) =>
          setTimeout(() => resolve(socket.resetAndDestroy()), 50),
        ),
      );
      await reset;
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    expect(uncaught).toEqual([]);
  });

  it("leaves one another upgrade listener answered, and all of them when destroyUpgrade is false", async () => {
    await start({ destroyUpgradeTimeout: 50 });
    engine.httpServer!.on("upgrade", (request: IncomingMessage, socket: Duplex) => {
      if (request.url === "/answered") socket.write("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    });
    const answered: Socket[] = [];
    void rawUpgrade("/answered", (socket) => answered.push(socket));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered[0]!.destroyed).toBe(false);
    answered[0]!.destroy();
    engine.close();

    await start({ destroyUpgrade: false, destroyUpgradeTimeout: 50 });
    const left: Socket[] = [];
    void rawUpgrade("/elsewhere", (socket) => left.push(socket));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(left[0]!.destroyed).toBe(false);
    left[0]!.destroy();
  });
});

describe("Engine.IO v4 WebSocket: refused upgrades and closes", () => {
  // engine.io refuses an upgrade with a bare 400 whose body is the error's message as text.
  // A second upgrade of a session, an upgrade naming polling and the like are in
  // upgrade-parity.test.ts, side by side with socket.io.
  it.each([
    ["an unknown sid", "?EIO=4&transport=websocket&sid=nope", "Session ID unknown"],
    ["an unknown transport name", "?EIO=4&transport=nope", "Transport unknown"],
  ])(
    "refuses a WebSocket with %s with 400 and the engine.io message",
    async (_name, query, message) => {
      await start();
      await expect(openWs(query)).rejects.toThrow(`HTTP 400 ${message}`);
    },
  );

  it("refuses WebSocket with code 0 when the transports option leaves it out, and offers no upgrade", async () => {
    await start({ transports: ["polling"] });
    expect((await handshake()).upgrades).toEqual([]);
    await expect(openWs("?EIO=4&transport=websocket")).rejects.toThrow('HTTP 400 {"code":0');
  });

  it("offers no upgrade when allowUpgrades is false, yet carries out one that comes, as engine.io", async () => {
    await start({ allowUpgrades: false });
    const { sid, upgrades } = await handshake();
    expect(upgrades).toEqual([]);
    const { ws } = await openWs(`?EIO=4&transport=websocket&sid=${sid}`);
    ws.send("2probe");
    ws.send("5");
    await expect.poll(() => engine.clients.get(sid)?.upgraded).toBe(true);
    ws.close();
  });

  it("echoes binary frames as binary frames", async () => {
    await start();
    const { ws, frames } = await openWs("?EIO=4&transport=websocket");
    ws.send(Buffer.from([1, 2, 3]));
    await expect.poll(() => frames.length).toBe(2);
    expect([...(frames[1] as Buffer)]).toEqual([1, 2, 3]);
    ws.close();
  });

  it("pings over WebSocket and stays open while pongs come back", async () => {
    await start();
    const { ws, frames } = await openWs("?EIO=4&transport=websocket");
    ws.on("message", (data) => {
      if (data.toString() === "2") ws.send("3");
    });
    await expect.poll(() => frames.filter((frame) => frame === "2").length).toBe(3);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it("closes the session with reason 'ping timeout' when WebSocket pongs stop", async () => {
    await start();
    const { ws } = await openWs("?EIO=4&transport=websocket");
    const closedSocket = new Promise((resolve) => ws.once("close", resolve));
    const sid = [...engine.clients.keys()][0]!;
    expect(await closeOf(sid)).toBe("ping timeout");
    await closedSocket;
  });

  it("closes a WebSocket after the last packets and without a close packet when the server closes", async () => {
    await start();
    const { ws, frames } = await openWs("?EIO=4&transport=websocket");
    const closedSocket = new Promise((resolve) => ws.once("close", resolve));
    const sid = [...engine.clients.keys()][0]!;
    const closed = closeOf(sid);
    engine.clients.get(sid)!.send("bye").close();
    expect(await closed).toBe("forced close");
    await closedSocket;
    expect(frames.slice(1)).toEqual(["4bye"]);
  });

  it("finishes an upgrade under way before closing, so what was buffered meanwhile arrives", async () => {
    await start();
    const { sid } = await handshake();
    const pendingGet = fetch(sessionUrl(sid)).then((response) => response.text());
    const { ws, frames } = await openWs(`?EIO=4&transport=websocket&sid=${sid}`);
    const closedSocket = new Promise((resolve) => ws.once("close", resolve));
    ws.send("2probe");
    await expect.poll(() => frames[0]).toBe("3probe");
    expect(await pendingGet).toBe("6");
    // Polling is paused and the WebSocket not yet in use: this can only wait.
    const closed = closeOf(sid);
    engine.clients.get(sid)!.send("bye").close();
    ws.send("5");
    expect(await closed).toBe("forced close");
    await closedSocket;
    expect(frames).toEqual(["3probe", "4bye"]);
  });

  it("ignores a client's close packet over WebSocket, as engine.io: the socket's own close ends the session", async () => {
    await start();
    const { ws, frames } = await openWs("?EIO=4&transport=websocket");
    const sid = [...engine.clients.keys()][0]!;
    const closed = closeOf(sid);
    ws.send("1");
    ws.send("4still here");
    // The echo comes back: the session outlived the close packet.
    await expect.poll(() => frames.at(-1)).toBe("4still here");
    ws.close();
    expect(await closed).toBe("transport close");
  });
});

describe("Engine.IO v4 polling: a client that leaves while an async cors option decides", () => {
  /** An engine whose cors origin function answers after 150 ms, and a session on it. */
  async function sessionBehindSlowCors() {
    await start({
      // Heartbeats that cannot end the session first.
      pingInterval: 5000,
      pingTimeout: 5000,
      cors: (_request: unknown, done: (error: null, options: object) => void) =>
        setTimeout(() => done(null, { origin: "*" }), 150),
    });
    const { sid } = await handshake();
    const url = new URL(base);
    /**
     * Sends `head` (the request line and headers, each ending in CRLF, SID for the session's id)
     * and `body`, then resets the connection during the cors wait.
     */
    const resetDuringCors = async (head: string, body = "") => {
      const socket = connect(Number(url.port), url.hostname);
      socket.on("error", () => undefined);
      socket.write(`${head.replace("SID", sid)}Host: ${url.host}\r\n\r\n${body}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    return { sid, resetDuringCors };
  }

  it("ends the session at once when it was the long-poll GET, not at the ping timeout", async () => {
    const { sid, resetDuringCors } = await sessionBehindSlowCors();
    const reasons: string[] = [];
    engine.clients.get(sid)!.on("close", (reason: string) => reasons.push(reason));
    await resetDuringCors("GET /engine.io/?EIO=4&transport=polling&sid=SID HTTP/1.1\r\n");
    expect(reasons).toEqual(["transport close"]);
  });

  it("keeps the session taking POSTs when it was a POST", async () => {
    const { sid, resetDuringCors } = await sessionBehindSlowCors();
    await resetDuringCors(
      "POST /engine.io/?EIO=4&transport=polling&sid=SID HTTP/1.1\r\nContent-Length: 6\r\n",
      "4hello",
    );
    const posted = await fetch(`${base}?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      body: "4again",
    });
    expect(await posted.text()).toBe("ok");
    expect(engine.clients.has(sid)).toBe(true);
  });
});
