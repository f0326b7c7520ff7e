import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerSocket } from "@wireline/mock-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { createFakeLifecycle, type FakeLifecycle, io, type Socket } from "../index.ts";

let server: Server;
let url: string;
const sockets: Socket[] = [];

async function start(options: Record<string, unknown> = {}): Promise<void> {
  const httpServer = createServer();
  server = new Server(httpServer, { pingInterval: 10_000, pingTimeout: 10_000, ...options });
  server.on("connection", (socket: ServerSocket) => {
    socket.on("echo", (value: unknown, ack: (reply: unknown) => void) => ack(value));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

function connect(lifecycle: FakeLifecycle, options: Record<string, unknown> = {}): Socket {
  const socket = io(url, {
    WebSocket,
    forceNew: true,
    transports: ["websocket"],
    lifecycle,
    reconnectionDelay: 2000,
    reconnectionDelayMax: 4000,
    ...options,
  });
  sockets.push(socket);
  return socket;
}

const once = (socket: Socket, event: string) =>
  new Promise<unknown[]>((resolve) =>
    socket.once(event as never, ((...args: unknown[]) => resolve(args)) as never),
  );

afterEach(async () => {
  vi.useRealTimers();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
});

describe("page and network lifecycle", () => {
  it("spends no reconnection attempt while offline, and connects at once when back online", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle);
    await once(socket, "connect");
    let attempts = 0;
    socket.io.on("reconnect_attempt", () => attempts++);

    lifecycle.setOnline(false);
    const dropped = once(socket, "disconnect");
    server.faults.dropTransports();
    await dropped;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Must: status offline, no attempt spent, nothing scheduled.
    expect(socket.io.getSnapshot()).toMatchObject({ status: "offline", nextRetryAt: undefined });
    expect(attempts).toBe(0);

    const started = Date.now();
    lifecycle.setOnline(true);
    await once(socket, "connect");
    // Well under the 2 s backoff floor: the attempt was made at once.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(attempts).toBe(1);
  });

  it("keeps a healthy connection through a false offline signal", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle);
    await once(socket, "connect");
    const firstId = socket.id;
    lifecycle.setOnline(false);
    expect(socket.io.getSnapshot().status).toBe("offline");
    // While offline, emits wait in the outbox rather than go to a possibly dead socket.
    const reply = socket.emitWithAck("echo", "still here");
    expect(socket.outbox.size).toBe(1);
    expect(socket.io.getSnapshot().outboxSize).toBe(1);
    lifecycle.setOnline(true);
    expect(socket.io.getSnapshot().status).toBe("connected");
    expect(await reply).toBe("still here");
    expect(socket.outbox.size).toBe(0);
    // The same session throughout: the signal did not cost a reconnection.
    expect(socket.connected).toBe(true);
    expect(socket.id).toBe(firstId);
  });

  it("says reconnecting again when online follows offline during an attempt begun online", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, { reconnectionDelay: 10, reconnectionDelayMax: 10 });
    await once(socket, "connect");
    server.faults.delayHandshakes(400);
    server.faults.dropTransports();
    await vi.waitFor(() => expect(socket.io.getSnapshot().status).toBe("reconnecting"));
    await vi.waitFor(() => expect(socket.io.readyState).toBe("opening"));
    lifecycle.setOnline(false);
    expect(socket.io.getSnapshot().status).toBe("offline");
    lifecycle.setOnline(true);
    // The attempt goes on (it began online); the status must not stay "offline" meanwhile.
    expect(socket.io.getSnapshot().status).toBe("reconnecting");
    await once(socket, "connect");
    expect(socket.io.getSnapshot().status).toBe("connected");
  });

  it.each([["websocket"], ["polling"]])(
    "starts over as the first attempt, not a reconnection, when online comes during a first connection begun offline (%s)",
    async (transport) => {
      await start();
      server.faults.delayHandshakes(300);
      const lifecycle = createFakeLifecycle();
      lifecycle.setOnline(false);
      const socket = connect(lifecycle, { transports: [transport] });
      const reconnectEvents: string[] = [];
      socket.io.on("reconnect_attempt", (attempt) => reconnectEvents.push(`attempt ${attempt}`));
      socket.io.on("reconnect", (attempt) => reconnectEvents.push(`reconnect ${attempt}`));
      const states: string[] = [];
      socket.io.subscribe(() => {
        const { status, attempt } = socket.io.getSnapshot();
        states.push(`${status}/${attempt}`);
      });
      expect(socket.io.readyState).toBe("opening");
      lifecycle.setOnline(true);
      await once(socket, "connect");
      // Must: a socket that never connected has nothing to reconnect, as in socket.io-client.
      expect(reconnectEvents).toEqual([]);
      expect(states.filter((state) => !["connecting/0", "connected/0"].includes(state))).toEqual(
        [],
      );
      expect(socket.io.getSnapshot()).toMatchObject({ status: "connected", attempt: 0 });
    },
  );

  it("calls open(callback) once when its first attempt, begun offline, starts over on online", async () => {
    await start();
    server.faults.delayHandshakes(300);
    const lifecycle = createFakeLifecycle();
    lifecycle.setOnline(false);
    const socket = connect(lifecycle, { autoConnect: false, transports: ["websocket"] });
    const calls: unknown[] = [];
    socket.io.open((error) => calls.push(error));
    lifecycle.setOnline(true);
    await vi.waitFor(() => expect(calls).toEqual([undefined]));
  });

  it("counts a reconnection attempt begun offline and abandoned on online as spent: the next is attempt 2", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, { reconnectionDelay: 10, reconnectionDelayMax: 10 });
    await once(socket, "connect");
    const reconnectEvents: string[] = [];
    socket.io.on("reconnect_attempt", (attempt) => reconnectEvents.push(`attempt ${attempt}`));
    socket.io.on("reconnect", (attempt) => reconnectEvents.push(`reconnect ${attempt}`));
    // The network goes as the first reconnection attempt starts: that attempt begins offline.
    socket.io.once("reconnect_attempt", () => lifecycle.setOnline(false));
    server.faults.delayHandshakes(300);
    server.faults.dropTransports();
    await vi.waitFor(() => expect(reconnectEvents).toEqual(["attempt 1"]));
    expect(socket.io.readyState).toBe("opening");
    lifecycle.setOnline(true);
    await once(socket, "connect");
    expect(reconnectEvents).toEqual(["attempt 1", "attempt 2", "reconnect 2"]);
  });

  it("keeps emits in the outbox when an attempt succeeds after an offline signal", async () => {
    await start();
    server.faults.delayHandshakes(200);
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle);
    await vi.waitFor(() => expect(socket.io.readyState).toBe("opening"));
    lifecycle.setOnline(false);
    await once(socket, "connect");
    // Connected, but the browser said offline since: as with a live connection, emits wait.
    expect(socket.io.getSnapshot().status).toBe("offline");
    const reply = socket.emitWithAck("echo", "after online");
    expect(socket.outbox.size).toBe(1);
    lifecycle.setOnline(true);
    expect(socket.io.getSnapshot().status).toBe("connected");
    expect(await reply).toBe("after online");
  });

  it("starts a new round of attempts when the network comes back after reconnect_failed", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, {
      reconnectionAttempts: 1,
      reconnectionDelay: 10,
      reconnectionDelayMax: 10,
    });
    await once(socket, "connect");
    server.faults.rejectHandshakes(503);
    const failed = new Promise<void>((resolve) =>
      socket.io.once("reconnect_failed", () => resolve()),
    );
    server.faults.dropTransports();
    await failed;
    expect(socket.io.getSnapshot().status).toBe("disconnected");
    server.faults.clear();
    lifecycle.setOnline(false);
    lifecycle.setOnline(true);
    await once(socket, "connect");
    expect(socket.connected).toBe(true);
  });

  it("replaces a connection found dead when the page becomes visible, after a short grace", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, { livenessGrace: 50 });
    await once(socket, "connect");
    const firstId = socket.id;
    // The server goes silent and the page's timers "sleep" past the deadline: only the clock moved.
    server.faults.blackHole();
    server.faults.clear();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 30_000);
    const reason = once(socket, "disconnect");
    lifecycle.setVisible(false);
    lifecycle.setVisible(true);
    expect((await reason)[0]).toBe("ping timeout");
    vi.useRealTimers();
    const started = Date.now();
    await once(socket, "connect");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(socket.id).not.toBe(firstId);
  });

  it("leaves a live connection alone when the page becomes visible", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, { livenessGrace: 20 });
    await once(socket, "connect");
    let disconnects = 0;
    socket.on("disconnect", () => disconnects++);
    lifecycle.setVisible(false);
    lifecycle.setVisible(true);
    lifecycle.fire("resume");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(disconnects).toBe(0);
  });

  it.each([
    ["closeOnPageHide", { closeOnPageHide: true }],
    ["socket.io-client's closeOnBeforeunload", { closeOnBeforeunload: true }],
  ])("closes on pagehide and reconnects on pageshow with %s", async (_name, options) => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, options);
    await once(socket, "connect");
    const dropped = once(socket, "disconnect");
    lifecycle.fire("pagehide", { persisted: true });
    await dropped;
    expect(socket.active).toBe(true);
    lifecycle.fire("pageshow", { persisted: true });
    await once(socket, "connect");
    expect(socket.connected).toBe(true);
  });

  it("never undoes an app-level disconnect, whatever the signals", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(lifecycle, { closeOnPageHide: true });
    await once(socket, "connect");
    socket.disconnect();
    lifecycle.setOnline(false);
    lifecycle.setOnline(true);
    lifecycle.setVisible(false);
    lifecycle.setVisible(true);
    lifecycle.fire("pageshow", { persisted: true });
    lifecycle.fire("resume");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.connected).toBe(false);
    expect(socket.io.getSnapshot().status).toBe("disconnected");
    // Must: the Manager stopped listening, so nothing is left behind.
    expect(lifecycle.listenerCount).toBe(0);
  });
});
