// Recovery after page and network events, in real Chromium: @wireline/sdk against
// socket.io-client on the same mock server, one client per page, one Playwright run.
import { type Browser, chromium, type JSHandle, type Page } from "playwright";
import {
  addSocketIoClient,
  type ClientKind,
  connectClient,
  type FaultyServer,
  openFixture,
  setFakeVisibility,
  silenceOpenSessions,
  startFaultyServer,
} from "../e2e/tests/resilience-setup.ts";
import { type StaticFixture, startStaticFixture } from "../e2e/tests/static-fixture.ts";
import { chromiumLaunchOptions } from "../scripts/browser.mjs";
import type { BenchRow } from "./report.ts";

/** A client that has not recovered by then is reported as "> 10 s". */
const CAP_MS = 10_000;
/** How long the page stays offline before `online`: a few backoff steps of either client. */
const OFFLINE_MS = 4000;
/** How far the wall clock moves while the page is hidden (its timers keep their schedule). */
const HIDDEN_MS = 60_000;

interface PageSocket {
  connected: boolean;
  on(event: "connect", listener: () => void): unknown;
}

/** Opens a page with one client of `kind` connected over WebSocket with default options. */
async function connectedPage(
  browser: Browser,
  fixture: StaticFixture,
  server: FaultyServer,
  kind: ClientKind,
  withClock: boolean,
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (withClock) await page.clock.install();
  await openFixture(page, fixture);
  if (kind === "socket.io-client") await addSocketIoClient(page);
  const socket = await connectClient<PageSocket>(page, kind, server.url);
  return { context, page, socket };
}

/** Ms from `trigger` until the socket's next `connect`, or Infinity past {@link CAP_MS}. */
async function timeToConnect(
  page: Page,
  socket: JSHandle<PageSocket>,
  trigger: () => Promise<void>,
): Promise<number> {
  const next = await socket.evaluateHandle(
    (socket, cap) => ({
      connected: new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), cap);
        socket.on("connect", () => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
    }),
    CAP_MS,
  );
  const start = Date.now();
  await trigger();
  const connected = await next.evaluate((wait) => wait.connected);
  const elapsed = Date.now() - start;
  await page.close();
  return connected ? elapsed : Number.POSITIVE_INFINITY;
}

/** Offline, the server drops the connection, `OFFLINE_MS` later online: ms to connected. */
async function onlineToConnected(
  browser: Browser,
  fixture: StaticFixture,
  server: FaultyServer,
  kind: ClientKind,
): Promise<number> {
  const { context, page, socket } = await connectedPage(browser, fixture, server, kind, false);
  await context.setOffline(true);
  server.io.faults.dropTransports();
  await page.waitForFunction((socket) => !socket.connected, socket);
  await new Promise((resolve) => setTimeout(resolve, OFFLINE_MS));
  const elapsed = await timeToConnect(page, socket, () => context.setOffline(false));
  await context.close();
  return elapsed;
}

/**
 * Hidden, the server goes silent, the wall clock moves a minute (a throttled or sleeping tab's
 * timers lag behind it), then visible: ms until a new connection replaced the dead one.
 */
async function visibleToReplaced(
  browser: Browser,
  fixture: StaticFixture,
  server: FaultyServer,
  kind: ClientKind,
): Promise<number> {
  const { context, page, socket } = await connectedPage(browser, fixture, server, kind, true);
  await setFakeVisibility(page, "hidden");
  silenceOpenSessions(server);
  const pageNow = await page.evaluate(() => Date.now());
  await page.clock.setSystemTime(pageNow + HIDDEN_MS);
  const elapsed = await timeToConnect(page, socket, () => setFakeVisibility(page, "visible"));
  await context.close();
  return elapsed;
}

/** Recovery rows: `online` → connected, and `visible` → dead connection replaced. */
export async function lifecycleRows(): Promise<BenchRow[]> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  const fixture = await startStaticFixture();
  // socket.io's default heartbeat (25 s + 20 s), as most deployments run it.
  const server = await startFaultyServer({ pingInterval: 25_000, pingTimeout: 20_000 });
  try {
    const measure = async (
      scenario: (
        browser: Browser,
        fixture: StaticFixture,
        server: FaultyServer,
        kind: ClientKind,
      ) => Promise<number>,
    ) => ({
      wireline: await scenario(browser, fixture, server, "wireline"),
      baseline: await scenario(browser, fixture, server, "socket.io-client"),
    });
    const common = {
      unit: "ms",
      baselineName: "socket.io-client",
      better: "lower",
      cap: CAP_MS,
    } as const;
    return [
      {
        name: `Chromium: online → connected (${OFFLINE_MS / 1000} s offline, connection dropped)`,
        ...common,
        ...(await measure(onlineToConnected)),
      },
      {
        name: "Chromium: visible → dead connection replaced (hidden 1 min)",
        ...common,
        ...(await measure(visibleToReplaced)),
      },
    ];
  } finally {
    await server.close();
    await fixture.close();
    await browser.close();
  }
}
