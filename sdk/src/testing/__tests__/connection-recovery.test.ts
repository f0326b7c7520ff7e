// socket.io's `connectionStateRecovery`: each scenario runs against the official server and the
// mock, which must show the same to the client and to the server's listeners.
import { io, type Socket } from "@wireline/sdk";
import type { Server, Socket as ServerSocket } from "socket.io";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BOTH_SERVERS, type StartedServer } from "./both-servers.ts";

/** Resolves with the arguments of the next `event` on `target`. */
function next(
  target: { once(event: string, listener: (...args: never[]) => void): unknown },
  event: string,
): Promise<unknown[]> {
  return new Promise((resolve) =>
    target.once(event, ((...args: unknown[]) => resolve(args)) as never),
  );
}

describe.each(BOTH_SERVERS)("connectionStateRecovery on %s", (_name, start) => {
  const clients: Socket[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  /** Server sockets in connection order, and what the middleware saw. */
  function record(server: Server) {
    const sockets: ServerSocket[] = [];
    const middleware: boolean[] = [];
    const outgoing: unknown[][] = [];
    server.use((socket, next) => {
      middleware.push(socket.recovered);
      next();
    });
    server.on("connection", (socket) => {
      sockets.push(socket);
      socket.onAnyOutgoing((...args) => outgoing.push(args));
      if (socket.recovered) return;
      socket.join("room");
      socket.data.user = "ada";
    });
    return { sockets, middleware, outgoing };
  }

  function connect({ url, clientOptions }: StartedServer, options = {}): Socket {
    const client = io(url, {
      ...clientOptions,
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 20,
      reconnectionDelayMax: 50,
      ...options,
    });
    clients.push(client);
    // What the client's listeners get, in order, `connect` included.
    const heard: unknown[][] = [];
    client.onAny((...args) => heard.push(args));
    client.on("connect", () => heard.push([`connect recovered=${client.recovered}`]));
    (client as Socket & { heard: unknown[][] }).heard = heard;
    return client;
  }
  const heardBy = (client: Socket) => (client as Socket & { heard: unknown[][] }).heard;

  it("restores id, rooms and data after a lost connection, and replays what the socket missed before its connect", async () => {
    const started = await start({ connectionStateRecovery: { maxDisconnectionDuration: 5000 } });
    const server = started.io;
    const seen = record(server);
    const client = connect(started);
    await next(client, "connect");
    const [first] = seen.sockets;
    server.to("room").emit("news", 1);
    first!.emit("direct", 2);
    await vi.waitFor(() => expect(heardBy(client)).toHaveLength(3));
    // The offset goes last, as the outgoing listeners see it; the client's listeners do not.
    expect(seen.outgoing).toEqual([
      ["news", 1, expect.any(String)],
      ["direct", 2, expect.any(String)],
    ]);

    const serverSide = next(first!, "disconnect");
    const clientSide = next(client, "disconnect");
    first!.conn.close();
    expect((await serverSide)[0]).toBe("forced close");
    expect((await clientSide)[0]).toBe("transport close");
    server.to("room").emit("news", 3);
    first!.emit("direct", 4);
    server.except("room").emit("news", "not to the room");
    server.volatile.emit("news", "volatile: not kept");
    first!.emit("acked", () => {});
    await next(client, "connect");

    expect(client.recovered).toBe(true);
    expect(client.id).toBe(first!.id);
    expect(heardBy(client)).toEqual([
      ["connect recovered=false"],
      ["news", 1],
      ["direct", 2],
      ["news", 3],
      ["direct", 4],
      ["connect recovered=true"],
    ]);
    const second = seen.sockets[1]!;
    expect(second).not.toBe(first);
    expect(second.recovered).toBe(true);
    expect(second.id).toBe(first!.id);
    expect([...second.rooms].sort()).toEqual([first!.id, "room"].sort());
    expect(second.data).toEqual({ user: "ada" });
    expect(second.handshake.auth).toEqual({ pid: expect.any(String), offset: expect.any(String) });
    // skipMiddlewares defaults to true: the middleware ran for the first connection only.
    expect(seen.middleware).toEqual([false]);
  });

  it("runs the middlewares of a restored socket with skipMiddlewares: false", async () => {
    const started = await start({ connectionStateRecovery: { skipMiddlewares: false } });
    const seen = record(started.io);
    const client = connect(started);
    await next(client, "connect");
    started.io.emit("news", 1);
    await vi.waitFor(() => expect(heardBy(client)).toHaveLength(2));
    seen.sockets[0]!.conn.close();
    await next(client, "disconnect");
    await next(client, "connect");

    expect(client.recovered).toBe(true);
    expect(seen.middleware).toEqual([false, true]);
  });

  it("does not restore a session older than maxDisconnectionDuration", async () => {
    const started = await start({ connectionStateRecovery: { maxDisconnectionDuration: 50 } });
    const seen = record(started.io);
    const client = connect(started, { reconnectionDelay: 300, reconnectionDelayMax: 300 });
    await next(client, "connect");
    started.io.emit("news", 1);
    await vi.waitFor(() => expect(heardBy(client)).toHaveLength(2));
    // Recovery is on: the event carries its offset, so the client asks for its session back.
    expect(seen.outgoing).toEqual([["news", 1, expect.any(String)]]);
    const id = client.id;
    seen.sockets[0]!.conn.close();
    await next(client, "disconnect");
    await next(client, "connect");

    expect(client.recovered).toBe(false);
    expect(client.id).not.toBe(id);
    expect(seen.sockets[1]!.recovered).toBe(false);
    expect(seen.middleware).toEqual([false, false]);
  });

  it("keeps no session for a socket the server disconnected on purpose", async () => {
    const started = await start({ connectionStateRecovery: {} });
    const seen = record(started.io);
    const client = connect(started);
    await next(client, "connect");
    started.io.emit("news", 1);
    await vi.waitFor(() => expect(heardBy(client)).toHaveLength(2));
    seen.sockets[0]!.disconnect();
    expect((await next(client, "disconnect"))[0]).toBe("io server disconnect");
    client.connect();
    await next(client, "connect");

    expect(client.recovered).toBe(false);
    expect(seen.sockets[1]!.recovered).toBe(false);
    expect(seen.sockets[1]!.handshake.auth).toEqual({
      pid: expect.any(String),
      offset: expect.any(String),
    });
  });
});
