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
});
