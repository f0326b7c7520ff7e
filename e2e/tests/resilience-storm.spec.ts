// Delivery through a storm of faults, in a real page. The Node suite
// (sdk/src/__tests__/delivery-under-faults.test.ts) proves the README's promises against the
// mock server's seeded fault storm; this is its Chromium counterpart, because a browser has its
// own WebSocket, fetch and timers, and they fail differently. While the page emits a numbered
// sequence on two namespaces and the server streams numbered ticks, drops, restarts, black
// holes, refused and slowed handshakes strike at random: every emit must still be acknowledged
// exactly once and seen first in order, and the stream must never repeat, go back, or skip
// after a recovered reconnection.
import { type BrowserContext, expect, type JSHandle, test } from "@playwright/test";
import { STORM_FAULTS } from "@wireline/mock-server";
import type { IoOptions } from "@wireline/sdk";
import {
  type FaultyServer,
  openFixture,
  startFaultyServer,
  type WirelineSocket,
} from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

/** Emits per namespace, one every {@link EMIT_EVERY_MS}: about 1.6 s of faults. */
const EMITS = 200;
const EMIT_EVERY_MS = 8;
const TICK_EVERY_MS = 10;
/** Namespaces multiplexed on the one connection, each emitting the sequence. */
const NAMESPACES = ["/", "/chat"];
const DELIVERY = { retries: 1_000, ackTimeout: 400 };

/** What the page keeps of a run; `acks` maps a namespace to each seq's replies. */
interface StormPage {
  socket: WirelineSocket;
  sockets: WirelineSocket[];
  ticks: number[];
  /** Ticks that did not follow on from the one before, though the connection was recovered. */
  gapsAfterRecovery: Array<[number, number]>;
  /** Ticks whose binary copy did not say the same number. */
  mismatchedTicks: number[];
  /** Connects of the main namespace: [all, recovered]. */
  connects: [number, number];
  acks: Record<string, Record<number, unknown[][]>>;
}

/** A run's name, transports, and whether the browser also goes offline and back now and then. */
const SETTINGS: ReadonlyArray<[string, IoOptions["transports"], boolean]> = [
  ["WebSocket only", ["websocket"], false],
  ["polling only", ["polling"], false],
  ["the default transports (upgrades, fallbacks)", undefined, false],
  ["the default transports, the browser going offline and back", undefined, true],
];

/** Offline for 150 ms every 400 ms or so while `running()`; online again at the end. */
async function flapNetwork(context: BrowserContext, running: () => boolean): Promise<number> {
  let flaps = 0;
  while (running()) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (!running()) break;
    await context.setOffline(true);
    flaps++;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await context.setOffline(false);
  }
  return flaps;
}

test.describe("delivery through a storm of faults in Chromium", () => {
  const fixture = useStaticFixture();

  /** Run after each test, last registered first, even when it failed or timed out. */
  const cleanups: Array<() => Promise<void> | void> = [];
  test.afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  SETTINGS.forEach(([name, transports, flapping], index) => {
    const seed = index + 1;
    test(`${name} (seed ${seed})`, async ({ page, context: browserContext }) => {
      /** Each namespace's saves, in the order the server first saw them. */
      const firstArrivals = new Map<string, number[]>(NAMESPACES.map((nsp) => [nsp, []]));
      /** Every save the server got, retried copies included. */
      let saves = 0;
      const server: FaultyServer = await startFaultyServer(
        {
          pingInterval: 150,
          pingTimeout: 150,
          connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
          cors: { origin: "*" },
        },
        (io) => {
          for (const nsp of NAMESPACES) {
            const arrivals = firstArrivals.get(nsp)!;
            io.of(nsp).on("connection", (socket) => {
              socket.on("save", (seq: number, copy: Buffer, ack: (reply: number) => void) => {
                // An id-checking handler: a retried copy is acknowledged again, not counted again.
                saves++;
                if (!arrivals.includes(seq)) arrivals.push(seq);
                // The binary attachment came whole with its own packet: the reply says which.
                ack(copy[0]! + copy[1]! * 256 === seq ? seq : -1);
              });
            });
          }
        },
      );
      cleanups.push(() => server.close());
      let tick = 0;
      // Each tick with a binary copy of its number, for the page to check.
      const ticker = setInterval(() => {
        server.io.emit("tick", tick, Buffer.from([tick & 0xff, (tick >> 8) & 0xff]));
        tick++;
      }, TICK_EVERY_MS);
      cleanups.push(() => clearInterval(ticker));

      await openFixture(page, fixture);
      const run: JSHandle<StormPage> = await page.evaluateHandle(
        ({ url, transports, delivery }) => {
          const socket = window.wireline.io(url, {
            forceNew: true,
            transports,
            ...delivery,
            reconnectionDelay: 20,
            reconnectionDelayMax: 150,
          });
          const state: StormPage = {
            socket,
            sockets: [socket, socket.io.socket("/chat", delivery)],
            ticks: [],
            gapsAfterRecovery: [],
            mismatchedTicks: [],
            connects: [0, 0],
            acks: { "/": {}, "/chat": {} },
          };
          /** The last connect was recovered and no tick came since: the next must follow on. */
          let resuming = false;
          socket.on("connect", () => {
            resuming = socket.recovered;
            state.connects = [state.connects[0] + 1, state.connects[1] + (resuming ? 1 : 0)];
          });
          socket.on("tick", (value: number, copy: ArrayBuffer) => {
            const bytes = new Uint8Array(copy);
            if (bytes[0]! + bytes[1]! * 256 !== value) state.mismatchedTicks.push(value);
            const last = state.ticks[state.ticks.length - 1];
            if (resuming && last !== undefined && value !== last + 1)
              state.gapsAfterRecovery.push([last, value]);
            resuming = false;
            state.ticks.push(value);
          });
          return state;
        },
        { url: server.url, transports, delivery: DELIVERY },
      );
      cleanups.push(async () => {
        // The page may already be gone (a timeout): then so are its sockets.
        await run
          .evaluate(({ sockets }) => {
            for (const emitter of sockets) emitter.disconnect();
          })
          .catch(() => undefined);
      });

      // Every fault there is, but refused WebSockets for a client that has no other transport.
      const storm = server.io.faults.storm({
        seed,
        faults: STORM_FAULTS.filter(
          (fault) => fault !== "refuseWebSocket" || transports?.length !== 1,
        ),
      });
      cleanups.push(() => storm.stop());
      let emitting = true;
      const flapped = flapping ? flapNetwork(browserContext, () => emitting) : Promise.resolve(0);
      cleanups.push(async () => {
        emitting = false;
        await flapped;
      });

      await run.evaluate(
        async ({ sockets, acks }, { emits, every }) => {
          for (let seq = 0; seq < emits; seq++) {
            for (const emitter of sockets) {
              const replies = acks[emitter.nsp]!;
              const copy = new Uint8Array([seq & 0xff, (seq >> 8) & 0xff]);
              emitter.emit("save", seq, copy, (...reply: unknown[]) => {
                replies[seq] = [...(replies[seq] ?? []), reply];
              });
            }
            await new Promise((resolve) => setTimeout(resolve, every));
          }
        },
        { emits: EMITS, every: EMIT_EVERY_MS },
      );
      emitting = false;
      const flaps = await flapped;
      // Held faults lift; black-holed connections stay dead for the heartbeat to notice.
      storm.stop();

      const context = `seed ${seed}, faults: ${storm.schedule.join(", ")}${flapping ? `, offline ${flaps} times` : ""}`;
      const everySeq = Array.from({ length: EMITS }, (_, seq) => seq);
      for (const nsp of NAMESPACES) {
        await expect
          .poll(() => run.evaluate(({ acks }, nsp) => Object.keys(acks[nsp]!).length, nsp), {
            timeout: 20_000,
            message: `all acked on ${nsp} (${context})`,
          })
          .toBe(EMITS);
      }
      const seen = await run.evaluate(
        ({ ticks, gapsAfterRecovery, mismatchedTicks, acks, connects }) => ({
          mismatchedTicks,
          acks,
          ticks,
          gapsAfterRecovery,
          connects,
        }),
      );
      for (const nsp of NAMESPACES) {
        const replies = seen.acks[nsp]!;
        // Every emit acknowledged exactly once, with its own reply and no error.
        for (const seq of everySeq)
          expect(replies[seq], `${nsp} seq ${seq} (${context})`).toEqual([[null, seq]]);
        // At least once, and first seen in the order emitted.
        expect(firstArrivals.get(nsp), `${nsp} (${context})`).toEqual(everySeq);
      }
      // The stream never repeats or goes back; a recovered connection resumes where it stopped.
      const { ticks } = seen;
      for (let index = 1; index < ticks.length; index++)
        expect(ticks[index]!, `tick ${index} (${context})`).toBeGreaterThan(ticks[index - 1]!);
      expect(seen.gapsAfterRecovery, context).toEqual([]);
      expect(seen.mismatchedTicks, context).toEqual([]);
      expect(ticks.length, context).toBeGreaterThan(20);
      // Read in one go: a path black-holed at the very end still looks connected until the
      // heartbeat gives up on it and reconnects; read apart, the figures could disagree.
      await expect
        .poll(
          () =>
            run.evaluate(({ socket, sockets }) => ({
              connected: sockets.map((emitter) => emitter.connected),
              outboxSizes: sockets.map((emitter) => emitter.outbox.size),
              status: socket.io.getSnapshot().status,
            })),
          { message: `both sockets connected, outboxes empty (${context})` },
        )
        .toEqual({ connected: [true, true], outboxSizes: [0, 0], status: "connected" });
      const [connects, recovered] = seen.connects;
      console.log(
        `${name}, ${context}: ${connects} connects (${recovered} recovered), ${ticks.length} ticks, ${saves - NAMESPACES.length * EMITS} saves seen twice`,
      );
      // The schedule did storm: several kinds of fault, not one lucky quiet run.
      expect(new Set(storm.schedule).size, context).toBeGreaterThanOrEqual(4);
    });
  });
});
