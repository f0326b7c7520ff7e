import * as msgpackParser from "socket.io-msgpack-parser";
import { afterEach, describe, expect, inject, it } from "vitest";
import { io, type Socket, type TransportChoice } from "../index.ts";

// socket.io-msgpack-parser in the page against servers given the same parser (started by
// sdk/test/servers.global-setup.ts): they greet with "welcome" and echo "echo" through the ack.
const urls = inject("msgpackServerUrls");
const parser = msgpackParser as never;
const opened: Socket[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.disconnect();
});

const transportSets: Array<[string, TransportChoice[]]> = [
  ["WebSocket", ["websocket"]],
  ["fetch long-polling", ["polling"]],
  ["polling upgraded to WebSocket", ["polling", "websocket"]],
];

describe.each(Object.entries(urls))("the parser option in Chromium, against %s", (_kind, url) => {
  it.each(transportSets)("exchanges events, acks and binary over %s", async (_name, transports) => {
    const socket = io(url, { forceNew: true, transports, parser });
    opened.push(socket);
    const welcome = new Promise<{ id: string }>((resolve) => socket.on("welcome", resolve));
    await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
    expect((await welcome).id).toBe(socket.id);
    // The parser's browser build encodes ArrayBuffers as binary (typed arrays as plain objects).
    const payload = {
      text: "héllo",
      list: [1, { two: 2 }],
      bytes: new Uint8Array([0, 1, 255]).buffer,
    };
    const echoed = (await socket.timeout(2000).emitWithAck("echo", payload)) as typeof payload;
    expect(echoed.text).toBe("héllo");
    expect(echoed.list).toEqual([1, { two: 2 }]);
    expect([...new Uint8Array(echoed.bytes)]).toEqual([0, 1, 255]);
  });
});
