// A volatile event the transport cannot take at once is dropped, yet socket.io's outgoing
// listeners hear it: each scenario runs against the official server and the mock.
import { io, type Socket } from "@wireline/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BOTH_SERVERS } from "./both-servers.ts";

describe.each(BOTH_SERVERS)("volatile emits on %s", (_name, start) => {
  const clients: Socket[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it("tells onAnyOutgoing of a volatile event dropped while the poll is taken", async () => {
    const { url, io: server, clientOptions } = await start({});
    const client = io(url, { ...clientOptions, transports: ["polling"], forceNew: true });
    clients.push(client);
    const heard: string[] = [];
    client.onAny((event: string) => heard.push(event));
    const socket = await new Promise<Parameters<Parameters<typeof server.on>[1]>[0]>((resolve) =>
      server.on("connection", resolve),
    );
    await vi.waitFor(() => expect(socket.conn.transport.writable).toBe(true));
    const outgoing: string[] = [];
    socket.onAnyOutgoing((event: string) => outgoing.push(event));

    socket.emit("first");
    // The first event took the waiting poll: the volatile one finds the transport busy.
    socket.volatile.emit("dropped");
    socket.emit("last");

    await vi.waitFor(() => expect(heard).toEqual(["first", "last"]));
    expect(outgoing).toEqual(["first", "dropped", "last"]);
  });
});
