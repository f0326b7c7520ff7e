import { type BrowserContext, expect, type JSHandle, type Page, test } from "@playwright/test";
import type { OverflowPolicy } from "@wireline/sdk";
import {
  connectWireline,
  openFixture,
  type Recorded,
  storedFirstArgs,
  useSeqServer,
  type WirelineSocket,
} from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

const EVENTS = 500;
/** The emit after which the page has the server drop every transport. */
const DROP_AT = 150;
const FAST_BACKOFF = { reconnectionDelay: 100, reconnectionDelayMax: 500 };

test.describe("the outbox in a real page", () => {
  const fixture = useStaticFixture();

  const seq = useSeqServer();

  test("500 acked emits while the server drops every transport arrive in order and every ack resolves", async ({
    page,
  }) => {
    await openFixture(page, fixture);
    const wireline = await connectWireline(page, seq.server.url, {
      ...FAST_BACKOFF,
      retries: 3,
      ackTimeout: 5000,
    });
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);

    const result = await wireline.evaluate(
      async ({ socket }, { events, dropAt, faults }) => {
        let queued = 0;
        socket.outbox.on("enqueue", () => queued++);
        const acks: Array<Promise<unknown>> = [];
        for (let index = 0; index < events; index++) {
          acks.push(socket.emitWithAck("seq", index));
          // The page itself asks the server, over its HTTP fault endpoint, to drop every
          // transport, and goes on emitting before it has noticed.
          if (index === dropAt)
            await fetch(faults, {
              method: "POST",
              body: JSON.stringify({ action: "dropTransports" }),
            });
          // A few at a time, as an app would: the drop lands while emits continue.
          if (index % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 4));
        }
        const settled = await Promise.allSettled(acks);
        return {
          queued,
          replies: settled.map((outcome) =>
            outcome.status === "fulfilled" ? outcome.value : `rejected: ${String(outcome.reason)}`,
          ),
        };
      },
      { events: EVENTS, dropAt: DROP_AT, faults: `${seq.server.url}/socket.io/__faults` },
    );

    const order = Array.from({ length: EVENTS }, (_, index) => index);
    // The connection really dropped mid-stream, and emits waited in the outbox meanwhile.
    expect(await wireline.evaluate(({ events }) => events.length)).toBe(3);
    expect(result.queued).toBeGreaterThan(0);
    // Must: every ack resolved with the server's reply to that very emit.
    expect(result.replies).toEqual(order);
    // Must: each event arrived, in emit order. Emits are resent with `retries` when their ack
    // was lost, so a server can see one twice only if it was in flight when the drop came
    // (emitted before it); the server then drops the repeat (here: by the index it carries).
    const firstArrivals = seq.arrivals.filter(
      (index, position) => seq.arrivals.indexOf(index) === position,
    );
    expect(firstArrivals).toEqual(order);
    const duplicates = seq.arrivals.length - firstArrivals.length;
    console.log(
      `${EVENTS} acked emits across a drop: ${result.queued} waited in the outbox, ${duplicates} arrived twice`,
    );
    const repeated = seq.arrivals.filter(
      (index, position) => seq.arrivals.indexOf(index) !== position,
    );
    expect(repeated.filter((index) => index > DROP_AT)).toEqual([]);
  });

  /** Emits `count` acked `seq` events while the page is offline; settles once online. */
  async function emitOffline(
    wireline: JSHandle<Recorded<WirelineSocket>>,
    count: number,
  ): Promise<JSHandle<{ settled: Promise<Array<number | string>> }>> {
    return wireline.evaluateHandle(({ socket }, count) => {
      const acks = Array.from({ length: count }, (_, index) =>
        socket.emitWithAck("seq", index).then(
          (reply) => reply as number,
          (error: { code?: string }) => `error:${error.code}`,
        ),
      );
      return { settled: Promise.all(acks) };
    }, count);
  }

  /** Goes online and waits until everything flushed has reached the server. */
  async function onlineAndFlushed(
    context: BrowserContext,
    wireline: JSHandle<Recorded<WirelineSocket>>,
  ): Promise<void> {
    await context.setOffline(false);
    // A live emit after the flush: FIFO, so its ack comes after every flushed one arrived.
    await expect
      .poll(() => wireline.evaluate(({ socket }) => socket.io.getSnapshot().status))
      .toBe("connected");
    await wireline.evaluate(({ socket }) => socket.emitWithAck("seq", -1));
    seq.arrivals.splice(seq.arrivals.indexOf(-1), 1);
  }

  const CAP = 100;
  const OVER = 150;
  const expectations: Record<OverflowPolicy, { kept: number[]; lostCode: string }> = {
    "drop-oldest": { kept: range(OVER - CAP, OVER), lostCode: "overflow" },
    "drop-newest": { kept: range(0, CAP), lostCode: "overflow" },
    reject: { kept: range(0, CAP), lostCode: "rejected" },
  };

  for (const [overflow, { kept, lostCode }] of Object.entries(expectations)) {
    test(`a cap of ${CAP} with "${overflow}": exactly the kept packets arrive, the others' acks fail`, async ({
      page,
      context,
    }) => {
      await openFixture(page, fixture);
      const wireline = await connectWireline(page, seq.server.url, {
        outbox: { maxPackets: CAP, overflow },
      });
      await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
      await context.setOffline(true);
      await expect
        .poll(() => wireline.evaluate(({ socket }) => socket.io.getSnapshot().status))
        .toBe("offline");

      const emitted = await emitOffline(wireline, OVER);
      expect(await wireline.evaluate(({ socket }) => socket.outbox.size)).toBe(CAP);
      await onlineAndFlushed(context, wireline);
      const replies = await emitted.evaluate((acks) => acks.settled);

      // Must: the server got exactly the kept packets, in order, once each.
      expect(seq.arrivals).toEqual(kept);
      // Must: kept packets' acks resolved; every other one failed with the policy's code.
      const keptSet = new Set(kept);
      expect(replies).toEqual(
        range(0, OVER).map((index) => (keptSet.has(index) ? index : `error:${lostCode}`)),
      );
    });
  }

  test("a packet past its ttl is never delivered and its ack fails as expired", async ({
    page,
    context,
  }) => {
    await openFixture(page, fixture);
    const wireline = await connectWireline(page, seq.server.url, { outbox: { ttl: 300 } });
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
    await context.setOffline(true);
    await expect
      .poll(() => wireline.evaluate(({ socket }) => socket.io.getSnapshot().status))
      .toBe("offline");

    const emitted = await emitOffline(wireline, 5);
    const expired = await wireline.evaluateHandle(({ socket }) => {
      const codes: string[] = [];
      socket.outbox.on("expire", (_entry, error) => codes.push(error.code));
      return codes;
    });
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.outbox.size)).toBe(0);
    await onlineAndFlushed(context, wireline);

    expect(seq.arrivals).toEqual([]);
    expect(await emitted.evaluate((acks) => acks.settled)).toEqual(
      Array.from({ length: 5 }, () => "error:expired"),
    );
    expect(await expired.evaluate((codes) => codes.slice())).toEqual(
      Array.from({ length: 5 }, () => "expired"),
    );
  });
  test("an IndexedDB outbox: emitted offline, kept across a reload, delivered once when the server is back", async ({
    page,
    context,
  }) => {
    const storageName = `wireline-outbox:${seq.server.url}/`;
    /** A socket whose outbox lives in IndexedDB, as an app would create it on every load. */
    const connectPersisted = () =>
      page.evaluateHandle(
        ({ url, storageName }) => {
          const { io, indexedDbStorage } = window.wireline;
          const socket = io(url, {
            forceNew: true,
            transports: ["websocket"],
            reconnectionDelay: 100,
            reconnectionDelayMax: 500,
            outbox: { storage: indexedDbStorage({ name: storageName }) },
          });
          return { socket, events: [] as string[] };
        },
        { url: seq.server.url, storageName },
      );
    const storedCount = async () => (await storedFirstArgs(page, storageName)).length;

    await openFixture(page, fixture);
    const first = await connectPersisted();
    await expect.poll(() => first.evaluate(({ socket }) => socket.connected)).toBe(true);
    // The server goes away (it refuses handshakes), then so does the network.
    seq.server.io.faults.rejectHandshakes(503);
    seq.server.io.faults.dropTransports();
    await expect.poll(() => first.evaluate(({ socket }) => socket.connected)).toBe(false);
    await context.setOffline(true);
    await expect
      .poll(() => first.evaluate(({ socket }) => socket.io.getSnapshot().status))
      .toBe("offline");
    await first.evaluate(({ socket }) => {
      for (let index = 0; index < 10; index++) socket.emit("seq", index);
    });
    await expect.poll(storedCount).toBe(10);
    // Back online (a page cannot reload offline), but the server still refuses: nothing is
    // sent before the reload.
    await context.setOffline(false);
    await expect
      .poll(() => first.evaluate(({ socket }) => socket.io.getSnapshot().attempt))
      .toBeGreaterThan(0);
    expect(seq.arrivals).toEqual([]);
    expect(await storedCount()).toBe(10);

    await page.reload();
    await page.locator("#ready").getByText("ready").waitFor();
    const second = await connectPersisted();
    await expect.poll(() => second.evaluate(({ socket }) => socket.outbox.size)).toBe(10);
    seq.server.io.faults.clear();
    await expect.poll(() => second.evaluate(({ socket }) => socket.connected)).toBe(true);
    // Restored packets go out before `connect`: a live emit now arrives after all of them.
    await second.evaluate(({ socket }) => socket.emitWithAck("seq", -1));
    expect(seq.arrivals).toEqual([...range(0, 10), -1]);
    await expect.poll(storedCount).toBe(0);

    // A third load finds nothing left to send.
    await page.reload();
    await page.locator("#ready").getByText("ready").waitFor();
    const third = await connectPersisted();
    await expect.poll(() => third.evaluate(({ socket }) => socket.connected)).toBe(true);
    await third.evaluate(({ socket }) => socket.emitWithAck("seq", -2));
    // Must: each packet delivered exactly once across the reloads.
    expect(seq.arrivals).toEqual([...range(0, 10), -1, -2]);
  });

  /** A socket to `url` whose outbox lives in database `storageName`, as each tab creates it. */
  const connectPersisted = (tab: Page, url: string, storageName: string) =>
    tab.evaluateHandle(
      ({ url, storageName }) =>
        window.wireline.io(url, {
          forceNew: true,
          transports: ["websocket"],
          outbox: { storage: window.wireline.indexedDbStorage({ name: storageName }) },
        }),
      { url, storageName },
    );

  /**
   * Another tab whose server cannot be reached (port 9 is closed): it emits "seq" 0, 1 and 2,
   * which wait in its outbox, stored in `storageName`.
   */
  const openTabWithStoredEmits = async (context: BrowserContext, storageName: string) => {
    const tab = await context.newPage();
    await openFixture(tab, fixture, "?tab=closing");
    const unreachable = await connectPersisted(tab, "http://127.0.0.1:9", storageName);
    await unreachable.evaluate((socket) => {
      for (let index = 0; index < 3; index++) socket.emit("seq", index);
    });
    return tab;
  };

  test("an IndexedDB outbox: what a closed tab queued is sent at once by a tab still open", async ({
    page,
    context,
  }) => {
    const storageName = `wireline-outbox-tabs:${seq.server.url}/`;
    const storedCount = async () => (await storedFirstArgs(page, storageName)).length;
    await openFixture(page, fixture);
    const openTab = await connectPersisted(page, seq.server.url, storageName);
    await expect.poll(() => openTab.evaluate((socket) => socket.connected)).toBe(true);

    const closingTab = await openTabWithStoredEmits(context, storageName);
    await expect.poll(storedCount).toBe(3);
    await page.waitForTimeout(300);
    // Must: an open tab does not send another open tab's packets.
    expect(seq.arrivals).toEqual([]);

    await closingTab.close();
    // Must: the open tab, connected all along, sends them now, once.
    await expect.poll(() => seq.arrivals).toEqual([0, 1, 2]);
    await expect.poll(storedCount).toBe(0);
    await openTab.evaluate((socket) => socket.emitWithAck("seq", 3));
    expect(seq.arrivals).toEqual([0, 1, 2, 3]);
  });

  test("an IndexedDB outbox: a socket the app disconnected takes no closed tab's packets, and sends them once connected again", async ({
    page,
    context,
  }) => {
    const storageName = `wireline-outbox-stopped:${seq.server.url}/`;
    const storedCount = async () => (await storedFirstArgs(page, storageName)).length;
    await openFixture(page, fixture);
    const stopped = await connectPersisted(page, seq.server.url, storageName);
    await expect.poll(() => stopped.evaluate((socket) => socket.connected)).toBe(true);
    await stopped.evaluate((socket) => socket.disconnect());

    const closingTab = await openTabWithStoredEmits(context, storageName);
    await expect.poll(storedCount).toBe(3);
    await closingTab.close();
    // Longer than the 2 s between two looks at the other tabs: a socket no one connects would
    // keep them unsent, so they stay in storage for whoever sends next.
    await page.waitForTimeout(3000);
    expect(await stopped.evaluate((socket) => socket.outbox.size)).toBe(0);
    expect(await storedCount()).toBe(3);

    await stopped.evaluate((socket) => socket.connect());
    // Must: connected again, it loads and sends them, once.
    await expect.poll(() => seq.arrivals).toEqual([0, 1, 2]);
    await expect.poll(storedCount).toBe(0);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}
