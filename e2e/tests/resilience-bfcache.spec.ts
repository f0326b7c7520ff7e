import { expect, type Page, test } from "@playwright/test";
import { chromiumLaunchOptions } from "../../scripts/browser.mjs";
import {
  connectWireline,
  type FaultyServer,
  type Recorded,
  startFaultyServer,
  type WirelineSocket,
} from "./resilience-setup.ts";
import { type StaticFixture, startStaticFixture } from "./static-fixture.ts";

// Playwright starts Chromium with the back/forward cache turned off; these tests need it on.
test.use({
  launchOptions: {
    ...chromiumLaunchOptions(),
    ignoreDefaultArgs: ["--disable-back-forward-cache"],
  },
});

/** The event types with listeners on `window` and `document`, as the browser lists them. */
async function listenerTypes(page: Page): Promise<{ window: string[]; document: string[] }> {
  const devtools = await page.context().newCDPSession(page);
  const typesOn = async (expression: string) => {
    const { result } = await devtools.send("Runtime.evaluate", { expression });
    const { listeners } = await devtools.send("DOMDebugger.getEventListeners", {
      objectId: result.objectId!,
    });
    return [...new Set(listeners.map((listener) => listener.type))].sort();
  };
  const types = { window: await typesOn("window"), document: await typesOn("document") };
  await devtools.detach();
  return types;
}

/** Records every pagehide and pageshow of the page, with `persisted` and the page's clock. */
async function recordPageTransitions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const transitions: Array<{ type: string; persisted: boolean; at: number }> = [];
    const record = (event: Event) =>
      transitions.push({
        type: event.type,
        persisted: (event as PageTransitionEvent).persisted,
        at: Date.now(),
      });
    addEventListener("pagehide", record);
    addEventListener("pageshow", record);
    Object.assign(window, { transitions });
  });
}

function transitionsOf(page: Page) {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          transitions: Array<{ type: string; persisted: boolean; at: number }>;
        }
      ).transitions,
  );
}

/** Why the last navigation was not served from the cache, per Chromium (null when it was). */
function notRestoredReasons(page: Page) {
  return page.evaluate(() => {
    const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming & {
      notRestoredReasons?: { reasons?: Array<{ reason: string }> } | null;
    };
    return entry.notRestoredReasons?.reasons?.map(({ reason }) => reason) ?? null;
  });
}

test.describe("leaving a page and coming back through the back/forward cache", () => {
  let server: FaultyServer;
  let fixture: StaticFixture;
  const serverLog: string[] = [];

  test.beforeEach(async () => {
    serverLog.length = 0;
    server = await startFaultyServer({}, (io) => {
      io.on("connection", (socket) => {
        serverLog.push("connect");
        socket.on("disconnect", (reason) => serverLog.push(`disconnect:${reason}`));
      });
    });
    fixture = await startStaticFixture();
  });

  test.afterEach(async () => {
    await fixture.close();
    await server.close();
  });

  test("closeOnPageHide: closes on pagehide, is restored from the cache, reconnects on pageshow; no unload listeners", async ({
    page,
  }) => {
    await page.goto(`${fixture.url}/fixtures/sdk.html`);
    await expect(page.locator("#ready")).toHaveText("ready");
    const wireline = await connectWireline(page, server.url, { closeOnPageHide: true });
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
    const firstId = await wireline.evaluate(({ socket }) => socket.id);

    // Read from the browser's own listener registry, so nothing the page does can hide one.
    // The page-lifecycle listeners are there (the list is not empty by accident), unload not.
    const listeners = await listenerTypes(page);
    expect(listeners.window).toEqual(
      expect.arrayContaining(["offline", "online", "pagehide", "pageshow"]),
    );
    expect(listeners.document).toEqual(
      expect.arrayContaining(["freeze", "resume", "visibilitychange"]),
    );
    for (const types of [listeners.window, listeners.document]) {
      expect(types).not.toContain("unload");
      expect(types).not.toContain("beforeunload");
    }

    await recordPageTransitions(page);
    // Handles do not survive a restore from the cache (Playwright sees a new context), but the
    // page's own objects do: keep the socket on window.
    await wireline.evaluate((recorded) => Object.assign(window, { recorded }));
    const restored = () =>
      page.evaluate(() => {
        const { socket, events } = (window as unknown as { recorded: Recorded<WirelineSocket> })
          .recorded;
        return { connected: socket.connected, id: socket.id, events: events.slice() };
      });
    await page.goto(`${fixture.url}/fixtures/other.html`);
    // The socket closed when the page was hidden into the cache.
    await expect.poll(() => serverLog.slice()).toEqual(["connect", "disconnect:transport close"]);

    await page.goBack({ waitUntil: "commit" });
    await expect.poll(async () => (await restored()).connected).toBe(true);

    // Must: the same page came back from the cache (persisted) and reconnected on pageshow.
    expect(await notRestoredReasons(page)).toBeNull();
    const transitions = await transitionsOf(page);
    expect(transitions.map(({ type, persisted }) => ({ type, persisted }))).toEqual([
      { type: "pagehide", persisted: true },
      { type: "pageshow", persisted: true },
    ]);
    const { id: secondId, events } = await restored();
    expect(secondId).not.toBe(firstId);
    expect(events).toEqual([
      `connect:${firstId}`,
      "disconnect:forced close",
      `connect:${secondId}`,
    ]);
    await expect.poll(() => serverLog.slice(2)).toEqual(["connect"]);
  });

  test("without closeOnPageHide the open WebSocket keeps the page out of the cache", async ({
    page,
  }) => {
    await page.goto(`${fixture.url}/fixtures/sdk.html`);
    await expect(page.locator("#ready")).toHaveText("ready");
    const wireline = await connectWireline(page, server.url);
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);

    await page.goto(`${fixture.url}/fixtures/other.html`);
    await page.goBack();
    await expect(page.locator("#ready")).toHaveText("ready");

    // A fresh load, not a restore: Chromium names the WebSocket as the reason. This is why
    // closeOnPageHide exists.
    expect(await notRestoredReasons(page)).toEqual(expect.arrayContaining(["websocket"]));
    expect(await page.evaluate(() => "wireline" in window && !("transitions" in window))).toBe(
      true,
    );
  });
  test("an IndexedDB outbox keeps the page restorable while other tabs of the app open and queue packets", async ({
    page,
    context,
  }) => {
    const storageName = `wireline-bfcache:${server.url}`;
    /** A socket of the app in `tab`, its outbox in the shared database, as each tab makes it. */
    const openApp = async (tab: Page) => {
      await tab.goto(`${fixture.url}/fixtures/sdk.html`);
      await expect(tab.locator("#ready")).toHaveText("ready");
      await tab.evaluate(
        ({ url, storageName }) => {
          const { io, indexedDbStorage } = window.wireline;
          const socket = io(url, {
            forceNew: true,
            closeOnPageHide: true,
            transports: ["websocket"],
            outbox: { storage: indexedDbStorage({ name: storageName }) },
          });
          Object.assign(window, { socket });
        },
        { url: server.url, storageName },
      );
    };
    await openApp(page);
    await recordPageTransitions(page);
    await page.goto(`${fixture.url}/fixtures/other.html`);

    // Meanwhile: a new tab of the app loads (its outbox loads the stored packets), and it
    // queues packets while disconnected (stored, announced to the other tabs).
    const other = await context.newPage();
    await openApp(other);
    await other.evaluate(() => {
      const { socket } = window as unknown as { socket: WirelineSocket };
      socket.disconnect();
      for (let index = 0; index < 3; index++) socket.emit("queued", index);
    });
    // Longer than the 2 s between two looks of a watching tab.
    await page.waitForTimeout(2500);

    await page.goBack({ waitUntil: "commit" });
    // Must: restored from the cache: no lock asked about, no message received while in it.
    await expect.poll(() => transitionsOf(page).then((list) => list.length)).toBe(2);
    expect(await notRestoredReasons(page)).toBeNull();
  });
});
