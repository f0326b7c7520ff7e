import { expect, test } from "@playwright/test";
import {
  connectWireline,
  type FaultyServer,
  openFixture,
  startFaultyServer,
} from "./resilience-setup.ts";
import { type StaticFixture, startStaticFixture } from "./static-fixture.ts";

// Short backoff: were attempts not held while offline, a dozen would be spent in the wait.
const BACKOFF = { reconnectionDelay: 100, reconnectionDelayMax: 500 };
const OFFLINE_FOR = 3000;

test.describe("a page that goes offline while its connection drops", () => {
  let fixture: StaticFixture;

  test.beforeAll(async () => {
    fixture = await startStaticFixture();
  });

  test.afterAll(async () => {
    await fixture.close();
  });

  let server: FaultyServer;

  test.beforeEach(async () => {
    server = await startFaultyServer();
  });

  test.afterEach(async () => {
    await server.close();
  });

  test("reports offline and spends no attempt, then reconnects within 1 s of online", async ({
    page,
    context,
  }) => {
    await openFixture(page, fixture);
    const wireline = await connectWireline(page, server.url, BACKOFF);
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
    // Every snapshot and attempt from here on, as the page saw them.
    const seen = await wireline.evaluateHandle(({ socket }) => {
      const record = { statuses: [] as string[], attempts: [] as number[], maxAttempt: 0 };
      socket.io.subscribe(() => {
        const snapshot = socket.io.getSnapshot();
        if (record.statuses.at(-1) !== snapshot.status) record.statuses.push(snapshot.status);
        record.maxAttempt = Math.max(record.maxAttempt, snapshot.attempt);
      });
      socket.io.on("reconnect_attempt", (attempt) => record.attempts.push(attempt));
      return record;
    });

    await context.setOffline(true);
    // An open WebSocket survives setOffline: the server drops it, as a lost network would.
    server.io.faults.dropTransports();
    await expect
      .poll(() => wireline.evaluate(({ socket }) => socket.io.getSnapshot().status))
      .toBe("offline");
    // Absence takes a wait: the page stays offline for a few seconds, spending nothing.
    await page.waitForTimeout(OFFLINE_FOR);
    const whileOffline = await seen.evaluate((record) => ({ ...record }));
    // `offline` first (the open socket is kept), then the drop, then offline again: no
    // "reconnecting" in between.
    expect(whileOffline.statuses).toEqual(["offline", "disconnected", "offline"]);
    expect(whileOffline.attempts).toEqual([]);
    expect(whileOffline.maxAttempt).toBe(0);
    expect(await wireline.evaluate(({ socket }) => socket.io.getSnapshot())).toMatchObject({
      status: "offline",
      attempt: 0,
      nextRetryAt: undefined,
    });

    const next = await wireline.evaluateHandle(({ socket }) => ({
      connected: new Promise<string | undefined>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reconnection within 5 s")), 5000);
        socket.once("connect", () => {
          clearTimeout(timer);
          resolve(socket.id);
        });
      }),
    }));
    const onlineAt = Date.now();
    await context.setOffline(false);
    const id = await next.evaluate((wait) => wait.connected);
    const elapsed = Date.now() - onlineAt;

    // Must: connected again within 1 s of `online`, on the first attempt.
    expect(elapsed).toBeLessThan(1000);
    expect(id).toBeDefined();
    const after = await seen.evaluate((record) => ({ ...record }));
    // One attempt. (It is numbered 0: offline spent none, and `online` does not count it.)
    expect(after.attempts).toHaveLength(1);
    expect(after.statuses.slice(-1)).toEqual(["connected"]);
    console.log(`online → Wireline connected in ${elapsed} ms after ${OFFLINE_FOR} ms offline`);
  });
});
