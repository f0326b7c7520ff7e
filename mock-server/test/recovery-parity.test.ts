// Connection state recovery around the namespace's middlewares, side by side with the official
// socket.io server, as socket.io-client sees it: socket.io sends a restored socket's missed
// events as it makes the socket, before the middlewares run and before its CONNECT reply.
import type { Socket } from "socket.io-client";
import { describe, expect, it, vi } from "vitest";
import type { Server, ServerSocket } from "../src/index.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

type Recording = Socket & { heard: string[] };

/** Resolves at the next `event` of `target`. */
const next = (target: { once(event: string, listener: () => void): unknown }, event: string) =>
  new Promise<void>((resolve) => target.once(event, resolve));

/** A client recording in order its events (name and first argument), connects and refusals. */
function recordingClient(url: string): Recording {
  const socket = client(url, { reconnectionDelay: 20, reconnectionDelayMax: 50 }) as Recording;
  socket.heard = [];
  socket.onAny((event: string, first: unknown) => socket.heard.push(`${event} ${first}`));
  socket.on("connect", () => socket.heard.push(`connect recovered=${socket.recovered}`));
  socket.on("connect_error", (error) => socket.heard.push(`connect_error ${error.message}`));
  return socket;
}

/**
 * Connects, gives the client an offset (event `a`), then closes its connection from the server
 * (a lost connection: the session is kept) and sends `b`, which the client misses.
 */
async function connectThenDrop(io: Server, socket: Recording): Promise<void> {
  await next(socket, "connect");
  io.emit("a", 1);
  await vi.waitFor(() => expect(socket.heard).toContain("a 1"));
  const [first] = await io.fetchSockets();
  first!.conn.close();
  await next(socket, "disconnect");
  io.emit("b", 2);
}

/** What the client hears up to the drop of {@link connectThenDrop}. */
const BEFORE_DROP = ["connect recovered=false", "a 1"];

/** Starts a server with recovery that runs middlewares on restored sockets too. */
async function startServer(
  make: (typeof implementations)[number][1],
  setup: (io: Server) => void,
): Promise<{ url: string; io: Server }> {
  let io: Server | undefined;
  const url = await start(
    make,
    (server: Server) => {
      io = server;
      setup(server);
    },
    { connectionStateRecovery: { skipMiddlewares: false } },
  );
  return { url, io: io! };
}

describe.each(implementations)("connection state recovery and middlewares on %s", (_n, make) => {
  it("sends a restored socket what it missed while its middleware still runs", async () => {
    let release = () => {};
    const { url, io } = await startServer(make, (server) =>
      server.use((socket, proceed) => {
        if (socket.recovered) release = proceed;
        else proceed();
      }),
    );
    const socket = recordingClient(url);
    await connectThenDrop(io, socket);

    // The middleware holds the restored socket: the client already holds what it missed.
    await vi.waitFor(() => expect(socket.receiveBuffer.map(([event]) => event)).toEqual(["b"]));
    expect(socket.heard).toEqual(BEFORE_DROP);
    release();
    await next(socket, "connect");
    expect(socket.heard).toEqual([...BEFORE_DROP, "b 2", "connect recovered=true"]);
  });

  it("has sent what was missed when a middleware refuses the restored socket", async () => {
    let refuse = true;
    const { url, io } = await startServer(make, (server) =>
      server.use((socket, proceed) => {
        if (socket.recovered && refuse) proceed(new Error("not now"));
        else proceed();
      }),
    );
    const socket = recordingClient(url);
    await connectThenDrop(io, socket);

    await next(socket, "connect_error");
    // The refused socket's missed events came before the CONNECT_ERROR; the client keeps them.
    expect(socket.receiveBuffer.map(([event]) => event)).toEqual(["b"]);
    refuse = false;
    socket.connect();
    await next(socket, "connect");
    // socket.io-client advances its offset only for events it handed over, so the next restore
    // sends `b` again: it reaches the listeners twice, as with socket.io.
    expect(socket.heard).toEqual([
      ...BEFORE_DROP,
      "connect_error not now",
      "b 2",
      "b 2",
      "connect recovered=true",
    ]);
  });

  it("logs, but does not send, what a middleware emits to its socket; a later restore replays it", async () => {
    const outgoing: string[] = [];
    const { url, io } = await startServer(make, (server) =>
      server.use((socket: ServerSocket, proceed) => {
        socket.onAnyOutgoing((event: string) => outgoing.push(event));
        socket.emit("from middleware", socket.recovered);
        proceed();
      }),
    );
    const socket = recordingClient(url);
    await connectThenDrop(io, socket);
    await next(socket, "connect");
    const [second] = await io.fetchSockets();
    second!.conn.close();
    await next(socket, "disconnect");
    await next(socket, "connect");

    expect(socket.heard).toEqual([
      ...BEFORE_DROP,
      "b 2",
      "connect recovered=true",
      // Emitted in the middleware of the first restore: logged after `b`, the client's offset.
      "from middleware true",
      "connect recovered=true",
    ]);
    // Sent only once the socket is connected: its outgoing listeners heard none of them.
    expect(outgoing).not.toContain("from middleware");
  });
});
