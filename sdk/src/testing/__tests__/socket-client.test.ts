// socket.io's `socket.client` and `server.path()`, against the official server and the mock.
import { io, type Socket } from "@wireline/sdk";
import type { Socket as ServerSocket } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { BOTH_SERVERS } from "./both-servers.ts";

describe.each(BOTH_SERVERS)("%s", (_name, start) => {
  const clients: Socket[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it("gives path() the path option less its trailing slash, /socket.io by default", async () => {
    expect((await start({})).io.path()).toBe("/socket.io");
    expect((await start({ path: "/realtime/" })).io.path()).toBe("/realtime");
  });

  it("shares one socket.client between a connection's sockets: its conn and request", async () => {
    const { url, io: server, clientOptions } = await start({ path: "/realtime/" });
    const joined = (nsp: string) =>
      new Promise<ServerSocket>((resolve) => server.of(nsp).once("connection", resolve));
    const main = joined("/");
    const chat = joined("/chat");
    // One Manager, so one Engine.IO connection for both namespaces.
    const options = { ...clientOptions, path: "/realtime", transports: ["websocket" as const] };
    clients.push(io(url, options), io(`${url}/chat`, options));
    const [first, second] = await Promise.all([main, chat]);

    expect(first.client).toBe(second.client);
    expect(first.client.conn).toBe(first.conn);
    expect(first.client.request).toBe(first.request);
    expect(first.client.request.url).toMatch(/^\/realtime\/\?EIO=4&transport=websocket/);
  });
});
