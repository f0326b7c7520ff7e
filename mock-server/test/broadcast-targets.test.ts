// Who a broadcast reaches, checked side by side with the official socket.io server: a socket's
// flags carried into socket.to()/broadcast, sockets gone or not yet connected, dynamic parent
// namespaces, and what onAnyOutgoing sees of a broadcast under connection state recovery.
import { describe, expect, it } from "vitest";
import type { Server, ServerSocket } from "../src/index.ts";
import { connected } from "./helpers.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(implementations)("%s", (_name, make) => {
  it("gives socket.to()/broadcast the socket's timeout, which its own next emit no longer has", async () => {
    let sender: ServerSocket | undefined;
    const url = await start(make, (server: Server) =>
      server.on("connection", (socket) => {
        if (socket.handshake.auth.sender) sender = socket;
        else socket.join("answering");
      }),
    );
    const answering = [client(url), client(url)];
    for (const [index, socket] of answering.entries()) {
      socket.on("slow", (ack: (reply: string) => void) => {
        setTimeout(() => ack(`slow-${index}`), 100);
      });
    }
    const senderClient = client(url, { auth: { sender: true } });
    senderClient.on("question", (ack: (reply: string) => void) => ack("answer"));
    await Promise.all([...answering, senderClient].map(connected));

    const viaRoom = await sender!.timeout(1000).to("answering").emitWithAck("slow");
    expect((viaRoom as string[]).sort()).toEqual(["slow-0", "slow-1"]);
    const viaBroadcast = await sender!.timeout(1000).broadcast.emitWithAck("slow");
    expect((viaBroadcast as string[]).sort()).toEqual(["slow-0", "slow-1"]);

    sender!.timeout(1000).to("answering").emit("nothing");
    // Not an error-first callback: the timeout went with the broadcast above.
    const reply = await new Promise((resolve) =>
      sender!.emit("question", (...args: unknown[]) => resolve(args)),
    );
    expect(reply).toEqual(["answer"]);
  });

  it("ignores a join after the disconnect: the socket stays in no room and is never a target", async () => {
    let io: Server | undefined;
    const gone: string[] = [];
    const url = await start(make, (server: Server) => {
      io = server;
      server.on("connection", (socket) =>
        socket.on("disconnect", () => {
          socket.join("late");
          gone.push(socket.id);
        }),
      );
    });
    const leaving = client(url);
    await connected(leaving);
    leaving.disconnect();
    await expect.poll(() => gone).toHaveLength(1);
    expect(await io!.in("late").fetchSockets()).toEqual([]);
    expect(io!.of("/").adapter.rooms.has("late")).toBe(false);
    await expect(io!.to("late").timeout(200).emitWithAck("anyone")).resolves.toEqual([]);
  });

  it("reaches no socket still in its middlewares, and one refused there leaves its rooms", async () => {
    let io: Server | undefined;
    let refusedId: string | undefined;
    let waiting = 0;
    const url = await start(make, (server: Server) => {
      io = server;
      server.use((socket, next) => {
        socket.join("lobby");
        if (socket.handshake.auth.refuse) {
          refusedId = socket.id;
          next(new Error("refused"));
        } else {
          waiting++;
          setTimeout(next, 300);
        }
      });
    });
    const refused = client(url, { auth: { refuse: true }, reconnection: false });
    await new Promise((resolve) => refused.once("connect_error", resolve));
    expect(io!.of("/").adapter.rooms.get("lobby")?.has(refusedId!) ?? false).toBe(false);

    const slow = client(url);
    const heard: unknown[] = [];
    slow.on("news", (value: unknown) => heard.push(value));
    await expect.poll(() => waiting).toBe(1);
    expect(await io!.in("lobby").fetchSockets()).toEqual([]);
    io!.to("lobby").emit("news", "too early");
    await connected(slow);
    io!.to("lobby").emit("news", "in time");
    await expect.poll(() => heard).toEqual(["in time"]);
  });

  it("broadcasts from a dynamic parent through to(), except() and volatile, and copies its connect listeners", async () => {
    let connects = 0;
    let parent: ReturnType<Server["of"]> | undefined;
    const url = await start(make, (server: Server) => {
      parent = server.of(/^\/dynamic-\d+$/);
      parent.on("connect", () => connects++);
      parent.on("connection", (socket) => socket.join("members"));
    });
    const socket = client(`${url}/dynamic-1`);
    const heard: unknown[] = [];
    socket.on("news", (value: unknown) => heard.push(value));
    await connected(socket);
    await sleep(20); // the join in the connection listener may land a tick after connect
    parent!.to("members").emit("news", "to members");
    parent!.except("members").emit("news", "to the others");
    parent!.emit("news", "to all");
    await expect.poll(() => heard).toEqual(["to members", "to all"]);
    // Alone: socket.io drops a volatile packet while the WebSocket is still writing.
    parent!.volatile.emit("news", "volatile");
    await expect.poll(() => heard).toEqual(["to members", "to all", "volatile"]);
    expect(connects).toBe(1);
  });

  it("shows onAnyOutgoing a broadcast with the recovery offset appended, as a direct emit", async () => {
    let io: Server | undefined;
    let serverSocket: ServerSocket | undefined;
    const outgoing: unknown[][] = [];
    const url = await start(
      make,
      (server: Server) => {
        io = server;
        server.on("connection", (socket) => {
          serverSocket = socket;
          socket.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
        });
      },
      { connectionStateRecovery: {} },
    );
    const socket = client(url);
    const received = new Promise((resolve) => socket.on("news", resolve));
    await connected(socket);
    io!.emit("news", 1);
    serverSocket!.emit("direct", 2);
    await received;
    expect(outgoing.map((args) => args.length)).toEqual([3, 3]);
    expect(outgoing.map((args) => typeof args[2])).toEqual(["string", "string"]);
  });
});
