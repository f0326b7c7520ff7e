// socket.io's `socket.client` and `server.path()`, against the official server and the mock.
import { io, type Socket } from "@wireline/sdk";
import type { Socket as ServerSocket } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
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

  it("ends with the connection every socket it let in, a namespace joined twice included", async () => {
    const { url, io: server, clientOptions } = await start({});
    const waiting: Array<() => void> = [];
    server.of("/chat").use((_socket, next) => waiting.push(() => next()));
    const main = io(url, { ...clientOptions, transports: ["websocket"], forceNew: true });
    clients.push(main);
    await vi.waitFor(() => expect(main.connected).toBe(true));
    // The app leaves and joins again while its first CONNECT waits: the server gets two.
    const chat = main.io.socket("/chat");
    chat.connect();
    await vi.waitFor(() => expect(waiting).toHaveLength(1));
    chat.disconnect();
    chat.connect();
    await vi.waitFor(() => expect(waiting).toHaveLength(2));
    for (const next of waiting) next();
    const chatSockets = server.of("/chat").sockets;
    await vi.waitFor(() => expect(chatSockets.size).toBe(2));
    const reasons: string[] = [];
    for (const socket of chatSockets.values())
      socket.on("disconnect", (reason) => reasons.push(reason));

    main.io.engine?.close();

    await vi.waitFor(() => expect(reasons).toEqual(["transport close", "transport close"]));
    expect(chatSockets.size).toBe(0);
  });
});
