// nsp.adapter as scripts use socket.io's in-memory adapter: live rooms/sids and the room
// events, checked side by side with the official socket.io server.
import { describe, expect, it } from "vitest";
import type { Server, ServerSocket } from "../src/index.ts";
import { connected } from "./helpers.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

describe.each(implementations)("%s", (_name, make) => {
  it("emits create-room, join-room, leave-room and delete-room, and keeps rooms and sids live", async () => {
    let io: Server | undefined;
    let serverSocket: ServerSocket | undefined;
    const events: string[] = [];
    const url = await start(make, (server: Server) => {
      io = server;
      const adapter = server.of("/").adapter;
      adapter.on("create-room", (room: string) => events.push(`create ${room}`));
      adapter.on("join-room", (room: string, id: string) => events.push(`join ${room} ${id}`));
      adapter.on("leave-room", (room: string, id: string) => events.push(`leave ${room} ${id}`));
      adapter.on("delete-room", (room: string) => events.push(`delete ${room}`));
      server.on("connection", (socket) => {
        serverSocket = socket;
      });
    });
    const socket = client(url);
    await connected(socket);
    const id = serverSocket!.id;
    const { rooms, sids } = io!.of("/").adapter; // read once: they are live
    serverSocket!.join(["game", "chat"]);
    serverSocket!.join("game");
    expect(rooms.get("game")).toEqual(new Set([id]));
    expect(sids.get(id)).toEqual(new Set([id, "game", "chat"]));
    expect(serverSocket!.rooms).toEqual(new Set([id, "game", "chat"]));
    serverSocket!.leave("chat");
    expect(rooms.has("chat")).toBe(false);
    socket.disconnect();
    await expect.poll(() => sids.has(id)).toBe(false);
    expect(events).toEqual([
      `create ${id}`,
      `join ${id} ${id}`,
      "create game",
      `join game ${id}`,
      "create chat",
      `join chat ${id}`,
      `leave chat ${id}`,
      "delete chat",
      `leave ${id} ${id}`,
      `delete ${id}`,
      `leave game ${id}`,
      "delete game",
    ]);
  });
});
