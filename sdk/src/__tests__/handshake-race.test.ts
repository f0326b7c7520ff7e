import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ServerOptions } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { type IoOptions, io, type Socket } from "../index.ts";
import { socketIoServer, type TestServer } from "./server-factories.ts";

// The default transports race to the handshake against the official socket.io server: a
// WebSocket with no answer after its head start (2.5 s, at most half the `timeout`) gets
// polling started beside it, and whichever the server answers first carries the session.

let server: TestServer | undefined;
const sockets: Socket[] = [];
/** Upgrade requests held open, as a proxy that never answers them does. */
const held: Duplex[] = [];
/** Answers of {@link slowAllowRequest} still to come. */
const slowAnswers: Array<ReturnType<typeof setTimeout>> = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const socket of held.splice(0)) socket.destroy();
  for (const answer of slowAnswers.splice(0)) clearTimeout(answer);
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  server = await socketIoServer(options, (io) =>
    io.on("connection", (socket) => socket.on("echo", (value, ack) => ack(value))),
  );
  return server;
}

/** Every WebSocket request to `server` from now on is held open without an answer. */
function holdUpgrades(target: TestServer): void {
  const http = target.io.httpServer;
  http.removeAllListeners("upgrade");
  http.on("upgrade", (_request: IncomingMessage, socket: Duplex) => held.push(socket));
}

/**
 * An `allowRequest` that answers a transport's handshakes after `delays[transport]` ms, and
 * with a refusal when `refused` lists the transport.
 */
function slowAllowRequest(
  delays: Record<string, number>,
  refused: string[] = [],
): ServerOptions["allowRequest"] {
  return (request, callback) => {
    const transport = new URL(request.url ?? "", "http://x").searchParams.get("transport") ?? "";
    const allowed = !refused.includes(transport);
    slowAnswers.push(
      setTimeout(() => callback(allowed ? null : "refused", allowed), delays[transport] ?? 0),
    );
  };
}

function connect(url: string, options: IoOptions = {}): Socket {
  const socket = io(url, { forceNew: true, WebSocket, reconnection: false, ...options });
  sockets.push(socket);
  return socket;
}

/** Resolves with "connect" or the connect_error's message, whichever comes first. */
function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connect"));
    socket.once("connect_error", (error) => resolve(`connect_error: ${error.message}`));
  });
}

describe("the default transports racing to the handshake", () => {
  it("connect over polling when a proxy holds WebSocket upgrades open, and close the held WebSocket", async () => {
    const target = await start();
    holdUpgrades(target);
    // A handshake timeout of 3 s gives the WebSocket a 1.5 s head start.
    const socket = connect(target.url, { timeout: 3000 });
    expect(await outcome(socket)).toBe("connect");
    expect(socket.io.engine.transport.name).toBe("polling");
    expect(socket.io.getSnapshot().transport).toBe("polling");
    // The WebSocket that lost the race is closed: the proxy sees its connection go.
    const first = held[0]!;
    await vi.waitFor(() => expect(first.destroyed || first.readableEnded).toBe(true));
    // The upgrade probe is held as well; polling carries the session meanwhile.
    await expect(socket.timeout(2000).emitWithAck("echo", "through polling")).resolves.toBe(
      "through polling",
    );
  });

  it("keep a slow WebSocket-only server: polling beside it is refused, the WebSocket goes on and wins", async () => {
    const target = await start({
      transports: ["websocket"],
      allowRequest: slowAllowRequest({ websocket: 3500 }),
    });
    // Polling starts at 2.5 s while the WebSocket handshake still waits for allowRequest.
    const socket = connect(target.url, { timeout: 6000 });
    const errors: string[] = [];
    socket.on("connect_error", (error) => errors.push(error.message));
    expect(await outcome(socket)).toBe("connect");
    expect(socket.io.engine.transport.name).toBe("websocket");
    expect(errors).toEqual([]);
  });

  it("keep a slow WebSocket when polling gets a page that is no Engine.IO answer (an app's HTML fallback)", async () => {
    const target = await start({ allowRequest: slowAllowRequest({ websocket: 3500 }) });
    const http = target.io.httpServer;
    // A front that answers every plain GET on the path with the app's page, as SPA hosts do.
    const [engineListener] = http.listeners("request");
    http.removeAllListeners("request");
    http.on("request", (request: IncomingMessage, response: ServerResponse) => {
      if (request.url?.includes("transport=polling")) {
        response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><p>app</p>");
      } else (engineListener as (...args: unknown[]) => void)(request, response);
    });
    const socket = connect(target.url, { timeout: 6000 });
    expect(await outcome(socket)).toBe("connect");
    expect(socket.io.engine.transport.name).toBe("websocket");
  });

  it("take the first answer when both come, and end the session the slower one opened", async () => {
    const target = await start({
      allowRequest: slowAllowRequest({ websocket: 1200, polling: 1500 }),
    });
    const opened: string[] = [];
    target.io.engine.on("connection", (conn: { transport: { name: string } }) =>
      opened.push(conn.transport.name),
    );
    // Head start 1 s: polling's handshake is asked at 1 s and answered at 2.5 s, after the
    // WebSocket's at 1.2 s; the server opens that session all the same.
    const socket = connect(target.url, { timeout: 2000, upgrade: false });
    expect(await outcome(socket)).toBe("connect");
    expect(socket.io.engine.transport.name).toBe("websocket");
    await vi.waitFor(() => expect(opened).toEqual(["websocket", "polling"]), { timeout: 4000 });
    // Told by a close packet, not left to its ping timeout (45 s by default).
    await vi.waitFor(() => expect(target.io.engine.clientsCount).toBe(1), { timeout: 2000 });
    await expect(socket.emitWithAck("echo", 1)).resolves.toBe(1);
  });

  it("race WebSocket beside a stalled polling handshake under tryAllTransports with polling first", async () => {
    const target = await start({ allowRequest: slowAllowRequest({ polling: 5000 }) });
    const socket = connect(target.url, {
      transports: ["polling", "websocket"],
      tryAllTransports: true,
      timeout: 2000,
    });
    expect(await outcome(socket)).toBe("connect");
    expect(socket.io.engine.transport.name).toBe("websocket");
  });

  it("do not race when the app lists its transports without tryAllTransports (socket.io-client's rule)", async () => {
    const target = await start();
    holdUpgrades(target);
    const pollingRequests: string[] = [];
    target.io.httpServer.prependListener("request", (request: IncomingMessage) => {
      if (request.url?.includes("transport=polling")) pollingRequests.push(request.url);
    });
    const socket = connect(target.url, { transports: ["websocket", "polling"], timeout: 1000 });
    expect(await outcome(socket)).toBe("connect_error: timeout");
    expect(pollingRequests).toEqual([]);
  });

  it("report one failure when both racing transports fail, the later-listed transport's", async () => {
    // Polling, started at 1 s, is refused at once; the WebSocket is refused at 1.5 s.
    const target = await start({
      allowRequest: slowAllowRequest({ websocket: 1500 }, ["websocket", "polling"]),
    });
    const socket = connect(target.url, { timeout: 2000 });
    const errors: Array<Error & { description?: unknown }> = [];
    socket.on("connect_error", (error) => errors.push(error));
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 3000 });
    // As when they are tried in turn: polling's answer, with its HTTP status.
    expect(errors[0]?.message).toBe("xhr poll error");
    expect(errors[0]?.description).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(errors).toHaveLength(1);
  });

  it("stop both transports at once when the app disconnects mid-race", async () => {
    const target = await start({ allowRequest: slowAllowRequest({ polling: 5000 }) });
    holdUpgrades(target);
    const polls: IncomingMessage[] = [];
    target.io.httpServer.prependListener("request", (request: IncomingMessage) => {
      if (request.url?.includes("transport=polling")) polls.push(request);
    });
    const socket = connect(target.url, { timeout: 2000 });
    const errors: string[] = [];
    socket.on("connect_error", (error) => errors.push(error.message));
    // Polling races from 1 s; its handshake waits in allowRequest.
    await vi.waitFor(() => expect(polls).toHaveLength(1), { timeout: 2000 });
    socket.disconnect();
    const first = held[0]!;
    // Neither is waited for: the app asked for everything to stop.
    await vi.waitFor(() => {
      expect(first.destroyed || first.readableEnded).toBe(true);
      expect(polls[0]?.destroyed).toBe(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(errors).toEqual([]);
    expect(socket.connected).toBe(false);
    expect(polls).toHaveLength(1);
  });
});
