import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions, type Socket as ServerSocket } from "@wireline/mock-server";
import * as msgpackParser from "socket.io-msgpack-parser";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import {
  createFakeLifecycle,
  type IoOptions,
  io,
  Manager,
  type ManagerEvents,
  type Socket,
} from "../../index.ts";
import { describeTimelineEntry } from "../describe-entry.ts";
import {
  attachEventLog,
  type EventLog,
  type EventLogEntry,
  type EventLogEntryKind,
  type EventLogOptions,
} from "../index.ts";

let server: Server | undefined;
const sockets: Socket[] = [];
const logs: EventLog[] = [];

/** Starts a mock server whose sockets echo `echo` through their ack and ask the client `ask`. */
async function start(options: ServerOptions = {}): Promise<string> {
  const http = createServer();
  server = new Server(http, options);
  server.on("connection", (socket: ServerSocket) => {
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.pop() as (...reply: unknown[]) => void;
      ack(...args);
    });
    socket.on("ask-me", () => socket.emit("question", "why?", () => {}));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function connect(url: string, options: IoOptions = {}): Socket {
  const socket = io(url, { forceNew: true, WebSocket, ...options });
  sockets.push(socket);
  return socket;
}

function attach(target: Socket | Manager, options?: EventLogOptions): EventLog {
  const log = attachEventLog(target, options);
  logs.push(log);
  return log;
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.connected ? resolve() : socket.once("connect", resolve)));

function ofKind<K extends EventLogEntryKind>(log: EventLog, kind: K) {
  return log.entries().filter((entry) => entry.kind === kind) as Array<
    Extract<EventLogEntry, { kind: K }>
  >;
}

afterEach(async () => {
  for (const log of logs.splice(0)) log.detach();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

describe("attachEventLog: what it records", () => {
  it("records status transitions with their cause, through a drop and a reconnection", async () => {
    const url = await start();
    const socket = connect(url, {
      autoConnect: false,
      transports: ["websocket"],
      reconnectionDelay: 50,
      reconnectionDelayMax: 100,
    });
    const log = attach(socket);
    socket.connect();
    await connected(socket);
    // Must: the first connection reads idle → connecting → connected, each with its cause.
    expect(ofKind(log, "status").map(({ from, to, cause }) => ({ from, to, cause }))).toEqual([
      { from: "idle", to: "connecting", cause: "open" },
      { from: "connecting", to: "connected", cause: "handshake" },
    ]);
    expect(ofKind(log, "status")[1]?.transport).toBe("websocket");

    server?.faults.dropTransports();
    await vi.waitFor(() => expect(ofKind(log, "reconnect").at(-1)?.phase).toBe("succeeded"), {
      timeout: 5000,
    });
    const statuses = ofKind(log, "status").slice(2);
    // Must: the drop is explained by the transport's close reason, with the backoff chosen.
    expect(statuses[0]).toMatchObject({ from: "connected", to: "disconnected", attempt: 0 });
    expect(statuses[1]).toMatchObject({
      from: "disconnected",
      to: "reconnecting",
      cause: "transport close",
      attempt: 1,
    });
    expect(statuses[0]?.cause).toBe("transport close");
    expect(statuses[1]?.retryInMs).toBeGreaterThanOrEqual(0);
    expect(statuses[1]?.retryInMs).toBeLessThanOrEqual(100);
    expect(statuses[1]?.nextRetryAt).toBeTypeOf("number");
    expect(statuses.at(-1)).toMatchObject({ to: "connected", cause: "handshake" });
    expect(ofKind(log, "reconnect").map((entry) => entry.phase)).toEqual(["attempt", "succeeded"]);
    // Must: the backoff decision is recorded as drawn, matching the status's countdown.
    const [backoff] = ofKind(log, "backoff");
    expect(backoff).toMatchObject({ attempt: 1 });
    expect(backoff?.delay).toBeGreaterThanOrEqual(50);
    expect(backoff?.delay).toBeLessThanOrEqual(100);
    expect(statuses[1]!.retryInMs).toBeLessThanOrEqual(backoff!.delay);
    const closes = ofKind(log, "transport").filter((entry) => entry.action === "close");
    expect(closes[0]).toMatchObject({ reason: "transport close", transport: "websocket" });

    socket.disconnect();
    // Must: a close by the app is told apart from one the network caused.
    expect(ofKind(log, "status").at(-1)).toMatchObject({ to: "disconnected", cause: "close" });
  });

  it("records every packet in and out with its types, namespace, event, ack id, size and payload", async () => {
    const url = await start();
    const socket = connect(url, { autoConnect: false, transports: ["websocket"] });
    const log = attach(socket);
    socket.connect();
    await connected(socket);
    await expect(socket.emitWithAck("echo", "héllo", { n: 1 })).resolves.toBe("héllo");

    const packets = ofKind(log, "packet");
    // Must: the handshake, the CONNECT exchange, the event and its ack, in order.
    expect(packets.map((p) => `${p.direction} ${p.engineType} ${p.socketType ?? ""}`)).toEqual([
      "in open ",
      "out message CONNECT",
      "in message CONNECT",
      "out message EVENT",
      "in message ACK",
    ]);
    const event = packets[3]!;
    expect(event).toMatchObject({
      nsp: "/",
      event: "echo",
      ackId: 0,
      payload: ["héllo", { n: 1 }],
    });
    // Engine.IO type "4" + Socket.IO "20" + JSON; "é" is two bytes in UTF-8.
    expect(event.bytes).toBe(`420${JSON.stringify(["echo", "héllo", { n: 1 }])}`.length + 1);
    expect(packets[4]).toMatchObject({ nsp: "/", ackId: 0, payload: ["héllo", { n: 1 }] });
    expect(packets[2]?.payload).toEqual({ sid: socket.id });
    expect(ofKind(log, "transport")[0]).toMatchObject({
      action: "open",
      transport: "websocket",
      sid: socket.io.engine?.id,
    });
    // Must: every entry has a monotonic and a wall-clock time, in order.
    const entries = log.entries();
    for (const [index, entry] of entries.entries()) {
      expect(entry.seq).toBe(index + 1);
      expect(entry.wallClock).toBeGreaterThan(Date.parse("2020-01-01"));
      if (index > 0) expect(entry.monotonic).toBeGreaterThanOrEqual(entries[index - 1]!.monotonic);
    }
  });

  it("reads packets with the connection's parser option (MessagePack frames)", async () => {
    const url = await start({ parser: msgpackParser as never });
    const socket = connect(url, {
      autoConnect: false,
      transports: ["websocket"],
      parser: msgpackParser as never,
    });
    const log = attach(socket);
    socket.connect();
    await connected(socket);
    await expect(socket.emitWithAck("echo", "héllo", { n: 1 })).resolves.toBe("héllo");
    const packets = ofKind(log, "packet").filter((p) => p.engineType === "message");
    expect(packets.map((p) => `${p.direction} ${p.socketType}`)).toEqual([
      "out CONNECT",
      "in CONNECT",
      "out EVENT",
      "in ACK",
    ]);
    expect(packets[2]).toMatchObject({ event: "echo", ackId: 0, payload: ["héllo", { n: 1 }] });
    expect(packets.every((p) => p.decodeError === undefined)).toBe(true);
  });

  it("records acks resolved in both directions with their latency", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    socket.on("question", (_text: string, ack: (answer: string) => void) => ack("because"));
    const log = attach(socket);
    await connected(socket);
    await socket.emitWithAck("echo", 1);
    socket.emit("ask-me");
    await vi.waitFor(() => expect(ofKind(log, "ack")).toHaveLength(2), { timeout: 5000 });
    const [ours, theirs] = ofKind(log, "ack");
    expect(ours).toMatchObject({ direction: "in", nsp: "/", ackId: 0, event: "echo" });
    expect(theirs).toMatchObject({ direction: "out", nsp: "/", event: "question" });
    expect(ours?.latencyMs).toBeGreaterThanOrEqual(0);
    const outgoingAck = ofKind(log, "packet").find(
      (p) => p.direction === "out" && p.socketType === "ACK",
    );
    expect(outgoingAck?.payload).toEqual(["because"]);
  });

  it("records an ack that timed out, sent or still queued, as timed out", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"], autoConnect: false });
    const log = attach(socket);
    // Queued while disconnected, it times out before it is ever sent.
    await expect(socket.timeout(20).emitWithAck("echo", "queued")).rejects.toThrow(/timed out/);
    socket.connect();
    await connected(socket);
    // Sent, but nobody on the server answers this event.
    await expect(socket.timeout(50).emitWithAck("unanswered", 1)).rejects.toThrow(/timed out/);
    const acks = ofKind(log, "ack");
    expect(acks).toEqual([
      expect.objectContaining({
        direction: "in",
        ackId: 0,
        event: "echo",
        timedOut: true,
        latencyMs: 0,
      }),
      expect.objectContaining({ direction: "in", ackId: 1, event: "unanswered", timedOut: true }),
    ]);
    expect(acks[1]?.latencyMs).toBeGreaterThanOrEqual(40);
  });

  it("summarizes binary payloads instead of keeping their bytes", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const log = attach(socket);
    await connected(socket);
    const reply = await socket.emitWithAck("echo", new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(reply as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    const binary = ofKind(log, "packet").filter((p) => p.socketType?.startsWith("BINARY"));
    expect(binary.map((p) => `${p.direction} ${p.socketType}`)).toEqual([
      "out BINARY_EVENT",
      "in BINARY_ACK",
    ]);
    for (const packet of binary) {
      expect(packet.attachments).toBe(1);
      expect(packet.payload).toEqual([{ $binary: expect.any(String), bytes: 3 }]);
      // The header text plus the 3-byte attachment.
      expect(packet.bytes).toBeGreaterThan(3 + 10);
    }
    expect(JSON.stringify(log)).not.toContain('"0":1');
  });

  it("records heartbeats and transport upgrades", async () => {
    const url = await start({ pingInterval: 50, pingTimeout: 1000 });
    const socket = connect(url, { transports: ["polling", "websocket"] });
    const log = attach(socket.io);
    await vi.waitFor(
      () => expect(ofKind(log, "transport").map((t) => t.action)).toContain("upgrade"),
      { timeout: 5000 },
    );
    expect(ofKind(log, "transport").map((t) => `${t.action} ${t.transport}`)).toEqual([
      "open polling",
      "upgrading websocket",
      "upgrade websocket",
    ]);
    await vi.waitFor(
      () => {
        const types = ofKind(log, "packet").map((p) => `${p.direction} ${p.engineType}`);
        expect(types).toContain("in ping");
        expect(types).toContain("out pong");
      },
      { timeout: 5000 },
    );
  });

  it("records a refused upgrade", async () => {
    const url = await start();
    server?.faults.refuseWebSocket();
    const socket = connect(url, { transports: ["polling", "websocket"] });
    const log = attach(socket);
    await vi.waitFor(
      () => expect(ofKind(log, "transport").map((t) => t.action)).toContain("upgrade-error"),
      { timeout: 5000 },
    );
  });

  it("records a transport started beside a WebSocket that has no answer (a proxy holding it)", async () => {
    const url = await start();
    server?.faults.holdWebSocket();
    // Default transports: WebSocket first, polling beside it after half the 2 s timeout.
    const socket = connect(url, { timeout: 2000 });
    const log = attach(socket);
    await connected(socket);
    const [race, open] = ofKind(log, "transport");
    expect(race).toMatchObject({ action: "race", transport: "polling", waiting: "websocket" });
    expect(describeTimelineEntry(race!)).toBe(
      "websocket has no answer yet: polling started beside it",
    );
    expect(open).toMatchObject({ action: "open", transport: "polling" });
  });

  it("records namespace sockets connecting, refused and disconnected by the server", async () => {
    const url = await start();
    server?.of("/closed").use((_socket, next) => next(new Error("members only")));
    const main = connect(url, { transports: ["websocket"] });
    const log = attach(main);
    await connected(main);
    // A namespace opened after attaching is picked up too.
    const refused = main.io.socket("/closed");
    await new Promise((resolve) => refused.once("connect_error", resolve));
    const [serverSocket] = await server!.fetchSockets();
    serverSocket?.disconnect();
    await vi.waitFor(
      () =>
        expect(ofKind(log, "socket").map((s) => `${s.nsp} ${s.action}`)).toEqual([
          "/ connect",
          "/closed connect_error",
          "/ disconnect",
        ]),
      { timeout: 5000 },
    );
    const [connect_, refusal, disconnect] = ofKind(log, "socket");
    expect(connect_).toMatchObject({ socketId: expect.any(String), recovered: false });
    expect(refusal?.message).toBe("members only");
    expect(disconnect?.reason).toBe("io server disconnect");
  });

  it("records a failed connection once per error, and a reconnection that gives up", async () => {
    const url = await start();
    server?.faults.rejectHandshakes(503);
    const socket = connect(url, {
      transports: ["polling"],
      reconnectionAttempts: 1,
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    const log = attach(socket);
    await vi.waitFor(() => expect(ofKind(log, "reconnect").at(-1)?.phase).toBe("failed"), {
      timeout: 5000,
    });
    const errors = ofKind(log, "error");
    // Must: the Manager passes each error on up to three times; the log keeps one entry each.
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ during: "connecting", name: "Error" });
    expect(errors[1]).toMatchObject({ during: "reconnecting" });
    const statuses = ofKind(log, "status");
    expect(statuses[0]).toMatchObject({
      from: "connecting",
      to: "reconnecting",
      cause: `error: ${errors[0]?.message}`,
    });
    expect(statuses.at(-1)).toMatchObject({ to: "disconnected" });
  });
});

describe("attachEventLog: page signals and the outbox", () => {
  it("records signals as the cause of the status they change, and the outbox filling and flushing", async () => {
    const url = await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(url, { transports: ["websocket"], lifecycle });
    const log = attach(socket);
    await connected(socket);
    lifecycle.setOnline(false);
    expect(ofKind(log, "lifecycle").map((entry) => entry.signal)).toEqual(["offline"]);
    expect(ofKind(log, "status").at(-1)).toMatchObject({
      from: "connected",
      to: "offline",
      cause: "offline",
    });
    socket.emit("echo", "queued", () => {});
    expect(ofKind(log, "outbox")).toEqual([
      expect.objectContaining({
        action: "enqueue",
        size: 1,
        packets: [expect.objectContaining({ nsp: "/", event: "echo", ackId: 0 })],
      }),
    ]);
    lifecycle.fire("pageshow", { persisted: true });
    expect(ofKind(log, "lifecycle").at(-1)).toMatchObject({ signal: "pageshow", persisted: true });
    lifecycle.setOnline(true);
    await vi.waitFor(() => expect(ofKind(log, "ack")).toHaveLength(1), { timeout: 5000 });
    expect(ofKind(log, "status").at(-1)).toMatchObject({ to: "connected", cause: "online" });
    const flush = ofKind(log, "outbox").at(-1);
    expect(flush).toMatchObject({ action: "flush", size: 0 });
    expect(flush?.packets.map((packet) => packet.event)).toEqual(["echo"]);
    // A flush is announced once its packets went out (what its listeners emit comes after).
    const kinds = log
      .entries()
      .map((entry) => (entry.kind === "packet" ? entry.event : entry.kind));
    expect(kinds.lastIndexOf("outbox")).toBeGreaterThan(kinds.indexOf("echo"));
  });

  it("follows the engine that replaces an attempt abandoned when the network comes back", async () => {
    const url = await start();
    server?.faults.delayHandshakes(300);
    const lifecycle = createFakeLifecycle();
    lifecycle.setOnline(false);
    const socket = connect(url, { transports: ["websocket"], lifecycle });
    const log = attach(socket);
    const abandoned = socket.io.engine;
    // Online while an attempt begun offline is pending: that engine is dropped for a new one.
    lifecycle.setOnline(true);
    expect(socket.io.engine).not.toBe(abandoned);
    await connected(socket);
    // Must: the abandoned engine's close, then everything of its replacement from its handshake.
    expect(ofKind(log, "transport").map((t) => `${t.action} ${t.reason ?? ""}`.trim())).toEqual([
      "close forced close",
      "open",
    ]);
    expect(ofKind(log, "packet")[0]).toMatchObject({ direction: "in", engineType: "open" });
  });

  it("records outbox drops and expiries with their reason", async () => {
    const url = await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect(url, {
      transports: ["websocket"],
      lifecycle,
      outbox: { maxPackets: 1, ttl: 30 },
    });
    const log = attach(socket);
    await connected(socket);
    lifecycle.setOnline(false);
    socket.emit("first");
    socket.emit("second");
    await vi.waitFor(
      () =>
        expect(ofKind(log, "outbox").map((e) => `${e.action} ${e.code ?? ""}`.trim())).toEqual([
          "enqueue",
          "drop overflow",
          "enqueue",
          "expire expired",
        ]),
      { timeout: 5000 },
    );
    expect(ofKind(log, "outbox")[1]?.packets[0]?.event).toBe("first");
    expect(ofKind(log, "outbox")[3]).toMatchObject({ size: 0 });
  });
});

describe("attachEventLog: redaction", () => {
  it("stores payloads only as redact returns them, binary included", async () => {
    const url = await start();
    const socket = connect(url, {
      autoConnect: false,
      transports: ["websocket"],
      auth: { token: "s3cret-token" },
    });
    const contexts: unknown[] = [];
    const log = attach(socket, {
      redact: (payload, context) => {
        contexts.push(context);
        if (context.socketType === "CONNECT" && context.direction === "out")
          return { token: "***" };
        if (context.event === "echo") return ["[hidden]"];
        return payload;
      },
    });
    socket.connect();
    await connected(socket);
    await socket.emitWithAck("echo", "s3cret-message");
    const text = JSON.stringify(log);
    expect(text).not.toContain("s3cret-token");
    expect(ofKind(log, "packet").find((p) => p.event === "echo")?.payload).toEqual(["[hidden]"]);
    expect(contexts).toContainEqual({
      direction: "out",
      engineType: "message",
      socketType: "EVENT",
      nsp: "/",
      event: "echo",
    });
  });

  it("keeps no payload when redact throws, not even in the error's message, and the connection goes on", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const log = attach(socket, {
      redact: (payload) => {
        throw new SyntaxError(`cannot read ${JSON.stringify(payload)}`);
      },
    });
    await connected(socket);
    await expect(socket.emitWithAck("echo", "private")).resolves.toBe("private");
    expect(JSON.stringify(log)).not.toContain("private");
    expect(ofKind(log, "packet").find((p) => p.event === "echo")?.payload).toBe(
      "[redact threw SyntaxError]",
    );
  });

  it("keeps no raw text of a frame it cannot decode when a redact is set", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const log = attach(socket, {
      redact: (payload, { event }) => (event === "login" ? "[redacted]" : payload),
    });
    await connected(socket);
    // Sent (socket.io accepts it) but refused by Wireline's strict decoder, so the log cannot
    // tell its event: the redact rule above could not hide the password.
    socket.emit("login", JSON.parse('{ "password": "hunter2", "__proto__": { "admin": true } }'));
    await vi.waitFor(() => expect(ofKind(log, "packet").some((p) => p.decodeError)).toBe(true));
    const refused = ofKind(log, "packet").find((p) => p.decodeError);
    expect(refused).not.toHaveProperty("payload");
    expect(JSON.stringify(log)).not.toContain("hunter2");
  });

  it("passes a refusal's message through redact", async () => {
    const url = await start();
    server!.use((_socket, next) => next(new Error("invalid token SECRET-abc")));
    const socket = connect(url, { transports: ["websocket"], reconnection: false });
    const log = attach(socket, {
      redact: (payload, { socketType }) => (socketType === "CONNECT_ERROR" ? "[refused]" : payload),
    });
    await new Promise((resolve) => socket.once("connect_error", resolve));
    expect(ofKind(log, "socket").find((e) => e.action === "connect_error")?.message).toBe(
      "[refused]",
    );
    expect(JSON.stringify(log)).not.toContain("SECRET-abc");
  });

  it("stays small and quick whatever redact returns or the app sends", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const selfish: Record<string, unknown> = {};
    selfish.a = selfish;
    selfish.b = selfish; // two paths back: without a cycle check, 2^64 copies
    const log = attach(socket, {
      redact: (payload, { event }) => (event === "loop" ? selfish : payload),
    });
    await connected(socket);
    socket.emit("loop", 1);
    await socket.emitWithAck("echo", "x".repeat(50_000));
    const packets = ofKind(log, "packet");
    expect(packets.find((p) => p.event === "loop")?.payload).toEqual({
      a: "[circular]",
      b: "[circular]",
    });
    const echoed = packets.find((p) => p.event === "echo")?.payload as string[];
    expect(echoed[0]).toHaveLength(10_000 + "…[40000 more characters]".length);
    expect(echoed[0]).toMatch(/…\[40000 more characters\]$/);
  });
});

describe("EventLog: buffer, subscription, JSON and detach", () => {
  it("keeps only the newest `capacity` entries", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const log = attach(socket, { capacity: 5 });
    await connected(socket);
    for (let i = 0; i < 5; i++) await socket.emitWithAck("echo", i);
    const entries = log.entries();
    expect(log.capacity).toBe(5);
    expect(entries).toHaveLength(5);
    const last = entries.at(-1)!.seq;
    expect(last).toBeGreaterThan(10);
    expect(entries.map((entry) => entry.seq)).toEqual([4, 3, 2, 1, 0].map((back) => last - back));
    expect(entries.at(-1)).toMatchObject({ kind: "ack", event: "echo" });
  });

  it("tells subscribers about every entry and about clear()", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const log = attach(socket);
    const heard: string[] = [];
    const stop = log.subscribe((change) =>
      heard.push(change.type === "entry" ? change.entry.kind : "clear"),
    );
    // A throwing subscriber must not break the connection.
    log.subscribe(() => {
      throw new Error("subscriber failure");
    });
    const uncaught = vi.fn();
    process.on("uncaughtException", uncaught);
    try {
      await connected(socket);
      expect(heard).toEqual(log.entries().map((entry) => entry.kind));
      log.clear();
      expect(log.entries()).toEqual([]);
      expect(heard.at(-1)).toBe("clear");
      stop();
      await socket.emitWithAck("echo", 1);
      expect(heard.at(-1)).toBe("clear");
      expect(log.entries().length).toBeGreaterThan(0);
    } finally {
      process.off("uncaughtException", uncaught);
    }
  });

  it("round-trips through JSON in its versioned format", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["websocket"] });
    const log = attach(socket);
    await connected(socket);
    await socket.emitWithAck("echo", { nested: [1, "two", null] }, new Uint8Array(4));
    const parsed = JSON.parse(JSON.stringify(log));
    expect(parsed).toEqual({ format: "wireline-event-log", version: 1, entries: log.entries() });
    expect(parsed).toStrictEqual(log.toJSON());
  });

  it("detach() removes every listener it added and records nothing more", async () => {
    const url = await start();
    const socket = connect(url, { transports: ["polling", "websocket"], reconnectionDelay: 10 });
    await connected(socket);
    server?.of("/chat");
    const chat = socket.io.socket("/chat");
    await connected(chat);
    const engine = socket.io.engine!;
    const count = () => {
      let total = 0;
      for (const emitter of [socket.io, engine, socket, chat, socket.outbox, chat.outbox]) {
        const events = [
          ...["state", "error", "close", "open", "packet", "ping"],
          ...["reconnect_attempt", "reconnect_error", "reconnect_failed", "reconnect"],
          ...["lifecycle", "backoff", "enqueue", "drop", "expire", "flush"],
          ...["packetCreate", "race", "upgrading", "upgrade", "upgradeError", "data"],
          ...["connect", "disconnect", "connect_error"],
        ];
        for (const event of events)
          total += (emitter as Manager).listeners(event as keyof ManagerEvents).length;
      }
      return total;
    };
    const before = count();
    const log = attachEventLog(socket);
    const attached = count();
    expect(attached).toBeGreaterThan(before + 10);
    log.detach();
    expect(count()).toBe(before);
    expect(log.attached).toBe(false);
    const size = log.size;
    await socket.emitWithAck("echo", 1);
    socket.io.engine?.close();
    await connected(socket);
    expect(log.size).toBe(size);
  });
});

describe("attachEventLog: bad input", () => {
  it("says what it needs", () => {
    expect(() => attachEventLog({} as Socket)).toThrow(/needs a socket from io\(\) or a Manager/);
    const manager = new Manager("http://127.0.0.1:1", { autoConnect: false });
    expect(() => attachEventLog(manager, { capacity: 0 })).toThrow(/positive integer, got 0/);
    expect(() => attachEventLog(manager, { redact: "x" as never })).toThrow(/must be a function/);
  });

  it("download() says it needs a browser when there is none", () => {
    const manager = new Manager("http://127.0.0.1:1", { autoConnect: false });
    const log = attach(manager);
    expect(() => log.download()).toThrow(/needs a browser page/);
  });
});
