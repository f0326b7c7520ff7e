import { expect, test } from "@playwright/test";
import { type CdpBrowser, launchCdpBrowser } from "./cdp-browser.ts";
import {
  connectWireline,
  type FaultyServer,
  openFixture,
  silenceOpenSessions,
  startFaultyServer,
} from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

// Pings every 1 s with 1 s to answer: past 2 s of silence a connection is dead.
const FROZEN_FOR = 3000;

test.describe("a truly hidden, throttled, then frozen page", () => {
  const fixture = useStaticFixture();

  let server: FaultyServer;
  let cdp: CdpBrowser;

  test.beforeEach(async () => {
    server = await startFaultyServer({ pingInterval: 1000, pingTimeout: 1000 });
    cdp = await launchCdpBrowser();
  });

  test.afterEach(async () => {
    await cdp.close();
    await server.close();
  });

  test("on resume, Wireline finds its connection dead by the wall clock and replaces it within 1 s", async () => {
    const context = cdp.browser.contexts()[0] ?? (await cdp.browser.newContext());
    const page = await context.newPage();
    await openFixture(page, fixture);
    // What the page itself saw, with its own clock.
    const signals = await page.evaluateHandle(() => {
      const seen: Array<[string, number]> = [];
      document.addEventListener("freeze", () => seen.push(["freeze", Date.now()]));
      document.addEventListener("resume", () => seen.push(["resume", Date.now()]));
      document.addEventListener("visibilitychange", () =>
        seen.push([document.visibilityState, Date.now()]),
      );
      return seen;
    });
    const wireline = await connectWireline(page, server.url);
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
    const firstId = await wireline.evaluate(({ socket }) => socket.id);
    const next = await wireline.evaluateHandle(({ socket }) => ({
      connect: new Promise<{ id?: string; disconnectedAt: number; at: number }>((resolve) => {
        let disconnectedAt = 0;
        socket.once("disconnect", () => {
          disconnectedAt = Date.now();
        });
        socket.once("connect", () => resolve({ id: socket.id, disconnectedAt, at: Date.now() }));
      }),
    }));

    // A second tab in front: the first is hidden and its timers throttled.
    const front = await context.newPage();
    await front.bringToFront();
    await expect.poll(() => page.evaluate(() => document.visibilityState)).toBe("hidden");

    // The server goes silent, then the hidden page is frozen: no timer of it runs.
    expect(silenceOpenSessions(server)).toBe(1);
    const lifecycle = await context.newCDPSession(page);
    await lifecycle.send("Page.setWebLifecycleState", { state: "frozen" });
    await new Promise((resolve) => setTimeout(resolve, FROZEN_FOR));

    const resumedAt = Date.now();
    await lifecycle.send("Page.setWebLifecycleState", { state: "active" });
    await page.bringToFront();
    const reconnected = await next.evaluate((wait) => wait.connect);
    const elapsed = Date.now() - resumedAt;

    // Must: replaced within 1 s of resuming, by a ping timeout judged after the resume.
    expect(elapsed).toBeLessThan(1000);
    expect(reconnected.id).toBeDefined();
    expect(reconnected.id).not.toBe(firstId);
    expect(await wireline.evaluate(({ events }) => events.slice(1))).toEqual([
      "disconnect:ping timeout",
      `connect:${reconnected.id}`,
    ]);
    const seen = await signals.evaluate((list) => list.slice());
    const kinds = seen.map(([kind]) => kind);
    expect(kinds).toEqual(["hidden", "freeze", "resume", "visible"]);
    const [, frozeAt] = seen[1]!;
    const [, resumeSeenAt] = seen[2]!;
    // The page really was frozen that long, and noticed nothing until it resumed.
    expect(resumeSeenAt - frozeAt).toBeGreaterThanOrEqual(FROZEN_FOR - 100);
    expect(reconnected.disconnectedAt).toBeGreaterThanOrEqual(resumeSeenAt);
    console.log(
      `resume → Wireline reconnected in ${elapsed} ms (page time ${reconnected.at - resumeSeenAt} ms) after ${resumeSeenAt - frozeAt} ms frozen`,
    );
  });
});
