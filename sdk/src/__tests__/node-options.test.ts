// The engine options socket.io-client apps pass in Node and per transport: TLS options for the
// `ws` constructor (a development server's self-signed certificate), `transportOptions` and
// `forceBase64`. Both clients, against the official socket.io server.
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { io } from "../index.ts";
import { type AnySocket, clients, next } from "./compat-helpers.ts";
import { FakeWebSocketConstructor, fakeSockets } from "./fake-websocket.ts";

const fixtures = new URL("../../test/fixtures/", import.meta.url);
const tls = {
  key: readFileSync(new URL("localhost-key.pem", fixtures)),
  cert: readFileSync(new URL("localhost-cert.pem", fixtures)),
};

const closers: Array<() => Promise<void>> = [];
const sockets: AnySocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const close of closers.splice(0)) await close();
});

/** A socket.io server over HTTPS (self-signed certificate for localhost) or HTTP. */
async function start(secure: boolean): Promise<string> {
  const http = secure ? createHttpsServer(tls) : createHttpServer();
  const server = new Server(http);
  server.on("connection", (socket) => {
    socket.on("headers", (callback: (headers: unknown) => void) =>
      callback(socket.handshake.headers),
    );
    socket.on("echo", (value: unknown, callback: (value: unknown) => void) => callback(value));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  const { port } = http.address() as AddressInfo;
  return `${secure ? "https" : "http"}://localhost:${port}`;
}

describe.each(clients)("Node engine options with %s", (_name, client) => {
  const open = (url: string, options: Record<string, unknown>) => {
    const socket = client.io(url, { forceNew: true, reconnection: false, ...options });
    sockets.push(socket);
    return socket;
  };

  it("refuses a self-signed certificate by default, and takes it with rejectUnauthorized: false", async () => {
    const url = await start(true);
    const refused = open(url, { transports: ["websocket"] });
    expect((await next<Error>(refused, "connect_error")).message).toBe("websocket error");
    const accepted = open(url, { transports: ["websocket"], rejectUnauthorized: false });
    await next(accepted, "connect");
    expect(await accepted.emitWithAck("echo", "over TLS")).toBe("over TLS");
  });

  it("trusts a server whose certificate is given as ca", async () => {
    const url = await start(true);
    const socket = open(url, { transports: ["websocket"], ca: tls.cert });
    await next(socket, "connect");
  });

  it("applies transportOptions to their transport only: polling's extraHeaders", async () => {
    const url = await start(false);
    const socket = open(url, {
      transports: ["polling"],
      transportOptions: { polling: { extraHeaders: { "x-only-polling": "yes" } } },
    });
    await next(socket, "connect");
    const headers = (await socket.emitWithAck("headers")) as Record<string, string>;
    expect(headers["x-only-polling"]).toBe("yes");
  });

  it("carries binary as base64 text with forceBase64", async () => {
    const url = await start(false);
    const socket = open(url, { transports: ["websocket"], forceBase64: true });
    await next(socket, "connect");
    const reply = (await socket.emitWithAck("echo", new Uint8Array([1, 2, 3]))) as Uint8Array;
    expect([...new Uint8Array(reply)]).toEqual([1, 2, 3]);
  });
});

describe("forceBase64 on the wire", () => {
  it("writes a binary attachment as a base64 text frame", () => {
    const socket = io("http://example.test", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
      forceBase64: true,
    });
    const fake = fakeSockets[fakeSockets.length - 1]!;
    fake.serverOpen();
    fake.serverSend('40{"sid":"x"}');
    socket.emit("file", new Uint8Array([1, 2, 3]));
    expect(fake.sent.slice(-2)).toEqual(['451-["file",{"_placeholder":true,"num":0}]', "bAQID"]);
    socket.disconnect();
  });
});
