// The outbox as sockets use it: emits made while disconnected or offline wait, bounded, and
// go out in order before `connect`; dropped or expired ones fail their acks and never go out.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerSocket } from "@wireline/mock-server";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  createFakeLifecycle,
  defineOutboxStorage,
  type IoOptions,
  io,
  memoryStorage,
  Outbox,
  OutboxError,
  type OutboxStorage,
  type Socket,
} from "../index.ts";

let server: Server;
let url: string;
/** Every event the server received, in arrival order, as "event:arg". */
let received: string[];
/** While true the server acknowledges nothing, as if it died before answering. */
let holdAcks = false;
const sockets: Socket[] = [];

async function start(options: Record<string, unknown> = {}): Promise<void> {
  const httpServer = createServer();
  server = new Server(httpServer, { pingInterval: 10_000, pingTimeout: 10_000, ...options });
  received = [];
  server.on("connection", (socket: ServerSocket) => {
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
      received.push(`${event}:${String(args[0])}`);
      if (!holdAcks) (ack as ((reply: unknown) => void) | undefined)?.(args[0]);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

function connect(options: IoOptions = {}): Socket {
  const socket = io(url, {
    WebSocket,
    forceNew: true,
    transports: ["websocket"],
    autoConnect: false,
    lifecycle: createFakeLifecycle(),
    ...options,
  });
  sockets.push(socket);
  return socket;
}

const once = (socket: Socket, event: string) =>
  new Promise<unknown[]>((resolve) =>
    socket.once(event as never, ((...args: unknown[]) => resolve(args)) as never),
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits `values` as "e" events with an error-catching ack; resolves to each ack's outcome. */
function emitAll(socket: Socket, values: number[]): Promise<string>[] {
  return values.map(
    (value) =>
      new Promise<string>((resolve) => {
        socket.emit("e", value, (reply: unknown) =>
          resolve(reply instanceof OutboxError ? `error:${reply.code}` : `ack:${String(reply)}`),
        );
      }),
  );
}

afterEach(async () => {
  holdAcks = false;
  for (const socket of sockets.splice(0)) {
    socket.disconnect();
    socket.outbox.dispose();
  }
  await server?.close();
});

describe("the outbox of a socket", () => {
  it("sends what was emitted while disconnected, in order, before connect fires", async () => {
    await start();
    const socket = connect();
    const acks = emitAll(socket, [1, 2, 3]);
    expect(socket.outbox.size).toBe(3);
    expect(socket.io.getSnapshot().outboxSize).toBe(3);
    expect(socket.sendBuffer.map((packet) => packet.data)).toEqual([
      ["e", 1],
      ["e", 2],
      ["e", 3],
    ]);
    let queuedAtConnect = -1;
    socket.on("connect", () => {
      queuedAtConnect = socket.outbox.size;
      socket.emit("e", 4); // Newer than the queued ones: must arrive after them.
    });
    socket.connect();
    expect(await Promise.all(acks)).toEqual(["ack:1", "ack:2", "ack:3"]);
    await expect.poll(() => received).toEqual(["e:1", "e:2", "e:3", "e:4"]);
    expect(queuedAtConnect).toBe(0);
    expect(socket.io.getSnapshot().outboxSize).toBe(0);
  });

  it("drops the oldest when full under drop-oldest, failing their acks", async () => {
    await start();
    const socket = connect({ outbox: { maxPackets: 3, overflow: "drop-oldest" } });
    const drops: number[] = [];
    socket.outbox.on("drop", (entry) => drops.push(entry.args[0] as number));
    const acks = emitAll(socket, [1, 2, 3, 4, 5]);
    socket.connect();
    expect(await Promise.all(acks)).toEqual([
      "error:overflow",
      "error:overflow",
      "ack:3",
      "ack:4",
      "ack:5",
    ]);
    expect(drops).toEqual([1, 2]);
    expect(received).toEqual(["e:3", "e:4", "e:5"]);
  });

  it("drops the newest under drop-newest and refuses it under reject", async () => {
    await start();
    const newest = connect({ outbox: { maxPackets: 2, overflow: "drop-newest" } });
    const rejecting = connect({ outbox: { maxPackets: 2, overflow: "reject" } });
    const newestAcks = emitAll(newest, [1, 2, 3]);
    const rejectAcks = emitAll(rejecting, [1, 2, 3]);
    newest.connect();
    rejecting.connect();
    expect(await Promise.all(newestAcks)).toEqual(["ack:1", "ack:2", "error:overflow"]);
    expect(await Promise.all(rejectAcks)).toEqual(["ack:1", "ack:2", "error:rejected"]);
    expect(received.filter((event) => event === "e:3")).toEqual([]);
  });

  it("never sends a packet whose ttl ran out, and fails its ack with an expired error", async () => {
    await start();
    // Long enough for the second packet to outlive a handshake on a loaded machine.
    const socket = connect({ outbox: { ttl: 1000 } });
    const expired: number[] = [];
    socket.outbox.on("expire", (entry) => expired.push(entry.args[0] as number));
    const [ack] = emitAll(socket, [1]);
    expect(await ack).toBe("error:expired");
    expect(expired).toEqual([1]);
    socket.emit("e", 2);
    socket.connect();
    await once(socket, "connect");
    await expect.poll(() => received).toEqual(["e:2"]);
  });

  it("rejects emitWithAck when its packet is dropped, even without a timeout", async () => {
    await start();
    const socket = connect({ outbox: { maxPackets: 1, overflow: "drop-oldest" } });
    const first = socket.emitWithAck("e", 1);
    const second = socket.emitWithAck("e", 2);
    await expect(first).rejects.toMatchObject({ name: "OutboxError", code: "overflow" });
    socket.connect();
    await expect(second).resolves.toBe(2);
  });

  it("takes a packet out of the outbox when its ack times out, so it is never sent late", async () => {
    await start();
    const socket = connect();
    const outcome = new Promise<unknown>((resolve) =>
      socket.timeout(30).emit("e", 1, (error: unknown) => resolve(error)),
    );
    expect(socket.outbox.size).toBe(1);
    expect(String(await outcome)).toMatch(/operation has timed out/);
    expect(socket.outbox.size).toBe(0);
    socket.emit("e", 2);
    socket.connect();
    await once(socket, "connect");
    await expect.poll(() => received).toEqual(["e:2"]);
  });

  it("never queues a volatile emit", async () => {
    await start();
    const socket = connect();
    socket.volatile.emit("e", 1);
    expect(socket.outbox.size).toBe(0);
    socket.emit("e", 2);
    socket.connect();
    await once(socket, "connect");
    await expect.poll(() => received).toEqual(["e:2"]);
  });

  it("queues an emit with retries once and delivers it once after connecting", async () => {
    await start();
    const socket = connect({ retries: 3, ackTimeout: 2000 });
    const reply = socket.emitWithAck("e", 1);
    expect(socket.outbox.size).toBe(1);
    socket.connect();
    expect(await reply).toBe(1);
    expect(received).toEqual(["e:1"]);
  });

  it("flushes a large outbox over polling in payloads the server accepts", async () => {
    await start({ maxHttpBufferSize: 2_000 });
    const socket = connect({ transports: ["polling"], outbox: { maxPackets: 500 } });
    const values = Array.from({ length: 200 }, (_, index) => index);
    const acks = values.map((value) => socket.emitWithAck("e", `${value}:${"x".repeat(40)}`));
    socket.connect();
    await Promise.all(acks);
    expect(received.map((event) => Number(event.slice(2).split(":")[0]))).toEqual(values);
    expect(socket.connected).toBe(true);
  });

  it("sends what a previous page queued in the same storage, once", async () => {
    await start();
    const storage = memoryStorage();
    const previous = connect({ outbox: { storage } });
    previous.emit("e", 1);
    previous.emit("e", 2, () => {});
    previous.outbox.dispose(); // The page goes away without connecting.
    const next = connect({ outbox: { storage } });
    next.emit("e", 3);
    next.connect();
    await once(next, "connect");
    await expect.poll(() => received).toEqual(["e:1", "e:2", "e:3"]);
    await sleep(50);
    expect(received).toHaveLength(3);
    expect(await storage.load()).toEqual([]);
  });

  it("sends a previous page's packets before this page's emits, however slowly they load", async () => {
    await start();
    const storage = memoryStorage();
    const previous = connect({ outbox: { storage } });
    previous.emit("e", "old 1");
    previous.emit("e", "old 2", () => {});
    previous.outbox.dispose(); // The page goes away without connecting.
    // A storage that takes its time to load, as IndexedDB may on a busy page.
    const slow: typeof storage = { ...storage, load: () => sleep(150).then(() => storage.load()) };
    const next = connect({ outbox: { storage: slow } });
    next.connect();
    await once(next, "connect");
    next.emit("e", "new 1");
    next.emit("e", "new 2", () => {});
    await expect.poll(() => received).toEqual(["e:old 1", "e:old 2", "e:new 1", "e:new 2"]);
  });

  it("takes none of what other tabs leave while disconnected by the app, and what they left meanwhile at connect()", async () => {
    await start();
    const shelf = memoryStorage();
    const watchers = new Set<() => void>();
    const storage = defineOutboxStorage({
      load: (nsp?: string) => shelf.load(nsp),
      put: (entry) => shelf.put(entry),
      delete: (ids) => shelf.delete(ids),
      clear: () => shelf.clear(),
      watch(listener: () => void) {
        watchers.add(listener);
        return () => watchers.delete(listener);
      },
    });
    const socket = connect({ outbox: { storage } });
    socket.connect();
    await once(socket, "connect");
    expect(watchers.size).toBe(1);
    socket.disconnect();
    // A socket the app is done with would keep another tab's packets unsent.
    expect(watchers.size).toBe(0);
    await shelf.put({ id: "t1", nsp: "/", event: "e", args: ["left"], bytes: 12, enqueuedAt: 0 });
    expect(socket.outbox.size).toBe(0);
    socket.connect();
    await expect.poll(() => received).toEqual(["e:left"]);
    expect(watchers.size).toBe(1);
    // Refused by the server's namespace disconnect: it stops watching as well.
    for (const serverSocket of server.of("/").sockets.values()) serverSocket.disconnect();
    await expect.poll(() => watchers.size).toBe(0);
    expect(socket.active).toBe(false);
  });

  it("does not hold this page's emits for good behind a storage that never loads", async () => {
    await start();
    const storage = memoryStorage();
    const stuck: typeof storage = { ...storage, load: () => new Promise(() => {}) };
    const socket = connect({ outbox: { storage: stuck } });
    socket.connect();
    await once(socket, "connect");
    socket.emit("e", "waits, then goes");
    await sleep(100);
    expect(received).toEqual([]);
    await expect.poll(() => received, { timeout: 5_000 }).toEqual(["e:waits, then goes"]);
  }, 10_000);

  it("keeps a sent emit stored until its ack arrives, so the next page resends it", async () => {
    await start();
    const storage = memoryStorage();
    const previous = connect({ outbox: { storage } });
    previous.emit("e", "acked later", () => {});
    previous.emit("e", "plain");
    holdAcks = true;
    previous.connect();
    await expect.poll(() => received).toEqual(["e:acked later", "e:plain"]);
    // The page goes away before the ack: the packet must still be stored.
    previous.disconnect();
    expect((await storage.load()).map((entry) => entry.args[0])).toEqual(["acked later"]);

    holdAcks = false;
    const next = connect({ outbox: { storage } });
    next.connect();
    await once(next, "connect");
    // Sent again, with an ack id so that the server's ack settles it: at least once.
    await expect.poll(() => received).toEqual(["e:acked later", "e:plain", "e:acked later"]);
    await expect.poll(() => storage.load()).toEqual([]);
  });

  it("keeps an emit sent live stored until its ack arrives, with or without retries", async () => {
    await start();
    const storage = memoryStorage();
    const previous = connect({ outbox: { storage } });
    previous.connect();
    await once(previous, "connect");
    holdAcks = true;
    previous.emit("e", "live, acked later", () => {});
    previous.timeout(5_000).emit("e", "live, with a timeout", () => {});
    previous.emit("e", "live, plain");
    await sleep(20); // a volatile emit is dropped while the transport is still writing
    previous.volatile.emit("e", "live, volatile", () => {});
    await expect.poll(() => received).toHaveLength(4);
    // The page goes away before the acks: what awaited one must still be stored.
    expect((await storage.load()).map((entry) => entry.args[0])).toEqual([
      "live, acked later",
      "live, with a timeout",
    ]);
    // Disconnecting makes the error-first ack give up ("socket has been disconnected"), which
    // settles its copy; the plain one's reply can still come, from the next page's resend.
    previous.disconnect();
    expect((await storage.load()).map((entry) => entry.args[0])).toEqual(["live, acked later"]);

    holdAcks = false;
    const next = connect({ outbox: { storage }, retries: 3, ackTimeout: 200 });
    next.connect();
    await once(next, "connect");
    await expect.poll(() => received.slice(4)).toEqual(["e:live, acked later"]);
    await expect.poll(() => storage.load()).toEqual([]);
    // With retries too, a live emit is stored until its ack settles it.
    holdAcks = true;
    next.emit("e", "retried", () => {});
    await expect.poll(() => received.includes("e:retried")).toBe(true);
    expect(await storage.load()).toHaveLength(1);
    holdAcks = false; // the retry, 200 ms on, is answered
    await expect.poll(() => storage.load()).toEqual([]);
    expect(received.filter((event) => event === "e:retried")).toHaveLength(2);
  });

  it("lets an ack that failed at a disconnect emit again: the new emit waits for its own reply", async () => {
    await start();
    const socket = connect({ reconnectionDelay: 10, reconnectionDelayMax: 20 });
    socket.connect();
    await once(socket, "connect");
    holdAcks = true;
    const outcomes: string[] = [];
    // The common retry: an error-first ack that emits the same data again when it fails.
    const save = (value: string, tries: number) =>
      socket.timeout(5_000).emit("save", value, (error: Error | null) => {
        outcomes.push(`${value}: ${error?.message ?? "saved"}`);
        if (error && tries > 1) save(value, tries - 1);
      });
    save("draft", 3);
    await expect.poll(() => received).toEqual(["save:draft"]);
    holdAcks = false;
    server.faults.dropTransports();
    // The retry's ack waits in the outbox with its packet, and the server's reply settles it.
    await expect
      .poll(() => outcomes)
      .toEqual(["draft: socket has been disconnected", "draft: saved"]);
    expect(received).toEqual(["save:draft", "save:draft"]);
  });

  it("sends a stored emit again at the next connect when the connection dropped before its ack", async () => {
    await start();
    const storage = memoryStorage();
    const socket = connect({
      outbox: { storage },
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    socket.connect();
    await once(socket, "connect");
    holdAcks = true;
    const replies: unknown[] = [];
    socket.emit("e", "cut off", (reply: unknown) => replies.push(reply));
    await expect.poll(() => received).toEqual(["e:cut off"]);
    holdAcks = false;
    server.faults.dropTransports();
    // At least once: sent again after reconnecting, and its reply clears the stored copy. The
    // app's plain callback was dropped at the disconnect, as in socket.io-client.
    await expect.poll(() => received).toEqual(["e:cut off", "e:cut off"]);
    await expect.poll(() => storage.load()).toEqual([]);
    expect(socket.outbox.size).toBe(0);
    expect(replies).toEqual([]);
  });

  it("stores a retried emit's copy for its next try before deleting the old one, so an unload between loses nothing", async () => {
    await start();
    const shelf = memoryStorage();
    const writes: string[] = [];
    const storage = defineOutboxStorage({
      load: () => shelf.load(),
      put(entry) {
        writes.push(`put ${String(entry.args[0])}`);
        return shelf.put(entry);
      },
      delete(ids) {
        writes.push(`delete ${ids.length}`);
        return shelf.delete(ids);
      },
      clear: () => shelf.clear(),
    });
    const socket = connect({ outbox: { storage }, retries: 3, ackTimeout: 5000 });
    socket.connect();
    await once(socket, "connect");
    holdAcks = true;
    socket.emit("e", "in flight", () => {});
    await expect.poll(() => received).toEqual(["e:in flight"]);
    writes.length = 0;
    server.faults.dropTransports();
    await once(socket, "disconnect");
    // Must: the copy for the next try first, then the old copy's delete.
    expect(writes).toEqual(["put in flight", "delete 1"]);
    expect((await shelf.load()).map((entry) => entry.args[0])).toEqual(["in flight"]);
  });

  it("after a drop, sends a previous page's unacknowledged packets again before this page's retries", async () => {
    await start();
    const storage = memoryStorage();
    const previous = connect({ outbox: { storage } });
    previous.emit("e", "old", () => {});
    previous.outbox.dispose(); // The page goes away without connecting.
    const next = connect({
      outbox: { storage },
      retries: 3,
      ackTimeout: 5_000,
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    holdAcks = true;
    next.connect();
    await once(next, "connect");
    next.emit("e", "new", () => {});
    await expect.poll(() => received).toEqual(["e:old", "e:new"]);
    holdAcks = false;
    server.faults.dropTransports();
    // Both were unanswered: sent again in the order they were first sent.
    await expect.poll(() => received).toEqual(["e:old", "e:new", "e:old", "e:new"]);
    await expect.poll(() => storage.load()).toEqual([]);
  });

  it("sends the flushed packets before an emit made by a listener the flush notifies", async () => {
    await start();
    const socket = connect();
    emitAll(socket, [1, 2]);
    let synced = false;
    socket.io.subscribe(() => {
      if (synced || !socket.connected || socket.io.getSnapshot().outboxSize > 0) return;
      synced = true;
      socket.emit("synced", "state");
    });
    // Every flush: an emit made here must go live, not start another flush of its own.
    socket.outbox.on("flush", (entries) => socket.emit("flushed", entries.length));
    socket.connect();
    await expect.poll(() => received).toEqual(["e:1", "e:2", "flushed:2", "synced:state"]);
  });

  it("puts a retried emit cut off in flight back in the outbox, where its ttl holds", async () => {
    await start();
    const socket = connect({
      retries: 2,
      ackTimeout: 2000,
      outbox: { ttl: 150 },
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    socket.connect();
    await once(socket, "connect");
    holdAcks = true;
    const outcome = new Promise((resolve) => socket.emit("e", "in flight", resolve));
    await expect.poll(() => received).toEqual(["e:in flight"]);
    server.faults.rejectHandshakes(503);
    server.faults.dropTransports();
    await once(socket, "disconnect");
    // Waiting like any queued emit: counted, and visible in sendBuffer.
    expect(socket.io.getSnapshot().outboxSize).toBe(1);
    expect(socket.sendBuffer.map((packet) => packet.data)).toEqual([["e", "in flight"]]);
    const error = await outcome;
    expect(error).toBeInstanceOf(OutboxError);
    expect((error as OutboxError).code).toBe("expired");
    server.faults.clear();
    await once(socket, "connect");
    await sleep(50);
    expect(received).toEqual(["e:in flight"]); // never sent past its ttl
  });

  it("tells apart the ack ids of namespaces sharing an outbox", async () => {
    await start();
    const shared = new Outbox();
    const main = connect({ outbox: shared, reconnectionDelay: 10, reconnectionDelayMax: 20 });
    main.connect();
    await once(main, "connect");
    const chat = main.io.socket("/chat", { outbox: shared });
    chat.emit("later", 1, () => {}); // queued (chat is not connected): ack id 0 of /chat
    holdAcks = true;
    const reply = main.emitWithAck("e", "unanswered"); // sent: ack id 0 of /
    await expect.poll(() => received).toEqual(["e:unanswered"]);
    server.faults.dropTransports();
    await expect(reply).rejects.toThrow("socket has been disconnected");
    // Emptying one socket's sendBuffer leaves the other namespace's packets alone.
    main.sendBuffer = [];
    expect(chat.sendBuffer).toHaveLength(1);
  });

  it("restores only well-formed packets of its namespace, and says what it deleted", async () => {
    await start();
    const now = Date.now();
    const records = [
      null,
      { id: "no-args", nsp: "/", event: "old", bytes: 3, enqueuedAt: now },
      { id: "no-bytes", nsp: "/", event: "old", args: [1], enqueuedAt: now },
      { id: "other-nsp", nsp: "/chat", event: "old", args: [2], bytes: 9, enqueuedAt: now },
    ];
    const deleted: string[] = [];
    let loads = 0;
    const storage: OutboxStorage = defineOutboxStorage({
      load: async () => {
        loads++;
        return records as never;
      },
      put() {},
      delete: (ids: readonly string[]) => {
        deleted.push(...ids);
      },
      clear() {},
    });
    const socket = connect({ outbox: { storage, maxBytes: 100 } });
    const errors: Error[] = [];
    socket.outbox.on("error", (error) => errors.push(error));
    const restored: number[] = [];
    socket.outbox.on("restore", (entries) => restored.push(entries.length));
    emitAll(socket, [3]);
    // Made closed (as the bindings make sockets while rendering): no storage is touched yet.
    await sleep(20);
    expect(loads).toBe(0);
    socket.connect();
    await once(socket, "connect");
    await expect.poll(() => received).toEqual(["old:1", "e:3"]);
    expect(restored).toEqual([1]);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining("deleted 1 stored outbox record(s) that are no packet"),
    ]);
    // The damaged record is deleted; the one sent after its restore too; another namespace's stays.
    expect(deleted.slice(0, 2)).toEqual(["no-args", "no-bytes"]);
    expect(deleted).not.toContain("other-nsp");
    expect(socket.outbox.size).toBe(0);
  });

  it("sends a volatile emit while stored packets load, at the first connect and at the next", async () => {
    await start();
    const shelf = memoryStorage();
    const slow: typeof shelf = { ...shelf, load: (nsp) => sleep(150).then(() => shelf.load(nsp)) };
    const socket = connect({ outbox: { storage: slow } });
    socket.on("connect", () => socket.volatile.emit("presence", "here"));
    socket.connect();
    await expect.poll(() => received).toEqual(["presence:here"]);
    socket.disconnect();
    socket.connect();
    await expect.poll(() => received).toEqual(["presence:here", "presence:here"]);
  });

  it("counts a refused emit's sweep in the snapshot's outboxSize", async () => {
    await start();
    const socket = connect({ outbox: { ttl: 30, maxBytes: 100 } });
    emitAll(socket, [1]);
    const busyUntil = Date.now() + 60; // a busy main thread: the ttl timer has not run
    while (Date.now() < busyUntil) {}
    const [refused] = emitAll(socket, ["x".repeat(200) as never]);
    expect(await refused).toBe("error:too-large");
    expect(socket.outbox.size).toBe(0);
    expect(socket.io.getSnapshot().outboxSize).toBe(0);
  });

  it("stores nothing for an emit sent live with the default, page-lifetime storage", async () => {
    await start();
    const socket = connect();
    socket.connect();
    await once(socket, "connect");
    holdAcks = true;
    socket.emit("e", "live", () => {});
    await expect.poll(() => received).toEqual(["e:live"]);
    expect(await socket.outbox.restore()).toEqual([]);
  });

  it("empties the outbox when the app assigns an empty sendBuffer, and refuses anything else", async () => {
    await start();
    const socket = connect();
    const [ack] = emitAll(socket, [1]);
    socket.sendBuffer = [];
    expect(await ack).toBe("error:cleared");
    expect(socket.outbox.size).toBe(0);
    expect(() => {
      socket.sendBuffer = [{ type: 2, nsp: "/", data: ["e"] }];
    }).toThrow(/can only be emptied/);
  });

  it("keeps what was queued while offline when the session then drops, and sends it once online", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect({ lifecycle });
    socket.connect();
    await once(socket, "connect");
    lifecycle.setOnline(false);
    const acks = emitAll(socket, [1, 2, 3]);
    expect(socket.outbox.size).toBe(3);
    const dropped = once(socket, "disconnect");
    server.faults.dropTransports();
    await dropped;
    expect(socket.outbox.size).toBe(3);
    lifecycle.setOnline(true);
    expect(await Promise.all(acks)).toEqual(["ack:1", "ack:2", "ack:3"]);
    expect(received).toEqual(["e:1", "e:2", "e:3"]);
  });

  it("counts the attempt that going online makes from 1, as socket.io-client counts attempts", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect({ lifecycle });
    socket.connect();
    await once(socket, "connect");
    lifecycle.setOnline(false);
    const dropped = once(socket, "disconnect");
    server.faults.dropTransports();
    await dropped;
    const attempts: number[] = [];
    socket.io.on("reconnect_attempt", (attempt) => attempts.push(attempt));
    lifecycle.setOnline(true);
    expect(socket.io.getSnapshot()).toMatchObject({ status: "reconnecting", attempt: 1 });
    await once(socket, "connect");
    expect(attempts).toEqual([1]);
  });

  it("reports lifecycle signals and backoff decisions as Manager events", async () => {
    await start();
    const lifecycle = createFakeLifecycle();
    const socket = connect({ lifecycle, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    const signals: string[] = [];
    const delays: Array<[number, number]> = [];
    socket.io.on("lifecycle", (signal) => signals.push(signal));
    socket.io.on("backoff", (attempt, delay) => delays.push([attempt, delay]));
    socket.connect();
    await once(socket, "connect");
    lifecycle.setVisible(false);
    lifecycle.setVisible(true);
    server.faults.dropTransports();
    await once(socket, "connect");
    expect(signals).toEqual(["hidden", "visible"]);
    expect(delays).toHaveLength(1);
    const [[attempt, delay]] = delays as [[number, number]];
    expect(attempt).toBe(1);
    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(200);
  });
});
