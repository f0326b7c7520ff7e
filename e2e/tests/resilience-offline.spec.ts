import { expect, type JSHandle, test } from "@playwright/test";
import {
  connectWireline,
  openFixture,
  type Recorded,
  useSeqServer,
  type WirelineSocket,
} from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

// Short backoff: were attempts not held while offline, a dozen would be spent in the wait.
const BACKOFF = { reconnectionDelay: 100, reconnectionDelayMax: 500 };
const OFFLINE_FOR = 3000;

test.describe("a page that goes offline while its connection drops", () => {
  const fixture = useStaticFixture();

  const seq = useSeqServer();

  test("reports offline and spends no attempt, then reconnects within 1 s of online", async ({
    page,
    context,
  }) => {
    await openFixture(page, fixture);
    const wireline = await connectWireline(page, seq.server.url, BACKOFF);
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
    seq.server.io.faults.dropTransports();
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

  /** Emits `seq` 0..count-1 with acks; the acks settle later, as replies or error codes. */
  function emitSeq(wireline: JSHandle<Recorded<WirelineSocket>>, count: number) {
    return wireline.evaluateHandle(({ socket }, count) => {
      const acks = Array.from({ length: count }, (_, index) =>
        socket.emitWithAck("seq", index).then(
          (reply) => reply as number,
          (error: { message?: string }) => `error:${error.message}`,
        ),
      );
      return { settled: Promise.all(acks) };
    }, count);
  }

  test("emits made while offline and disconnected wait in the outbox and go out in order before connect", async ({
    page,
    context,
  }) => {
    await openFixture(page, fixture);
    const wireline = await connectWireline(page, seq.server.url, BACKOFF);
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
    await context.setOffline(true);
    seq.server.io.faults.dropTransports();
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(false);

    const emitted = await emitSeq(wireline, 20);
    expect(await wireline.evaluate(({ socket }) => socket.outbox.size)).toBe(20);
    // An app's connect listener emits at once; that emit must come after the queued ones.
    await wireline.evaluate(({ socket }) => {
      socket.once("connect", () => socket.emit("seq", -1));
    });
    await context.setOffline(false);

    expect(await emitted.evaluate((acks) => acks.settled)).toEqual(range(0, 20));
    await expect.poll(() => seq.arrivals.slice()).toEqual([...range(0, 20), -1]);
  });

  // The session closes while offline: the Manager reports "disconnected" before the sockets
  // hear `close`, and the queued emits must stay queued rather than go into the closed session.
  test("emits queued on a live connection while offline survive that connection dropping", async ({
    page,
    context,
  }) => {
    await openFixture(page, fixture);
    const wireline = await connectWireline(page, seq.server.url, BACKOFF);
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(true);
    await context.setOffline(true);
    await expect
      .poll(() => wireline.evaluate(({ socket }) => socket.io.getSnapshot().status))
      .toBe("offline");

    const emitted = await emitSeq(wireline, 20);
    expect(await wireline.evaluate(({ socket }) => socket.outbox.size)).toBe(20);
    seq.server.io.faults.dropTransports();
    await expect.poll(() => wireline.evaluate(({ socket }) => socket.connected)).toBe(false);
    expect(await wireline.evaluate(({ socket }) => socket.outbox.size)).toBe(20);
    await context.setOffline(false);

    await expect.poll(() => seq.arrivals.slice()).toEqual(range(0, 20));
    expect(await emitted.evaluate((acks) => acks.settled)).toEqual(range(0, 20));
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}
