import { afterEach, describe, expect, inject, it } from "vitest";
import { io, type Socket, type TransportChoice } from "../index.ts";

// Servers come from the Chromium project's global setup (sdk/test/servers.global-setup.ts):
// they greet with "welcome" and answer "echo" with its arguments.
const urls = inject("serverUrls");
const opened: Socket[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const transportSets: Array<[string, TransportChoice[]]> = [
  ["fetch long-polling", ["polling"]],
  ["polling upgraded to WebSocket", ["polling", "websocket"]],
];

describe.each(Object.entries(urls))("in Chromium, against %s", (_kind, url) => {
  it.each(transportSets)("exchanges events, acks and binary over %s", async (_name, transports) => {
    const socket = io(url, { forceNew: true, transports });
    opened.push(socket);
    const welcome = new Promise((resolve) => socket.on("welcome", resolve));
    await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
    await welcome;
    const bytes = new Uint8Array([0, 1, 255]);
    await expect(socket.timeout(2000).emitWithAck("echo", "hi")).resolves.toBe("hi");
    const echoed = await new Promise<unknown[]>((resolve) =>
      socket.emit("echo", bytes, (...reply: unknown[]) => resolve(reply)),
    );
    expect(new Uint8Array(echoed[0] as ArrayBuffer)).toEqual(bytes);
    // A Blob encodes asynchronously (FileReader) on polling: order and content must hold.
    const blobEcho = await new Promise<unknown[]>((resolve) =>
      socket.emit("echo", new Blob([new Uint8Array([7, 8])]), "after", (...reply: unknown[]) =>
        resolve(reply),
      ),
    );
    expect(new Uint8Array(blobEcho[0] as ArrayBuffer)).toEqual(new Uint8Array([7, 8]));
    expect(blobEcho[1]).toBe("after");
    await expect
      .poll(() => socket.io.getSnapshot().transport)
      .toBe(transports[transports.length - 1]);
  });
});
