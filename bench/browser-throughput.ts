// The receive path in real Chromium: @wireline/sdk against socket.io-client's own browser build,
// both flooded by the same socket.io server (in its own process), one Playwright run, beside a
// raw WebSocket that does only what any Socket.IO client must (the floor).
import { type Browser, type CDPSession, chromium, type JSHandle, type Page } from "playwright";
import {
  addSocketIoClient,
  type ClientKind,
  connectClient,
  openFixture,
} from "../e2e/tests/resilience-setup.ts";
import { type StaticFixture, startStaticFixture } from "../e2e/tests/static-fixture.ts";
import { chromiumLaunchOptions } from "../scripts/browser.mjs";
import type { BenchRow } from "./report.ts";
import { spawnServer } from "./spawn-server.ts";

/** Events per round: enough to dwarf the round's fixed costs, few enough for a run under a minute. */
const EVENTS = 20_000;
/** Rounds per client: the first warms the JIT up and is not counted. */
const ROUNDS = 4;

interface PageSocket {
  connected: boolean;
  on(event: string, listener: () => void): unknown;
  /** Without a listener: removes every listener of `event` (both clients support it). */
  off(event: string): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}

/** Main-thread CPU milliseconds of a page so far, from CDP `Performance.getMetrics`. */
interface MainThreadTime {
  script: number;
  task: number;
}

/** A client, or the floor: a raw WebSocket doing only what any Socket.IO client must per event. */
type PageKind = ClientKind | "floor";

interface ClientPage {
  kind: PageKind;
  socket: JSHandle<PageSocket>;
  cdp: CDPSession;
  /** Events per second of script time and of task time, one entry per counted round. */
  scriptRates: number[];
  taskRates: number[];
  close(): Promise<void>;
}

async function mainThreadTime(cdp: CDPSession): Promise<MainThreadTime> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  // CDP reports seconds.
  const seconds = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? NaN;
  return { script: seconds("ScriptDuration") * 1000, task: seconds("TaskDuration") * 1000 };
}

/**
 * The floor: a raw WebSocket in the page with the {@link PageSocket} calls a round makes, doing
 * per message only what any Socket.IO client must: answer pings, parse the event's JSON, call
 * the listener. One listener and no lookup by event name, as the server sends only `event`.
 * Resolves once the namespace accepted the connection.
 */
async function connectFloor(page: Page, url: string): Promise<JSHandle<PageSocket>> {
  const socket = await page.evaluateHandle((url) => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    let connected = false;
    let listener: ((...args: unknown[]) => void) | undefined;
    ws.onmessage = ({ data }: MessageEvent<string>) => {
      // Events first: they are all but a few of the messages.
      if (data.startsWith("42")) {
        const packet: unknown[] = JSON.parse(data.slice(2));
        packet.shift(); // the event name
        listener?.(...packet);
      } else if (data === "2") ws.send("3");
      else if (data.startsWith("40")) connected = true;
      else if (data.startsWith("0")) ws.send("40"); // Engine.IO open: join the main namespace
    };
    const floor: PageSocket = {
      get connected() {
        return connected;
      },
      // Methods, not arrow properties: tsx would wrap those in a `__name` the page lacks.
      on(_event, next) {
        listener = next;
      },
      off() {
        listener = undefined;
      },
      emit(event, ...args) {
        ws.send(`42${JSON.stringify([event, ...args])}`);
      },
      disconnect() {
        ws.close();
      },
    };
    return floor;
  }, url);
  await page.waitForFunction((socket) => socket.connected, socket);
  return socket;
}

/**
 * A page of its own browser context (so no other page shares its renderer and its task time)
 * with one client of `kind` (or the floor) connected over WebSocket, and CDP performance
 * metrics on.
 */
async function connectedPage(
  browser: Browser,
  fixture: StaticFixture,
  url: string,
  kind: PageKind,
): Promise<ClientPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openFixture(page, fixture);
  if (kind === "socket.io-client") await addSocketIoClient(page);
  const cdp = await context.newCDPSession(page);
  // Durations in the main thread's CPU time: on two cores shared with the server, the network
  // process and whatever else runs, wall-clock durations also count the moments the thread
  // waited for a core.
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  const socket =
    kind === "floor"
      ? await connectFloor(page, url)
      : await connectClient<PageSocket>(page, kind, url);
  return {
    kind,
    socket,
    cdp,
    scriptRates: [],
    taskRates: [],
    close: async () => {
      await socket.evaluate((socket) => socket.disconnect());
      await context.close();
    },
  };
}

/** Asks the server for {@link EVENTS} events and resolves once the page received them all. */
async function floodRound(client: ClientPage, counted: boolean): Promise<void> {
  const before = await mainThreadTime(client.cdp);
  await client.socket.evaluate(
    (socket, count) =>
      new Promise<void>((resolve) => {
        let received = 0;
        socket.on("event", () => {
          if (++received < count) return;
          socket.off("event");
          resolve();
        });
        socket.emit("flood", count);
      }),
    EVENTS,
  );
  const after = await mainThreadTime(client.cdp);
  if (!counted) return;
  client.scriptRates.push(EVENTS / ((after.script - before.script) / 1000));
  client.taskRates.push(EVENTS / ((after.task - before.task) / 1000));
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Events received per second of the page's main-thread CPU time, the median of the counted
 * rounds: one row of script time (the figure), one of task time.
 *
 * Why this and not wall time: a round's wall clock is set by how fast the server writes frames
 * and the browser's network process forwards them, not by the client. `ScriptDuration` is the
 * JavaScript the page ran: the client's receive path plus a listener that counts, and V8's fixed
 * cost of entering the `message` handler, which both clients pay. `TaskDuration` adds the
 * browser's own work per WebSocket message, also the same for both, so its ratio is narrower.
 *
 * The floor row puts a raw WebSocket that only answers pings, parses and calls the listener
 * against socket.io-client: the browser's cost per message, which no main-thread client avoids,
 * bounds the ratio any client can reach, and this row shows that bound beside the figure.
 * The pages take turns, the order rotating each round, so none always gets the quieter moments
 * of the machine.
 */
export async function browserThroughputRows(): Promise<BenchRow[]> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  const fixture = await startStaticFixture();
  const server = await spawnServer("socket.io");
  const clients: ClientPage[] = [];
  try {
    const url = `http://127.0.0.1:${server.port}`;
    for (const kind of ["wireline", "socket.io-client", "floor"] as const)
      clients.push(await connectedPage(browser, fixture, url, kind));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated by one each round: the 3 counted rounds give each of the 3 pages each place once.
      const first = round % clients.length;
      const order = [...clients.slice(first), ...clients.slice(0, first)];
      for (const client of order) await floodRound(client, round > 0);
    }
    const [wireline, baseline, floor] = clients as [ClientPage, ClientPage, ClientPage];
    const common = { unit: "ev/s", baselineName: "socket.io-client", better: "higher" } as const;
    return [
      {
        name: `Chromium: events received per main-thread script second (${EVENTS})`,
        ...common,
        wireline: median(wireline.scriptRates),
        baseline: median(baseline.scriptRates),
        aim: 1.3,
      },
      {
        name: `Chromium: events received per main-thread task second (${EVENTS})`,
        ...common,
        wireline: median(wireline.taskRates),
        baseline: median(baseline.taskRates),
      },
      {
        name: "Chromium: floor of any main-thread client (raw WebSocket + JSON.parse), events per script second",
        ...common,
        wireline: median(floor.scriptRates),
        baseline: median(baseline.scriptRates),
      },
    ];
  } finally {
    for (const client of clients) await client.close();
    server.stop();
    await fixture.close();
    await browser.close();
  }
}
