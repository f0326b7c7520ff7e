// How a namespace announces a socket, side by side with the official socket.io server.
import { describe, expect, it } from "vitest";
import type { Server } from "../src/index.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

describe.each(implementations)("%s", (_name, make) => {
  it("runs middlewares on a socket in no room, then emits connect before connection", async () => {
    const seen: string[] = [];
    const url = await start(make, (server: Server) => {
      server.use((socket, next) => {
        seen.push(`middleware: connected ${socket.connected}, ${socket.rooms.size} rooms`);
        next();
      });
      server.on("connect", (socket) => seen.push(`connect: ${socket.rooms.has(socket.id)}`));
      server.on("connection", () => seen.push("connection"));
    });
    const socket = client(url);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    expect(seen).toEqual(["middleware: connected false, 0 rooms", "connect: true", "connection"]);
  });

  it("drops an event whose socket disconnected before its listeners' turn (a tick later)", async () => {
    const heard: string[] = [];
    const url = await start(make, (server: Server) => {
      server.on("connection", (socket) => {
        // Catch-all listeners run at once; the event's own listeners a tick later.
        socket.onAny((event: string) => {
          if (event === "last") socket.disconnect();
        });
        socket.on("last", () => heard.push("last"));
        socket.on("first", (ack: () => void) => {
          heard.push("first");
          ack();
        });
      });
    });
    const socket = client(url, { reconnection: false });
    await socket.emitWithAck("first");
    socket.emit("last");
    await new Promise((resolve) => socket.once("disconnect", resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual(["first"]);
  });
});
