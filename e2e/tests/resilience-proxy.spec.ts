import { expect, test } from "@playwright/test";
import { openFixture, useSeqServer, type WirelineSocket } from "./resilience-setup.ts";
import { useStaticFixture } from "./static-fixture.ts";

// A proxy that holds WebSocket upgrade requests open without answering, while plain HTTP
// passes (some corporate and carrier proxies): the default transports start on WebSocket and
// must still connect, in a real browser with its own WebSocket and fetch.

/** Emits `seq` with `index` and resolves with the server's ack. */
const ackedSeq = ({ socket }: { socket: WirelineSocket }, index: number) =>
  socket.timeout(3000).emitWithAck("seq", index);

test.describe("a page behind a proxy that holds WebSocket upgrades", () => {
  const fixture = useStaticFixture();
  const seq = useSeqServer();

  test("connects over polling with the default transports, and over WebSocket again once the proxy lets it", async ({
    page,
  }) => {
    await openFixture(page, fixture);
    seq.server.io.faults.holdWebSocket();
    const socket = await page.evaluateHandle((url) => {
      // A 4 s handshake timeout gives the WebSocket a 2 s head start before polling races it.
      const socket = window.wireline.io(url, {
        forceNew: true,
        timeout: 4000,
        reconnectionDelay: 100,
        reconnectionDelayMax: 200,
      });
      const errors: string[] = [];
      socket.on("connect_error", (error) => errors.push(error.message));
      return { socket, errors };
    }, seq.server.url);

    await expect
      .poll(() => socket.evaluate(({ socket }) => socket.connected), { timeout: 10_000 })
      .toBe(true);
    expect(await socket.evaluate(({ socket }) => socket.io.getSnapshot().transport)).toBe(
      "polling",
    );
    expect(await socket.evaluate(({ errors }) => errors)).toEqual([]);
    // The session works while its upgrade probe is held too.
    expect(await socket.evaluate(ackedSeq, 1)).toBe(1);
    expect(await socket.evaluate(({ socket }) => socket.io.getSnapshot().transport)).toBe(
      "polling",
    );

    // Nothing is remembered: once the proxy passes WebSockets, the next connection uses one.
    seq.server.io.faults.clear("holdWebSocket");
    seq.server.io.faults.dropTransports();
    await expect
      .poll(
        () =>
          socket.evaluate(({ socket }) => socket.connected && socket.io.getSnapshot().transport),
        { timeout: 10_000 },
      )
      .toBe("websocket");
    expect(await socket.evaluate(ackedSeq, 2)).toBe(2);
    expect(seq.arrivals).toEqual([1, 2]);
    await socket.evaluate(({ socket }) => socket.disconnect());
  });
});
