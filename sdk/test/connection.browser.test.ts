import { io } from "@wireline/sdk";
import { afterEach, describe, expect, inject, it } from "vitest";

const urls = inject("serverUrls");
const opened: Array<{ disconnect(): unknown }> = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

describe.each(Object.entries(urls))("in Chromium, against %s", (_kind, url) => {
  it("connects over the browser's own WebSocket and gets an ack and a server-pushed event", async () => {
    const socket = io(url, { forceNew: true, auth: { user: "grace" } });
    opened.push(socket);
    const welcome = new Promise<{ id: string; auth: unknown }>((resolve) =>
      socket.on("welcome", resolve),
    );
    await new Promise<void>((resolve) => socket.on("connect", () => resolve()));

    const reply = await socket.timeout(2000).emitWithAck("echo", "hi", 42);
    const pushed = await welcome;

    // Must: the ack carries the server's reply and the pushed event reached us.
    expect(reply).toBe("hi");
    expect(pushed).toEqual({ id: socket.id, auth: { user: "grace" } });
    expect(socket.io.getSnapshot()).toMatchObject({ status: "connected", transport: "websocket" });
  });

  it("sends and receives binary as ArrayBuffer, typed arrays and Blob", async () => {
    const socket = io(url, { forceNew: true });
    opened.push(socket);
    await new Promise<void>((resolve) => socket.on("connect", () => resolve()));

    const bytes = new Uint8Array([1, 2, 3, 250]);
    const echoed = (await socket.timeout(2000).emitWithAck("echo", {
      typed: bytes,
      raw: bytes.buffer,
      blob: new Blob([new Uint8Array([9, 8])]),
    })) as Record<string, ArrayBuffer>;

    expect([...new Uint8Array(echoed.typed!)]).toEqual([1, 2, 3, 250]);
    expect([...new Uint8Array(echoed.raw!)]).toEqual([1, 2, 3, 250]);
    expect([...new Uint8Array(echoed.blob!)]).toEqual([9, 8]);
  });

  it("polls over XMLHttpRequest where fetch is absent; each request takes its abort listener off", async () => {
    const realFetch = globalThis.fetch;
    const realAdd = EventTarget.prototype.addEventListener;
    const realRemove = EventTarget.prototype.removeEventListener;
    let abortListeners = 0;
    EventTarget.prototype.addEventListener = function (this: EventTarget, type, ...rest) {
      if (this instanceof AbortSignal && type === "abort") abortListeners++;
      return realAdd.call(this, type, ...rest);
    };
    EventTarget.prototype.removeEventListener = function (this: EventTarget, type, ...rest) {
      if (this instanceof AbortSignal && type === "abort") abortListeners--;
      return realRemove.call(this, type, ...rest);
    };
    (globalThis as { fetch?: typeof fetch }).fetch = undefined;
    try {
      const socket = io(url, { forceNew: true, transports: ["polling"] });
      opened.push(socket);
      await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
      for (let i = 0; i < 20; i++) {
        expect(await socket.timeout(2000).emitWithAck("echo", i)).toBe(i);
      }
      // Only the requests still out listen: the long GET, perhaps a POST (an answered request
      // takes its listener off at loadend, which may come after the next GET started).
      await expect.poll(() => abortListeners).toBeLessThanOrEqual(2);
      socket.disconnect();
      await expect.poll(() => abortListeners).toBe(0);
    } finally {
      globalThis.fetch = realFetch;
      EventTarget.prototype.addEventListener = realAdd;
      EventTarget.prototype.removeEventListener = realRemove;
    }
  });
});
