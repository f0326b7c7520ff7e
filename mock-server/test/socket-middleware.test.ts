// socket.use and the new_namespace event, checked side by side with the official socket.io
// server: the same script must observe the same thing on both.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Server } from "../src/index.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();
afterEach(() => vi.restoreAllMocks());

describe.each(implementations)("%s", (_name, make) => {
  it("runs socket.use middlewares in order before listeners, and a refusal becomes an error event", async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const url = await start(make, (server: Server) => {
      server.on("connection", (socket) => {
        socket.use(([event], next) => {
          seen.push(`first:${String(event)}`);
          next();
        });
        socket.use(([event], next) => {
          seen.push(`second:${String(event)}`);
          next(event === "forbidden" ? new Error("not allowed") : undefined);
        });
        socket.on("error", (error: Error) => errors.push(error.message));
        socket.on("allowed", (value: unknown, ack: (reply: unknown) => void) => {
          seen.push(`listener:${String(value)}`);
          ack(value);
        });
        socket.on("forbidden", () => seen.push("listener:forbidden"));
      });
    });
    const socket = client(url);
    socket.emit("forbidden");
    expect(await socket.emitWithAck("allowed", 1)).toBe(1);
    await expect.poll(() => errors).toEqual(["not allowed"]);
    expect(seen).toEqual([
      "first:forbidden",
      "second:forbidden",
      "first:allowed",
      "second:allowed",
      "listener:1",
    ]);
  });

  it("lets a middleware see and rewrite the event's arguments", async () => {
    const url = await start(make, (server: Server) => {
      server.on("connection", (socket) => {
        socket.use((packet, next) => {
          if (typeof packet[1] === "string") packet[1] = packet[1].toUpperCase();
          next();
        });
        socket.on("shout", (text: string, ack: (reply: string) => void) => ack(text));
      });
    });
    expect(await client(url).emitWithAck("shout", "hi")).toBe("HI");
  });

  it("tells onAny of every event before the middlewares refuse or rewrite it", async () => {
    const heard: unknown[][] = [];
    const url = await start(make, (server: Server) => {
      server.on("connection", (socket) => {
        socket.onAny((...args: unknown[]) => heard.push(args.slice()));
        socket.use((packet, next) => {
          if (packet[0] === "forbidden") return next(new Error("not allowed"));
          packet[1] = "rewritten";
          next();
        });
        socket.on("error", () => undefined);
        socket.on("allowed", (_value: unknown, ack: (reply: unknown) => void) => ack("done"));
      });
    });
    const socket = client(url);
    socket.emit("forbidden", 1);
    expect(await socket.emitWithAck("allowed", "original")).toBe("done");
    expect(heard.map(([event, value]) => [event, value])).toEqual([
      ["forbidden", 1],
      ["allowed", "original"],
    ]);
  });

  it("emits new_namespace for namespaces made by of() and by clients of dynamic ones", async () => {
    const created: string[] = [];
    const url = await start(make, (server: Server) => {
      server.on("new_namespace", (namespace) => created.push(namespace.name));
      server.of("/static");
      server.of(/^\/room-\d+$/);
    });
    const socket = client(`${url}/room-7`);
    await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
    expect(created).toEqual(["/static", "/room-7"]);
  });

  it("adopts a dynamic namespace once when a slow matcher lets two clients in at the same time", async () => {
    const answers: Array<() => void> = [];
    let middlewareRuns = 0;
    let connections = 0;
    const url = await start(make, (server: Server) => {
      // Answers no client until both asked, so both wait on the matcher together.
      const parent = server.of((_name, _auth, next) => {
        answers.push(() => next(null, true));
        if (answers.length === 2) for (const answer of answers) answer();
      });
      parent.use((_socket, next) => {
        middlewareRuns++;
        next();
      });
      parent.on("connection", () => connections++);
    });
    const sockets = [client(`${url}/slow`), client(`${url}/slow`)];
    await Promise.all(
      sockets.map(
        (socket) => new Promise((resolve) => socket.once("connect", () => resolve(undefined))),
      ),
    );
    // Must run the parent's middleware and connection listener once per client, not twice.
    expect(middlewareRuns).toBe(2);
    expect(connections).toBe(2);
  });
});

describe("@wireline/mock-server without an error listener", () => {
  it("logs a refused event instead of throwing, and the socket keeps working", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const url = await start(implementations[0]![1], (server: Server) => {
      server.on("connection", (socket) => {
        socket.use(([event], next) => next(event === "bad" ? new Error("refused") : undefined));
        socket.on("good", (ack: (reply: string) => void) => ack("ok"));
      });
    });
    const socket = client(url);
    socket.emit("bad");
    expect(await socket.emitWithAck("good")).toBe("ok");
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining('no "error" listener'),
      expect.any(Error),
    );
  });
});

describe("serverSideEmit on a server that is alone", () => {
  it("reaches no one, answers an ack with no replies, and refuses reserved names", async () => {
    const server = new Server();
    const heard: unknown[] = [];
    server.on("connection", (socket) => socket.onAny((...args: unknown[]) => heard.push(args)));
    expect(server.serverSideEmit("sync", 1)).toBe(true);
    await expect(server.serverSideEmitWithAck("sync", 2)).resolves.toEqual([]);
    await expect(server.of("/admin").serverSideEmitWithAck("sync")).resolves.toEqual([]);
    const replies = await new Promise((resolve) =>
      server.serverSideEmit("sync", (error: Error | null, list: unknown[]) =>
        resolve([error, list]),
      ),
    );
    expect(replies).toEqual([null, []]);
    expect(() => server.serverSideEmit("disconnect")).toThrow(/reserved event name/);
    // As every emit: a name that is no string or number is a slip, not a message.
    expect(() => server.serverSideEmit({} as never)).toThrow(
      new TypeError("Wireline: an event name is a string, got object."),
    );
    expect(heard).toEqual([]);
    await server.close();
  });
});
