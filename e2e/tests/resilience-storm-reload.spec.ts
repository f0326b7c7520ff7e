// A persisted outbox through a storm of faults and a page reload, in real Chromium. The README
// promises that with `outbox: { storage: indexedDbStorage(...) }` delivery is at least once
// across pages: an emit made with an ack stays stored until its ack arrives or gives up, and the
// next page with the same storage name sends what the previous one left. The outbox suite
// (resilience-outbox.spec.ts) proves it for a quiet reload while the server is away, and the
// storm suite (resilience-storm.spec.ts) proves delivery through faults within one page; this
// spec joins the two, because the dangerous moment is a page closed at a random point of a
// storm: some emits queued and stored, some in flight on a connection that may be dead, some
// resent under `retries`. While the mock server's seeded storm drops, restarts, black-holes and
// refuses, page 1 emits a numbered sequence and is reloaded midway; page 2, created with the same
// storage, restores what page 1 left and emits the rest. Every number must reach the server at
// least once and be first seen in emit order, page 2's own emits must each be acknowledged exactly once,
// and once everything is acknowledged nothing may be left in IndexedDB for a later page to send.
import { expect, type JSHandle, type Page, test } from "@playwright/test";
import { STORM_FAULTS } from "@wireline/mock-server";
import {
  type FaultyServer,
  openFixture,
  startFaultyServer,
  storedFirstArgs,
  type WirelineSocket,
} from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

/** The sequence emitted across both pages, one emit every {@link EMIT_EVERY_MS}. */
const EMITS = 150;
const EMIT_EVERY_MS = 8;
/** Page 1 stops emitting once it has emitted this seq, and is reloaded 50 ms later. */
const RELOAD_AFTER = 80;
/** The seeds of the storm, one test each. */
const SEEDS = [1, 2];
/** Where page 1 records, synchronously after each step, what became of its emits. */
const PAGE1_KEY = "wireline-storm-reload:page1";

/** What page 1 leaves in localStorage: its last emitted seq and, for diagnosis, what happened. */
interface Page1Record {
  /** The last seq emitted, -1 before the first. */
  last: number;
  /** Seqs that waited in the outbox (so were stored) at least once. */
  queued: number[];
  /** Seqs whose ack page 1 got, with whether it was an error. */
  acked: Array<[number, boolean]>;
  /** The connection status when the record was last saved. */
  status: string;
}

/** Page 2's run: its socket, the seqs it emits and every reply each one's ack got. */
interface Page2Run {
  socket: WirelineSocket;
  /** The first seq page 2 emits (page 1's last plus one). */
  from: number;
  /** Page 2 has emitted its whole share of the sequence. */
  done: boolean;
  /** Seq to the argument lists its ack was called with. */
  acks: Record<number, unknown[][]>;
}

const CLIENT = {
  forceNew: true,
  retries: 1_000,
  ackTimeout: 400,
  reconnectionDelay: 20,
  reconnectionDelayMax: 150,
};

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}

/** The entries the page's IndexedDB storage holds now, as seqs (what a next page would resend). */
async function storedSeqs(page: Page, storageName: string): Promise<number[]> {
  return (await storedFirstArgs(page, storageName)) as number[];
}

test.describe("a persisted outbox through a storm and a page reload in Chromium", () => {
  const fixture = useStaticFixture();

  /** Run after each test, last registered first, even when it failed or timed out. */
  const cleanups: Array<() => Promise<void> | void> = [];
  test.afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  for (const seed of SEEDS) {
    test(`every emit of a page reloaded mid-storm reaches the server, the rest through the next page (seed ${seed})`, async ({
      page,
    }, testInfo) => {
      test.setTimeout(60_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(`${error.name}: ${error.message}`));

      /** Every save the server got, in arrival order, retried and restored copies included. */
      const arrivals: number[] = [];
      const server: FaultyServer = await startFaultyServer(
        { pingInterval: 150, pingTimeout: 150, cors: { origin: "*" } },
        (io) => {
          io.on("connection", (socket) => {
            socket.on("save", (seq: number, ack: (reply: number) => void) => {
              arrivals.push(seq);
              ack(seq);
            });
          });
        },
      );
      cleanups.push(() => server.close());
      const storageName = `wireline-storm-reload:${seed}:${testInfo.testId}:${testInfo.repeatEachIndex}`;

      /** What both pages are given: the same client, storage and sequence. */
      const pageArgs = {
        url: server.url,
        client: CLIENT,
        storageName,
        key: PAGE1_KEY,
        emits: EMITS,
        every: EMIT_EVERY_MS,
      };
      // Page 1: emits the sequence until the reload cuts it off, recording its progress.
      await openFixture(page, fixture);
      await page.evaluate(({ url, client, storageName, key, emits, every }) => {
        const { io, indexedDbStorage } = window.wireline;
        const socket = io(url, {
          ...client,
          outbox: { storage: indexedDbStorage({ name: storageName }) },
        });
        const record: Page1Record = { last: -1, queued: [], acked: [], status: "idle" };
        const save = () => {
          record.status = socket.io.getSnapshot().status;
          localStorage.setItem(key, JSON.stringify(record));
        };
        socket.outbox.on("enqueue", (entry) => {
          const seq = entry.args[0] as number;
          if (!record.queued.includes(seq)) record.queued.push(seq);
          save();
        });
        // The page stops emitting a moment before it goes away (see the reload below).
        let stopped = false;
        (window as unknown as { stopEmitting: () => void }).stopEmitting = () => {
          stopped = true;
        };
        void (async () => {
          for (let seq = 0; seq < emits && !stopped; seq++) {
            socket.emit("save", seq, (error: unknown) => {
              record.acked.push([seq, error !== null]);
              save();
            });
            record.last = seq;
            save();
            await new Promise((resolve) => setTimeout(resolve, every));
          }
        })();
      }, pageArgs);

      const storm = server.io.faults.storm({ seed, faults: STORM_FAULTS });
      cleanups.push(() => storm.stop());
      const context = () => `seed ${seed}, storm: ${storm.schedule.join(", ")}`;

      await page.waitForFunction(
        ({ key, at }) => {
          const saved = localStorage.getItem(key);
          return saved !== null && (JSON.parse(saved) as Page1Record).last >= at;
        },
        { key: PAGE1_KEY, at: RELOAD_AFTER },
      );
      // Storage writes are not awaited (emits stay synchronous) and take a few milliseconds: what
      // a page emits in the very moment it unloads may not be stored yet. A page closed 50 ms
      // after its last emit has stored everything.
      await page.evaluate(() => (window as unknown as { stopEmitting: () => void }).stopEmitting());
      await page.waitForTimeout(50);
      await page.reload();
      await page.locator("#ready").getByText("ready").waitFor();
      const faultsBeforeReload = storm.schedule.length;

      // Page 2: the same client and storage, as an app creates it on every load; it restores
      // and sends what page 1 left, and emits the rest of the sequence.
      const run: JSHandle<Page2Run> = await page.evaluateHandle(
        ({ url, client, storageName, key, emits, every }) => {
          const { io, indexedDbStorage } = window.wireline;
          const socket = io(url, {
            ...client,
            outbox: { storage: indexedDbStorage({ name: storageName }) },
          });
          const page1 = JSON.parse(localStorage.getItem(key) ?? "null") as Page1Record | null;
          const state: Page2Run = {
            socket,
            from: (page1?.last ?? -1) + 1,
            done: false,
            acks: {},
          };
          void (async () => {
            for (let seq = state.from; seq < emits; seq++) {
              socket.emit("save", seq, (...reply: unknown[]) => {
                state.acks[seq] = [...(state.acks[seq] ?? []), reply];
              });
              await new Promise((resolve) => setTimeout(resolve, every));
            }
            state.done = true;
          })();
          return state;
        },
        pageArgs,
      );
      cleanups.push(async () => {
        // The page may already be gone (a timeout): then so is its socket.
        await run.evaluate(({ socket }) => socket.disconnect()).catch(() => undefined);
      });
      const from = await run.evaluate(({ from }) => from);
      const page1 = await page.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "null") as Page1Record | null,
        PAGE1_KEY,
      );
      expect(page1, `page 1 recorded its progress (${context()})`).not.toBeNull();
      expect(from, `page 1 was reloaded midway (${context()})`).toBeGreaterThan(RELOAD_AFTER);
      expect(from, `page 1 was reloaded midway (${context()})`).toBeLessThan(EMITS);

      await page.waitForFunction((run) => run.done, run, { timeout: 10_000 });
      // Held faults lift; black-holed connections stay dead for the heartbeat to notice.
      storm.stop();

      /** What page 1 knew of a seq the server never got, for the failure message. */
      const fate = (seq: number) => {
        const acked = page1!.acked.find(([acked]) => acked === seq);
        const where = seq >= from ? "page 2's" : "page 1's";
        const queued = page1!.queued.includes(seq) ? "queued (stored)" : "never queued (sent live)";
        return `${seq} (${where}${seq < from ? `, ${queued}, ${acked ? "acked" : "not acked"} before the reload` : ""})`;
      };
      // Each invariant is checked even when one before it failed: a failing run tells them all.
      const invariant = expect.configure({ soft: true });
      const everySeq = range(0, EMITS);
      const missing = () => everySeq.filter((seq) => !arrivals.includes(seq));
      // Waited for, then asserted with what is still missing (a poll's message is fixed upfront).
      await expect
        .poll(missing, { timeout: 20_000 })
        .toEqual([])
        .catch(() => undefined);
      invariant(
        missing(),
        `every seq arrived at least once (${context()}; page 1 emitted 0..${from - 1}, was ${page1!.status} when last recorded, queued ${JSON.stringify(page1!.queued)}); missing: ${missing().map(fate).join(", ")}`,
      ).toEqual([]);

      // Page 2's own emits: each acknowledged exactly once, with its own reply and no error.
      const ownSeqs = range(from, EMITS);
      await invariant
        .poll(() => run.evaluate(({ acks }) => Object.keys(acks).length), {
          timeout: 20_000,
          message: `all of page 2's emits acked (${context()})`,
        })
        .toBe(ownSeqs.length);
      const acks = await run.evaluate(({ acks }) => acks);
      for (const seq of ownSeqs)
        invariant(acks[seq], `page 2's ack of seq ${seq} (${context()})`).toEqual([[null, seq]]);
      // First seen in the order emitted, across the reload: page 2 sends what page 1 left
      // before anything of its own (its emits wait while the stored packets load).
      const firstArrivals = arrivals.filter((seq, index) => arrivals.indexOf(seq) === index);
      invariant(firstArrivals, `every seq first seen in emit order (${context()})`).toEqual(
        everySeq,
      );

      // Nothing is left for a later page to send: the outbox is empty and so is IndexedDB.
      await invariant
        .poll(() => run.evaluate(({ socket }) => socket.outbox.size), {
          message: `page 2's outbox empty (${context()})`,
        })
        .toBe(0);
      await invariant
        .poll(() => storedSeqs(page, storageName), {
          timeout: 10_000,
          message: `nothing left in IndexedDB for a next page (${context()}; page 1 emitted 0..${from - 1})`,
        })
        .toEqual([]);
      invariant(pageErrors, `no page errors (${context()})`).toEqual([]);

      const duplicates = arrivals.length - firstArrivals.length;
      console.log(
        `seed ${seed}: page 1 emitted 0..${from - 1} (${page1!.queued.length} queued, ${page1!.acked.length} acked, ${page1!.status} before the reload), page 2 ${from}..${EMITS - 1}; ${arrivals.length} saves, ${duplicates} duplicates, ${missing().length} missing; ${storm.schedule.length} faults (${faultsBeforeReload} before the reload): ${storm.schedule.join(", ")}`,
      );
      // The schedule did storm through the reload, not one lucky quiet run.
      expect(storm.schedule.length, context()).toBeGreaterThanOrEqual(4);
    });
  }
});
