import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "../src/index.ts";
import { referenceServer } from "./helpers.ts";

let io: Server;
const clients: Socket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await io.close();
});

async function url(): Promise<string> {
  const httpServer = io.httpServer!;
  if (!httpServer.listening) await new Promise((resolve) => httpServer.once("listening", resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

describe("the socket.io reference script on the mock server", () => {
  it("echoes events, acknowledges with the same arguments, and hands back auth on / and /custom", async () => {
    io = referenceServer();
    const base = await url();
    const main = connect(base, { forceNew: true, auth: { token: "123" } });
    const custom = connect(`${base}/custom`, { forceNew: true, auth: { token: "abc" } });
    clients.push(main, custom);
    expect(await new Promise((resolve) => main.once("auth", resolve))).toEqual({ token: "123" });
    expect(await new Promise((resolve) => custom.once("auth", resolve))).toEqual({ token: "abc" });
    const back = new Promise((resolve) => main.once("message-back", (...args) => resolve(args)));
    main.emit("message", 1, "2", { 3: [4] }, Uint8Array.from([5]));
    const echoed = (await back) as unknown[];
    expect(echoed.slice(0, 3)).toEqual([1, "2", { 3: [4] }]);
    expect([...new Uint8Array(echoed[3] as ArrayBuffer)]).toEqual([5]);
    expect(await main.timeout(1000).emitWithAck("message-with-ack", 1, "2")).toBe(1);
  });

  it("closes a connection that sends no CONNECT within connectTimeout", async () => {
    io = new Server(0, { connectTimeout: 300, pingInterval: 10_000 });
    const base = await url();
    const handshake = await (await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).text();
    const { sid } = JSON.parse(handshake.slice(1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // As with socket.io, the session waits for its next GET to hand it the close packet.
    const poll = await fetch(`${base}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect((await poll.text()).split("\x1e").at(-1)).toBe("1");
    const response = await fetch(`${base}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(response.status).toBe(400);
  });
});
