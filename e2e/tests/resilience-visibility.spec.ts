import { expect, test } from "@playwright/test";
import {
  addSocketIoClient,
  connectSocketIoClient,
  connectWireline,
  type FaultyServer,
  openFixture,
  setFakeVisibility,
  silenceOpenSessions,
  startFaultyServer,
} from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

// A hidden tab's timers are throttled (in Chrome, to once a minute after a while) and a
// sleeping laptop runs none, while the wall clock moves on. Faked visibility throttles nothing,
// so the page's clock is moved forward instead: Date.now() jumps a minute while every timer
// keeps its schedule. Pings of 5 s + 5 s keep each client's own ping timer far away.
const PING = { pingInterval: 5000, pingTimeout: 5000 };
const HIDDEN_FOR = 60_000;

test.describe("a page made visible again after its server died silently", () => {
  const fixture = useStaticFixture();

  let server: FaultyServer;

  test.beforeEach(async () => {
    server = await startFaultyServer(PING);
  });

  test.afterEach(async () => {
    await server.close();
  });

  test("Wireline replaces the dead connection within 1 s of visibilitychange; socket.io-client has not noticed", async ({
    page,
  }) => {
    await page.clock.install();
    await openFixture(page, fixture);
    await addSocketIoClient(page);
    const wireline = await connectWireline(page, server.url);
    const baseline = await connectSocketIoClient(page, server.url);
    await expect
      .poll(() =>
        page.evaluate(
          ({ wireline, baseline }) => wireline.socket.connected && baseline.socket.connected,
          { wireline, baseline },
        ),
      )
      .toBe(true);
    const before = await page.evaluate(
      ({ wireline, baseline }) => ({ wireline: wireline.socket.id, baseline: baseline.socket.id }),
      { wireline, baseline },
    );

    await setFakeVisibility(page, "hidden");
    // Both sessions die silently: no pings, and whatever the clients send is swallowed.
    expect(silenceOpenSessions(server)).toBe(2);
    const pageNow = await page.evaluate(() => Date.now());
    await page.clock.setSystemTime(pageNow + HIDDEN_FOR);
    // Nothing has told either client yet: no timer fired, no signal came.
    expect(
      await page.evaluate(
        ({ wireline, baseline }) => [wireline.socket.connected, baseline.socket.connected],
        { wireline, baseline },
      ),
    ).toEqual([true, true]);

    // Wrapped in an object: evaluateHandle would otherwise wait for the promise itself.
    const replaced = await page.evaluateHandle(
      ({ wireline, baseline }) => ({
        next: new Promise<{ id?: string; baselineConnected: boolean; baselineId?: string }>(
          (resolve, reject) => {
            // Real time: the page's timers keep their schedule, so this fires after 5 s.
            const timer = setTimeout(() => reject(new Error("no reconnection within 5 s")), 5000);
            wireline.socket.once("connect", () => {
              clearTimeout(timer);
              resolve({
                id: wireline.socket.id,
                baselineConnected: baseline.socket.connected,
                baselineId: baseline.socket.id,
              });
            });
          },
        ),
      }),
      { wireline, baseline },
    );
    const visibleAt = Date.now();
    await setFakeVisibility(page, "visible");
    const atReconnect = await replaced.evaluate((reconnect) => reconnect.next);
    const elapsed = Date.now() - visibleAt;

    // Must: a new session within 1 s, after a ping timeout judged by the wall clock.
    expect(elapsed).toBeLessThan(1000);
    expect(atReconnect.id).toBeDefined();
    expect(atReconnect.id).not.toBe(before.wireline);
    expect(await wireline.evaluate((recorded) => recorded.events)).toEqual([
      `connect:${before.wireline}`,
      "disconnect:ping timeout",
      `connect:${atReconnect.id}`,
    ]);
    // socket.io-client, in the same page, still believes in the dead session: it waits for
    // its ping timer, which a throttled tab would run up to a minute late.
    expect(atReconnect.baselineConnected).toBe(true);
    expect(atReconnect.baselineId).toBe(before.baseline);
    console.log(
      `visible → Wireline reconnected in ${elapsed} ms; socket.io-client still connected`,
    );
  });
});
