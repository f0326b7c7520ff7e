// The server socket's disconnect(reason, description) for each way a client goes, side by side
// with the official socket.io server.
import { describe, expect, it } from "vitest";
import type { Server, ServerSocket } from "../src/index.ts";
import { connected } from "./helpers.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

/** Starts a server; resolves with its URL and, per connection, its disconnect arguments. */
async function serverWatchingDisconnects(
  make: (typeof implementations)[number][1],
  options?: Record<string, unknown>,
) {
  const sockets: ServerSocket[] = [];
  const disconnects: Array<Promise<[string, unknown]>> = [];
  const url = await start(
    make,
    (server: Server) =>
      server.on("connection", (socket) => {
        sockets.push(socket);
        socket.on("leave-me", () => socket.disconnect());
        disconnects.push(
          new Promise((resolve) =>
            socket.on("disconnect", (reason: string, description?: unknown) =>
              resolve([reason, description]),
            ),
          ),
        );
      }),
    options,
  );
  return { url, sockets, disconnects };
}

describe.each(implementations)("%s", (_name, make) => {
  it("a WebSocket message over maxHttpBufferSize: 'transport error' with a TransportError", async () => {
    const { url, disconnects } = await serverWatchingDisconnects(make, { maxHttpBufferSize: 100 });
    const socket = client(url, { reconnection: false });
    await connected(socket);
    socket.emit("big", "x".repeat(1000));
    await expect.poll(() => disconnects.length).toBe(1);
    const [reason, description] = await disconnects[0]!;
    expect(reason).toBe("transport error");
    expect(description).toBeInstanceOf(Error);
    expect(description).toMatchObject({
      message: "RangeError: Max payload size exceeded",
      type: "TransportError",
    });
  });

  it("client and server namespace disconnects, and a closed transport, carry no description", async () => {
    const { url, disconnects } = await serverWatchingDisconnects(make);
    const leaving = client(url, { reconnection: false });
    const kicked = client(url, { reconnection: false });
    const dropped = client(url, { reconnection: false });
    await Promise.all([leaving, kicked, dropped].map(connected));
    leaving.disconnect();
    kicked.emit("leave-me");
    dropped.io.engine.close();
    await expect.poll(() => disconnects.length).toBe(3);
    const outcomes = await Promise.all(disconnects);
    expect(outcomes.sort()).toEqual([
      ["client namespace disconnect", undefined],
      ["server namespace disconnect", undefined],
      ["transport close", undefined],
    ]);
  });
});
