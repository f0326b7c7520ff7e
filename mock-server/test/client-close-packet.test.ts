// What a client's Engine.IO close packet does, in raw frames, side by side with the official
// socket.io server: engine.io ends the session on it over polling only; over WebSocket the
// socket's own close does, so events sent just before it (closeOnPageHide) still arrive.
import { describe, expect, it, onTestFinished } from "vitest";
import { WebSocket } from "ws";
import type { Server } from "../src/index.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start } = useSideBySide();

/** The `m` events a server received and why its sockets and Engine.IO sessions ended. */
interface Observed {
  events: number[];
  disconnects: string[];
  sessionCloses: string[];
}

/** A server that records `m` events and disconnects; `bye` makes it close the connection. */
async function startObserved(make: (typeof implementations)[number][1]) {
  const observed: Observed = { events: [], disconnects: [], sessionCloses: [] };
  const url = await start(make, (server: Server) =>
    server.on("connection", (socket) => {
      socket.on("m", (value: number) => observed.events.push(value));
      socket.on("bye", () => socket.disconnect(true));
      socket.on("disconnect", (reason: string) => observed.disconnects.push(reason));
      socket.conn.on("close", (reason: string) => observed.sessionCloses.push(reason));
    }),
  );
  return { url: `${url}/socket.io/?EIO=4`, observed };
}

/** A raw WebSocket session connected to the main namespace. */
async function connectWebSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}&transport=websocket`);
  onTestFinished(() => ws.terminate());
  const connected = new Promise<void>((resolve) =>
    ws.on("message", (data) => {
      if (data.toString().startsWith("40")) resolve();
    }),
  );
  await new Promise((resolve) => ws.once("open", resolve));
  ws.send("40");
  await connected;
  return ws;
}

/** A raw polling session connected to the main namespace; resolves with its session URL. */
async function connectPolling(url: string): Promise<string> {
  const open = await (await fetch(`${url}&transport=polling`)).text();
  const session = `${url}&transport=polling&sid=${JSON.parse(open.slice(1)).sid}`;
  await post(session, "40");
  expect(await (await fetch(session)).text()).toMatch(/^40/);
  return session;
}

async function post(session: string, ...packets: string[]): Promise<void> {
  const response = await fetch(session, { method: "POST", body: packets.join("\x1e") });
  expect(await response.text()).toBe("ok");
}

const events = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, index) => `42["m",${from + index}]`);

describe.each(implementations)("%s", (_name, make) => {
  it("handles every event sent over WebSocket before the client's close packet and close", async () => {
    const { url, observed } = await startObserved(make);
    const ws = await connectWebSocket(url);
    for (const frame of events(0, 10)) ws.send(frame);
    // What Wireline's client writes on close() (closeOnPageHide): a close packet, then the close.
    ws.send("1");
    ws.close();
    await expect.poll(() => observed.sessionCloses).toEqual(["transport close"]);
    expect(observed.events).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(observed.disconnects).toEqual(["transport close"]);
  });

  it("ignores a close packet over WebSocket: the session goes on until the socket closes", async () => {
    const { url, observed } = await startObserved(make);
    const ws = await connectWebSocket(url);
    ws.send("1");
    ws.send(events(99, 100)[0]!);
    await expect.poll(() => observed.events).toEqual([99]);
    expect(observed.sessionCloses).toEqual([]);
    ws.close();
    await expect.poll(() => observed.sessionCloses).toEqual(["transport close"]);
  });

  it("handles every event POSTed before the close packet, which clients send alone", async () => {
    const { url, observed } = await startObserved(make);
    const session = await connectPolling(url);
    await post(session, ...events(0, 5));
    await post(session, "1");
    await expect.poll(() => observed.sessionCloses).toEqual(["transport close"]);
    expect(observed.events).toEqual([0, 1, 2, 3, 4]);
  });

  it("drops events POSTed in one payload with the close packet: their listeners' tick comes after the disconnect", async () => {
    const { url, observed } = await startObserved(make);
    const session = await connectPolling(url);
    await post(session, ...events(0, 5), "1");
    await expect.poll(() => observed.sessionCloses).toEqual(["transport close"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(observed.events).toEqual([]);
  });

  it("ends a polling session at once on a close packet POSTed while the server is closing it", async () => {
    const { url, observed } = await startObserved(make);
    const session = await connectPolling(url);
    // The server closes with its DISCONNECT packet still buffered (no GET waits): "closing".
    await post(session, '42["bye"]');
    await expect.poll(() => observed.disconnects).toEqual(["server namespace disconnect"]);
    expect(observed.sessionCloses).toEqual([]);
    await post(session, "1");
    await expect.poll(() => observed.sessionCloses).toEqual(["transport close"]);
    expect((await fetch(session)).status).toBe(400);
  });
});
