import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  defineOutboxStorage,
  estimateBytes,
  memoryStorage,
  Outbox,
  type OutboxEntry,
  OutboxError,
  type OutboxInput,
  type OutboxStorage,
  type StoredOutboxEntry,
} from "../outbox/index.ts";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

const packet = (event: string, extra: Partial<OutboxInput> = {}): OutboxInput => ({
  nsp: "/",
  event,
  args: [],
  ...extra,
});

const events = (entries: readonly OutboxEntry[]) => entries.map((entry) => entry.event);

describe("the outbox queue", () => {
  it("returns queued packets first in, first out, and counts them and their bytes", () => {
    const outbox = new Outbox();
    outbox.enqueue(packet("a", { args: [1] }));
    outbox.enqueue(packet("b", { args: ["é"], ackId: 7 }));
    expect(outbox.size).toBe(2);
    // ["a",1] is 7 bytes; ["b","é"] is 10 (é is 2 bytes in UTF-8).
    expect(outbox.bytes).toBe(17);
    const drained = outbox.drain();
    expect(events(drained)).toEqual(["a", "b"]);
    expect(drained[1]).toMatchObject({ nsp: "/", args: ["é"], ackId: 7, enqueuedAt: 1_000_000 });
    expect(outbox.size).toBe(0);
    expect(outbox.bytes).toBe(0);
  });

  it("gives every packet a unique id, different in another outbox too", () => {
    const first = new Outbox();
    const second = new Outbox();
    const ids = [
      first.enqueue(packet("a")).entry.id,
      first.enqueue(packet("b")).entry.id,
      second.enqueue(packet("a")).entry.id,
    ];
    expect(new Set(ids).size).toBe(3);
  });

  it("lets the app inspect the queue without changing it", () => {
    const outbox = new Outbox();
    outbox.enqueue(packet("a"));
    const copy = outbox.entries();
    copy.pop();
    expect(events(outbox.entries())).toEqual(["a"]);
  });

  it("emits enqueue, flush and change events", () => {
    const outbox = new Outbox();
    const log: string[] = [];
    outbox.on("enqueue", (entry) => log.push(`enqueue ${entry.event}`));
    outbox.on("flush", (entries) => log.push(`flush ${events(entries).join(",")}`));
    outbox.on("change", () => log.push(`change ${outbox.size}`));
    outbox.enqueue(packet("a"));
    outbox.drain();
    // Must not report a flush when nothing was taken.
    outbox.drain();
    expect(log).toEqual(["enqueue a", "change 1", "flush a", "change 0"]);
  });

  it("removes one packet silently by id", () => {
    const outbox = new Outbox();
    const fail = vi.fn();
    const { entry } = outbox.enqueue(packet("a", { fail }));
    outbox.enqueue(packet("b"));
    expect(outbox.remove(entry.id)).toBe(true);
    expect(outbox.remove(entry.id)).toBe(false);
    expect(events(outbox.entries())).toEqual(["b"]);
    expect(fail).not.toHaveBeenCalled();
  });

  it("fails every packet with a clear error when the app clears it", () => {
    const outbox = new Outbox();
    const fail = vi.fn();
    outbox.enqueue(packet("save", { fail }));
    expect(events(outbox.clear())).toEqual(["save"]);
    expect(outbox.size).toBe(0);
    const error = fail.mock.calls[0]?.[0] as OutboxError;
    expect(error).toBeInstanceOf(OutboxError);
    expect(error.code).toBe("cleared");
    expect(error.message).toMatch(/^Wireline: outbox cleared by the app, .*"save"/);
  });
});

describe("the outbox bounds", () => {
  it("drops the oldest packet when full under drop-oldest, and tells its sender and listeners", () => {
    const outbox = new Outbox({ maxPackets: 100 });
    const fails: Array<[string, OutboxError]> = [];
    for (let i = 0; i < 101; i++) {
      outbox.enqueue(
        packet(i === 0 ? "save" : `e${i}`, { fail: (error) => fails.push([`e${i}`, error]) }),
      );
    }
    const drops = vi.fn();
    outbox.on("drop", drops);
    const result = outbox.enqueue(packet("e101"));
    expect(result.accepted).toBe(true);
    expect(events(result.dropped)).toEqual(["e1"]);
    expect(outbox.size).toBe(100);
    expect(outbox.entries()[0]?.event).toBe("e2");
    expect(outbox.entries()[99]?.event).toBe("e101");
    // Must report each drop to its own sender, with what happened and what to do.
    expect(fails.map(([name]) => name)).toEqual(["e0", "e1"]);
    expect(fails[0]?.[1].message).toBe(
      'Wireline: outbox full (100 packets), dropped packet for event "save" (policy drop-oldest). Raise the outbox\'s maxPackets/maxBytes or choose another overflow policy.',
    );
    expect(fails[0]?.[1].code).toBe("overflow");
    expect(drops).toHaveBeenCalledWith(expect.objectContaining({ event: "e1" }), fails[1]?.[1]);
  });

  it("drops the new packet when full under drop-newest", () => {
    const outbox = new Outbox({ maxPackets: 2, overflow: "drop-newest" });
    outbox.enqueue(packet("a"));
    outbox.enqueue(packet("b"));
    const fail = vi.fn();
    const result = outbox.enqueue(packet("c", { fail }));
    expect(result.accepted).toBe(false);
    expect(result.error?.code).toBe("overflow");
    expect(events(result.dropped)).toEqual(["c"]);
    expect(fail).toHaveBeenCalledWith(result.error);
    expect(events(outbox.entries())).toEqual(["a", "b"]);
  });

  it("refuses the new packet when full under reject, with an error saying so", () => {
    const outbox = new Outbox({ maxPackets: 1, overflow: "reject" });
    outbox.enqueue(packet("a"));
    const result = outbox.enqueue(packet("save"));
    expect(result.accepted).toBe(false);
    expect(result.error?.code).toBe("rejected");
    expect(result.error?.message).toMatch(
      /^Wireline: outbox full \(1 packets\), rejected packet for event "save" \(policy reject\)/,
    );
    expect(events(outbox.entries())).toEqual(["a"]);
  });

  it("evicts as many old packets as it takes to fit the bytes of a new one", () => {
    // Each ["eN","xxxxxxxx"] is 17 bytes.
    const outbox = new Outbox({ maxBytes: 60 });
    for (const name of ["e1", "e2", "e3"]) outbox.enqueue(packet(name, { args: ["xxxxxxxx"] }));
    expect(outbox.bytes).toBe(51);
    const result = outbox.enqueue(packet("e4", { args: ["x".repeat(24)] })); // 33 bytes
    expect(events(result.dropped)).toEqual(["e1", "e2"]);
    expect(result.dropped.length).toBe(2);
    expect(events(outbox.entries())).toEqual(["e3", "e4"]);
    expect(outbox.bytes).toBe(50);
  });

  it("names the byte limit when bytes, not the count, overflowed", () => {
    const outbox = new Outbox({ maxBytes: 20, overflow: "reject" });
    outbox.enqueue(packet("a", { args: ["xxxxxxxxx"] }));
    expect(outbox.enqueue(packet("b", { args: ["xxxxxxxxx"] })).error?.message).toMatch(
      /outbox full \(20 bytes\)/,
    );
  });

  it("never queues a packet bigger than the whole outbox, whatever the policy", () => {
    const outbox = new Outbox({ maxBytes: 10 });
    outbox.enqueue(packet("a"));
    const fail = vi.fn();
    const result = outbox.enqueue(packet("big", { args: ["x".repeat(20)], fail }));
    expect(result.accepted).toBe(false);
    expect(result.error?.code).toBe("too-large");
    expect(result.error?.message).toMatch(/^Wireline: packet for event "big" is 30 bytes/);
    expect(fail).toHaveBeenCalledOnce();
    // Must not evict anything for a packet that cannot fit anyway.
    expect(events(outbox.entries())).toEqual(["a"]);
  });

  it("lets a sender's error callback queue again while it is being told", () => {
    const outbox = new Outbox({ maxPackets: 1 });
    outbox.enqueue(
      packet("a", { fail: () => outbox.enqueue(packet("retry-a", { ttl: 0, id: "r" })) }),
    );
    outbox.enqueue(packet("b"));
    // "b" evicted "a"; a's callback then evicted "b" with its retry.
    expect(events(outbox.entries())).toEqual(["retry-a"]);
    expect(outbox.size).toBe(1);
  });

  it("still tells every sender when one sender's callback throws, then rethrows", () => {
    const outbox = new Outbox({ maxPackets: 2 });
    const second = vi.fn();
    outbox.enqueue(
      packet("a", {
        fail: () => {
          throw new Error("app bug");
        },
      }),
    );
    outbox.enqueue(packet("b", { fail: second }));
    expect(() => outbox.clear()).toThrow("app bug");
    expect(second).toHaveBeenCalledOnce();
  });
});

describe("the outbox ttl", () => {
  it("fails a packet with a timeout error when its ttl runs out, and never hands it out", () => {
    const outbox = new Outbox({ ttl: 5000 });
    const fail = vi.fn();
    const expire = vi.fn();
    outbox.on("expire", expire);
    outbox.enqueue(packet("save", { fail }));
    vi.advanceTimersByTime(4999);
    expect(fail).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    const error = fail.mock.calls[0]?.[0] as OutboxError;
    expect(error.code).toBe("expired");
    expect(error.message).toMatch(
      /^Wireline: timeout, packet for event "save" waited 5000 ms in the outbox/,
    );
    expect(expire).toHaveBeenCalledWith(expect.objectContaining({ event: "save" }), error);
    expect(outbox.size).toBe(0);
    expect(outbox.drain()).toEqual([]);
  });

  it("uses one timer for the earliest expiry, not one per packet", () => {
    const outbox = new Outbox({ ttl: 10_000 });
    for (let i = 0; i < 50; i++) outbox.enqueue(packet(`e${i}`));
    outbox.enqueue(packet("soon", { ttl: 1000 }));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(outbox.size).toBe(50);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(9000);
    expect(outbox.size).toBe(0);
    // Must leave no timer behind once empty.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("cancels its timer when the queue is drained before anything expires", () => {
    const outbox = new Outbox({ ttl: 1000 });
    outbox.enqueue(packet("a"));
    outbox.drain();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets a packet's own ttl override the outbox's, and keeps packets without one", () => {
    const outbox = new Outbox();
    outbox.enqueue(packet("forever"));
    outbox.enqueue(packet("brief", { ttl: 100 }));
    vi.advanceTimersByTime(100);
    expect(events(outbox.entries())).toEqual(["forever"]);
    expect(outbox.entries()[0]?.expiresAt).toBeUndefined();
  });

  it("never hands out an expired packet even when its timer was throttled and has not fired", () => {
    const outbox = new Outbox({ ttl: 1000 });
    const fail = vi.fn();
    outbox.enqueue(packet("late", { fail }));
    outbox.enqueue(packet("fresh", { ttl: 60_000 }));
    // The wall clock moves on, as in a hidden tab, but no timer runs.
    vi.setSystemTime(Date.now() + 2000);
    expect(events(outbox.drain())).toEqual(["fresh"]);
    expect(fail).toHaveBeenCalledOnce();
  });

  it("reports a change when a drain finds only expired packets", () => {
    const outbox = new Outbox({ ttl: 1000 });
    outbox.enqueue(packet("late"));
    const change = vi.fn();
    outbox.on("change", change);
    vi.setSystemTime(Date.now() + 1000);
    expect(outbox.drain()).toEqual([]);
    expect(change).toHaveBeenCalledOnce();
  });

  it("expires by the clock when its timer fires early, and waits for the rest", () => {
    let now = 0;
    let pending: (() => void) | undefined;
    const outbox = new Outbox({
      ttl: 1000,
      clock: {
        now: () => now,
        setTimeout: (callback) => {
          pending = callback;
          return 1;
        },
        clearTimeout: () => {
          pending = undefined;
        },
      },
    });
    outbox.enqueue(packet("a"));
    now = 500;
    pending?.();
    expect(outbox.size).toBe(1);
    // Must have rescheduled after the early wake-up.
    expect(pending).toBeDefined();
    now = 1000;
    pending?.();
    expect(outbox.size).toBe(0);
  });
});

describe("draining the outbox within a byte budget", () => {
  it("takes packets in order while they fit and leaves the rest in order", () => {
    const outbox = new Outbox();
    // ["eN","xxxxxxxx"] is 17 bytes each.
    for (const name of ["e1", "e2", "e3"]) outbox.enqueue(packet(name, { args: ["xxxxxxxx"] }));
    expect(events(outbox.drain(40))).toEqual(["e1", "e2"]);
    expect(events(outbox.entries())).toEqual(["e3"]);
  });

  it("always takes the first packet so one big packet cannot stall the queue", () => {
    const outbox = new Outbox();
    outbox.enqueue(packet("big", { args: ["x".repeat(100)] }));
    outbox.enqueue(packet("small"));
    expect(events(outbox.drain(10))).toEqual(["big"]);
    expect(events(outbox.drain(10))).toEqual(["small"]);
  });

  it("never lets a smaller packet overtake one that did not fit", () => {
    const outbox = new Outbox();
    outbox.enqueue(packet("a"));
    outbox.enqueue(packet("big", { args: ["x".repeat(100)] }));
    outbox.enqueue(packet("b"));
    expect(events(outbox.drain(50))).toEqual(["a"]);
    expect(events(outbox.entries())).toEqual(["big", "b"]);
  });

  it("takes only the packets of one namespace when asked", () => {
    const outbox = new Outbox();
    outbox.enqueue(packet("root1"));
    outbox.enqueue(packet("chat1", { nsp: "/chat" }));
    outbox.enqueue(packet("root2"));
    expect(events(outbox.drain(Number.POSITIVE_INFINITY, "/"))).toEqual(["root1", "root2"]);
    expect(events(outbox.entries())).toEqual(["chat1"]);
  });
});

describe("outbox persistence", () => {
  it("lets a new outbox on the same storage restore what the old one queued, before its own packets", async () => {
    const storage = memoryStorage();
    const previous = new Outbox({ storage });
    previous.enqueue(packet("old1", { ackId: 4, fail: () => {} }));
    previous.enqueue(packet("old2", { args: [{ n: 2 }] }));
    previous.enqueue(packet("sent"));
    const [acked] = previous.drain(); // handed to a socket: deleted from storage...
    previous.settle(acked!.id); // ...once acknowledged, for the one awaiting an ack
    previous.enqueue(packet("old3"));
    previous.enqueue(packet("old4", { ackId: 9 }));

    const next = new Outbox({ storage });
    next.enqueue(packet("new1"));
    const restored = await next.restore();
    expect(events(restored)).toEqual(["old3", "old4"]);
    expect(events(next.entries())).toEqual(["old3", "old4", "new1"]);
    // Must not carry a previous page's ack id, which would collide with this page's.
    expect(restored[1]?.ackId).toBeUndefined();
    expect(restored[1]?.restored).toBe(true);
    expect(restored[0]?.id).toBe(previous.entries()[0]?.id);
    expect(next.bytes).toBe(previous.bytes + estimateBytes(["new1"]));
  });

  it("keeps a sent packet stored until its ack settles, so a page closed before resends it", async () => {
    const storage = memoryStorage();
    const previous = new Outbox({ storage });
    previous.enqueue(packet("acked", { ackId: 1 }));
    previous.enqueue(packet("fire-and-forget"));
    previous.enqueue(packet("unanswered", { ackId: 2 }));
    const sent = previous.drain();
    previous.settle(sent[0]!.id);
    // Must keep only the packet whose ack never came; nothing can confirm a plain emit.
    expect((await storage.load()).map((entry) => entry.event)).toEqual(["unanswered"]);
    // This page does not restore what it already sent.
    expect(await previous.restore()).toEqual([]);

    const next = new Outbox({ storage });
    const [restored] = await next.restore();
    expect(restored).toMatchObject({ event: "unanswered", awaitsAck: true, restored: true });
    expect(restored?.ackId).toBeUndefined();
    next.drain();
    expect(await storage.load()).toHaveLength(1);
    next.settle(restored!.id);
    expect(await storage.load()).toEqual([]);
    next.settle(restored!.id); // a second settle changes nothing
  });

  it("sends a released packet (its ack will never come) again, unless the storage is the page's own", async () => {
    // The default storage lives as long as the page: the packet is forgotten.
    const pageOnly = new Outbox();
    pageOnly.enqueue(packet("cut off", { ackId: 1 }));
    const [sent] = pageOnly.drain();
    pageOnly.release([sent!.id]);
    expect(pageOnly.size).toBe(0);
    expect(await pageOnly.restore()).toEqual([]);

    // With a storage the app gave: back at the front of the queue, in order, without the ack id
    // whose callback is gone, still stored until a reply settles it.
    const storage = memoryStorage();
    const outbox = new Outbox({ storage });
    outbox.enqueue(packet("first", { ackId: 1 }));
    outbox.enqueue(packet("second", { ackId: 2 }));
    const drained = outbox.drain();
    outbox.enqueue(packet("newer"));
    outbox.release(drained.map((entry) => entry.id));
    expect(events(outbox.entries())).toEqual(["first", "second", "newer"]);
    expect(outbox.entries()[0]).toMatchObject({ awaitsAck: true });
    expect(outbox.entries()[0]?.ackId).toBeUndefined();
    expect(outbox.bytes).toBe(
      estimateBytes(["first"]) + estimateBytes(["second"]) + estimateBytes(["newer"]),
    );
    const again = outbox.drain();
    expect((await storage.load()).map((entry) => entry.event)).toEqual(["first", "second"]);
    for (const entry of again) outbox.settle(entry.id);
    expect(await storage.load()).toEqual([]);
  });

  it.each([
    ["drop-oldest", ["second", "newer 1", "newer 2"], ["first"]],
    ["drop-newest", ["first", "newer 1", "newer 2"], ["second"]],
    ["reject", ["first", "newer 1", "newer 2"], ["second"]],
  ] as const)("keeps released packets within the limits (%s)", async (overflow, kept, dropped) => {
    const storage = memoryStorage();
    const outbox = new Outbox({ storage, maxPackets: 3, overflow });
    outbox.enqueue(packet("first", { ackId: 1 }));
    outbox.enqueue(packet("second", { ackId: 2 }));
    const drained = outbox.drain();
    // The queue filled up again while their acks were awaited.
    outbox.enqueue(packet("newer 1"));
    outbox.enqueue(packet("newer 2"));
    const drops: string[] = [];
    outbox.on("drop", (entry, error) => drops.push(`${entry.event}: ${error.code}`));
    outbox.release(drained.map((entry) => entry.id));
    expect(events(outbox.entries())).toEqual(kept);
    expect(outbox.bytes).toBe(kept.reduce((sum, event) => sum + estimateBytes([event]), 0));
    expect(drops).toEqual(dropped.map((event) => `${event}: overflow`));
    // A dropped packet is not left in storage for a later page either.
    const stored = (await storage.load()).map((entry) => entry.event);
    expect(stored.sort()).toEqual([...kept].sort());
  });

  it("reads an ack id stored by an earlier version as awaiting an ack", async () => {
    const storage = memoryStorage();
    storage.put({ id: "old", nsp: "/", event: "e", args: [], ackId: 3, bytes: 5, enqueuedAt: 0 });
    const [restored] = await new Outbox({ storage }).restore();
    expect(restored).toMatchObject({ id: "old", awaitsAck: true });
  });

  it("clears only its own packets from storage, not a previous page's it has not restored", async () => {
    const storage = memoryStorage();
    const previous = new Outbox({ storage });
    previous.enqueue(packet("previous page"));
    const next = new Outbox({ storage });
    next.enqueue(packet("this page"));
    next.clear();
    expect((await storage.load()).map((entry) => entry.event)).toEqual(["previous page"]);
    expect(events(await next.restore())).toEqual(["previous page"]);
  });

  it("does not restore a packet twice, nor one this page already sent", async () => {
    const storage = memoryStorage();
    const outbox = new Outbox({ storage });
    outbox.enqueue(packet("a"));
    outbox.enqueue(packet("b"));
    const loading = outbox.restore();
    outbox.drain(5); // "a" leaves while the storage is still loading
    expect(await loading).toEqual([]);
    expect(await outbox.restore()).toEqual([]);
    expect(events(outbox.entries())).toEqual(["b"]);
  });

  it("reports packets that expired while no page was open and forgets them", async () => {
    const storage = memoryStorage();
    const previous = new Outbox({ storage, ttl: 1000 });
    previous.enqueue(packet("stale"));
    previous.enqueue(packet("fresh", { ttl: 60_000 }));
    previous.dispose();
    vi.setSystemTime(Date.now() + 5000);
    const next = new Outbox({ storage });
    const expire = vi.fn();
    next.on("expire", expire);
    expect(events(await next.restore())).toEqual(["fresh"]);
    expect(expire).toHaveBeenCalledWith(
      expect.objectContaining({ event: "stale" }),
      expect.any(OutboxError),
    );
    expect((await storage.load()).map((entry) => entry.event)).toEqual(["fresh"]);
    // Must keep expiring the restored packet on time.
    vi.advanceTimersByTime(60_000);
    expect(next.size).toBe(0);
  });

  it("drops restored packets that no longer fit, by its policy", async () => {
    const storage = memoryStorage();
    const previous = new Outbox({ storage });
    for (const name of ["o1", "o2", "o3"]) previous.enqueue(packet(name));
    const oldest = new Outbox({ storage: storage, maxPackets: 2 });
    oldest.enqueue(packet("n1"));
    const drops = vi.fn();
    oldest.on("drop", drops);
    await oldest.restore();
    expect(events(oldest.entries())).toEqual(["o3", "n1"]);
    expect(drops).toHaveBeenCalledTimes(2);

    const storage2 = memoryStorage();
    const before = new Outbox({ storage: storage2 });
    for (const name of ["o1", "o2", "o3"]) before.enqueue(packet(name));
    const newest = new Outbox({ storage: storage2, maxPackets: 2, overflow: "reject" });
    await newest.restore();
    expect(events(newest.entries())).toEqual(["o1", "o2"]);
  });

  it("keeps working in memory and reports an error when the storage fails", async () => {
    const broken: OutboxStorage = defineOutboxStorage({
      load: () => Promise.reject(new Error("load failed")),
      put: () => Promise.reject(new Error("put failed")),
      delete: () => {
        throw new Error("delete failed");
      },
      clear: () => {},
    });
    const outbox = new Outbox({ storage: broken });
    const errors: string[] = [];
    outbox.on("error", (error) => errors.push(error.message));
    outbox.enqueue(packet("a"));
    outbox.drain();
    expect(await outbox.restore()).toEqual([]);
    await vi.waitFor(() => expect(errors).toHaveLength(3));
    expect(errors.sort()).toEqual(["delete failed", "load failed", "put failed"]);
  });

  it("loads again, one load at a time, each namespace it restored when the storage's watch says so", async () => {
    const shelf = memoryStorage();
    const loads: Array<string | undefined> = [];
    let active = 0;
    let overlapped = false;
    let wake = () => {};
    const storage = defineOutboxStorage({
      async load(nsp?: string) {
        loads.push(nsp);
        overlapped ||= active > 0;
        active++;
        await Promise.resolve();
        const entries = (await shelf.load()).filter((entry) => entry.nsp === nsp);
        active--;
        return entries;
      },
      put: (entry) => shelf.put(entry),
      delete: (ids) => shelf.delete(ids),
      clear: () => shelf.clear(),
      watch(listener: () => void) {
        wake = listener;
        return () => {};
      },
    });
    const outbox = new Outbox({ storage });
    const restores: string[][] = [];
    outbox.on("restore", (entries) => restores.push(events(entries)));
    await Promise.all([outbox.restore("/"), outbox.restore("/chat")]);
    expect(overlapped).toBe(false);
    // Another page's packets became loadable.
    await shelf.put({ id: "x", nsp: "/chat", event: "late", args: [], bytes: 6, enqueuedAt: 0 });
    wake();
    await vi.waitFor(() => expect(restores).toEqual([["late"]]));
    expect(loads).toEqual(["/", "/chat", "/", "/chat"]);
    expect(overlapped).toBe(false);
    expect(events(outbox.entries())).toEqual(["late"]);
    // Loaded twice, queued once.
    wake();
    await vi.waitFor(() => expect(loads).toHaveLength(6));
    expect(events(outbox.entries())).toEqual(["late"]);
  });

  it("stops watching its storage once no namespace it restored is left, and watches again at the next restore", async () => {
    let watching = 0;
    const shelf = memoryStorage();
    const storage = defineOutboxStorage({
      load: (nsp?: string) => shelf.load(nsp),
      put: (entry) => shelf.put(entry),
      delete: (ids) => shelf.delete(ids),
      clear: () => shelf.clear(),
      watch() {
        watching++;
        return () => watching--;
      },
    });
    const outbox = new Outbox({ storage });
    await Promise.all([outbox.restore("/"), outbox.restore("/chat")]);
    expect(watching).toBe(1);
    outbox.stopRestoring("/");
    expect(watching).toBe(1);
    outbox.stopRestoring("/chat");
    outbox.stopRestoring("/chat");
    expect(watching).toBe(0);
    await outbox.restore("/chat");
    expect(watching).toBe(1);
    // Disposed: no more watching, whatever was restored.
    await outbox.restore("/");
    outbox.dispose();
    expect(watching).toBe(0);
  });

  it("never stores the sender's callback", async () => {
    const storage = memoryStorage();
    new Outbox({ storage }).enqueue(packet("a", { fail: () => {} }));
    const [stored] = await storage.load();
    expect(stored && "fail" in stored).toBe(false);
  });
});

describe("a storage of the app's own that misbehaves", () => {
  /** A storage over `shelf` with `extra` methods replacing or adding to its own. */
  const over = (shelf: OutboxStorage, extra: object = {}) =>
    defineOutboxStorage({
      load: (nsp?: string) => shelf.load(nsp),
      put: (entry: StoredOutboxEntry) => shelf.put(entry),
      delete: (ids: readonly string[]) => shelf.delete(ids),
      clear: () => shelf.clear(),
      ...extra,
    });

  it("takes a put or delete that returns something other than a promise as done", async () => {
    const map = new Map<string, StoredOutboxEntry>();
    // Arrow functions that return what Map and Array return: no write failed.
    const storage = defineOutboxStorage({
      load: async () => [...map.values()],
      put: (entry: StoredOutboxEntry) => map.set(entry.id, entry) as never,
      delete: (ids: readonly string[]) => ids.map((id) => map.delete(id)) as never,
      clear: () => map.clear(),
    });
    const outbox = new Outbox({ storage });
    const errors: string[] = [];
    outbox.on("error", (error) => errors.push(error.message));
    outbox.enqueue(packet("sent"));
    outbox.drain();
    outbox.enqueue(packet("waits"));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([]);
    expect([...map.values()].map((entry) => entry.event)).toEqual(["waits"]);
  });

  it("reports a write that throws at once and keeps the packet queued", async () => {
    const outbox = new Outbox({
      storage: over(memoryStorage(), {
        put() {
          throw new Error("quota");
        },
      }),
    });
    const errors: string[] = [];
    outbox.on("error", (error) => errors.push(error.message));
    expect(outbox.enqueue(packet("a")).accepted).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual(["quota"]);
    expect(outbox.size).toBe(1);
  });

  it("watches once with a watch that calls its listener at once, returns no function, or throws", async () => {
    const shelf = memoryStorage();
    await shelf.put({ id: "x", nsp: "/", event: "x", args: [], bytes: 5, enqueuedAt: 0 });
    let watches = 0;
    // An observable's subscribe: it calls back with the current state before returning.
    const eager = new Outbox({
      storage: over(shelf, {
        watch(listener: () => void) {
          watches++;
          listener();
          return () => {};
        },
      }),
    });
    await eager.restore("/");
    await vi.waitFor(() => expect(events(eager.entries())).toEqual(["x"]));
    expect(watches).toBe(1);

    // Returns itself for chaining, not a stop function.
    const chained = new Outbox({ storage: over(memoryStorage(), { watch: () => ({}) }) });
    await chained.restore("/");
    expect(() => chained.stopRestoring("/")).not.toThrow();

    const throwing = new Outbox({
      storage: over(shelf, {
        watch() {
          throw new Error("no watching here");
        },
      }),
    });
    const errors: string[] = [];
    throwing.on("error", (error) => errors.push(error.message));
    // Still loads what is stored now.
    expect(events(await throwing.restore("/"))).toEqual(["x"]);
    expect(errors).toEqual(["no watching here"]);
  });

  it("says so when load() resolves with no array, or with records that have no id", async () => {
    for (const [loaded, message] of [
      [undefined, /^Wireline: outbox storage load\(\) gave undefined, not an array of entries$/],
      [{ entries: [] }, /^Wireline: outbox storage load\(\) gave object, not an array/],
      [
        [null, { id: 7, nsp: "/", event: "e", args: [] }, { id: "a", nsp: "/" }],
        /^Wireline: deleted 1 stored outbox record\(s\) that are no packet, skipped 2 without an id$/,
      ],
    ] as const) {
      const outbox = new Outbox({ storage: over(memoryStorage(), { load: async () => loaded }) });
      const errors: string[] = [];
      outbox.on("error", (error) => errors.push(error.message));
      expect(await outbox.restore()).toEqual([]);
      expect(errors).toEqual([expect.stringMatching(message)]);
    }
  });

  it("restores once a packet the storage returns twice", async () => {
    const record = { id: "twice", nsp: "/", event: "e", args: [1], bytes: 7, enqueuedAt: 0 };
    const outbox = new Outbox({
      storage: over(memoryStorage(), { load: async () => [record, { ...record }] }),
    });
    expect(events(await outbox.restore())).toEqual(["e"]);
    expect(outbox.size).toBe(1);
  });

  it("restores a packet whose event name is a number, as socket.io sends it", async () => {
    const storage = memoryStorage();
    new Outbox({ storage }).enqueue(packet(7 as never, { args: ["data"] }));
    const next = new Outbox({ storage });
    const errors: Error[] = [];
    next.on("error", (error) => errors.push(error));
    expect((await next.restore()).map((entry) => [entry.event, entry.args])).toEqual([
      [7, ["data"]],
    ]);
    expect(errors).toEqual([]);
  });

  it("refuses defineOutboxStorage without its methods, naming them", () => {
    expect(() => defineOutboxStorage({ load: async () => [] } as never)).toThrow(
      new TypeError(
        "Wireline: defineOutboxStorage() needs functions load, put, delete, clear (watch optional); not a function: put, delete, clear",
      ),
    );
    const methods = { load: async () => [], put() {}, delete() {}, clear() {} };
    expect(() => defineOutboxStorage({ ...methods, watch: true } as never)).toThrow(
      /; not a function: watch$/,
    );
    expect(() => defineOutboxStorage(null as never)).toThrow(
      /not a function: load, put, delete, clear$/,
    );
  });
});

describe("estimating a packet's bytes", () => {
  it("counts UTF-8 bytes of the JSON, including multi-byte and astral characters", () => {
    expect(estimateBytes(["a"])).toBe(5);
    expect(estimateBytes(["é"])).toBe(6);
    expect(estimateBytes(["€"])).toBe(7);
    expect(estimateBytes(["😀"])).toBe(8);
  });

  it("counts binary attachments by their byte length, not as JSON arrays", () => {
    const placeholder = estimateBytes([{ _placeholder: true, num: 0 }]);
    expect(estimateBytes([new ArrayBuffer(1000)])).toBe(placeholder + 1000);
    expect(estimateBytes([new Uint16Array(10)])).toBe(placeholder + 20);
    expect(estimateBytes([{ file: Buffer.alloc(64) }])).toBe(
      estimateBytes([{ file: { _placeholder: true, num: 0 } }]) + 64,
    );
    expect(estimateBytes([new Blob(["hello"])])).toBe(placeholder + 5);
  });

  it("counts shared memory and binary a toJSON() returns by byte length, as they are sent", () => {
    const placeholder = estimateBytes([{ _placeholder: true, num: 0 }]);
    expect(estimateBytes([new SharedArrayBuffer(100)])).toBe(placeholder + 100);
    expect(estimateBytes([{ toJSON: () => new Uint8Array(100) }])).toBe(placeholder + 100);
  });

  it("never throws on values JSON cannot encode", () => {
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(estimateBytes([cycle])).toBe(0);
    expect(estimateBytes([10n])).toBe(0);
  });
});

describe("the outbox outside a browser", () => {
  it("touches no browser global at import", async () => {
    const touched: string[] = [];
    const saved = Object.getOwnPropertyDescriptor(globalThis, "indexedDB");
    Object.defineProperty(globalThis, "indexedDB", {
      configurable: true,
      get() {
        touched.push("indexedDB");
        return undefined;
      },
    });
    try {
      vi.resetModules();
      const module = await import("../outbox/index.ts");
      module.indexedDbStorage();
      expect(touched).toEqual([]);
    } finally {
      if (saved) Object.defineProperty(globalThis, "indexedDB", saved);
      else delete (globalThis as { indexedDB?: unknown }).indexedDB;
    }
  });

  it("reports that IndexedDB is missing and keeps queueing in memory", async () => {
    const { indexedDbStorage } = await import("../outbox/index.ts");
    const outbox = new Outbox({ storage: indexedDbStorage() });
    const errors: string[] = [];
    outbox.on("error", (error) => errors.push(error.message));
    outbox.enqueue(packet("a"));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatch(/^Wireline: IndexedDB is not available here/);
    expect(outbox.size).toBe(1);
  });
});
