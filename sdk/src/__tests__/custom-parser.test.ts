// socket.io-client's `parser` option: a Socket.IO parser module (here socket.io-msgpack-parser,
// binary MessagePack frames) replaces the built-in JSON parser on both ends. Same setup as the
// compat*.test.ts files: socket.io-client and @wireline/sdk, against socket.io and
// @wireline/mock-server given the same parser.
import { EventEmitter } from "node:events";
import type { Server } from "socket.io";
import * as msgpackParser from "socket.io-msgpack-parser";
import { describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { io } from "../index.ts";
import { matrix, next, servers, startServer, useCompatEnv } from "./compat-helpers.ts";

const parser = msgpackParser as never;

function handlers(server: Server): void {
  server.use((socket, next) => {
    if (socket.handshake.auth.token === "bad") {
      const error = new Error("not authorized") as Error & { data?: unknown };
      error.data = { retry: false };
      return next(error);
    }
    next();
  });
  server.on("connection", (socket) => {
    socket.on("echo", (...args: unknown[]) => {
      const callback = args.pop();
      if (typeof callback === "function") callback(...args);
    });
    socket.on("ask back", async (question: string, callback: (answer: unknown) => void) => {
      callback(await socket.emitWithAck("question", question));
    });
    socket.on("kick", () => socket.disconnect());
    socket.on("garbage", () => socket.conn.send("not a MessagePack frame"));
  });
  server.of("/admin").on("connection", (socket) => {
    socket.on("whereami", (callback: (nsp: string) => void) => callback(socket.nsp.name));
  });
}

describe.each(matrix)(
  "the parser option (socket.io-msgpack-parser) with %s",
  (_name, client, kind) => {
    const env = useCompatEnv(client, kind);
    const start = () => env.startServer({ parser }, handlers);

    it.each([["websocket"], ["polling"]])(
      "connects and exchanges events and acks over %s, nested data intact",
      async (transport) => {
        const server = await start();
        const socket = env.lookup(server.url, { forceNew: true, parser, transports: [transport] });
        await env.connected(socket);
        const payload = { list: [1, "two", { three: 3 }], flag: true, nothing: null };
        const echoed = await socket.emitWithAck("echo", payload, "second");
        expect(echoed).toEqual(payload);
        socket.on("question", (question: string, callback: (answer: string) => void) =>
          callback(`answer to ${question}`),
        );
        expect(await socket.emitWithAck("ask back", "life")).toBe("answer to life");
      },
    );

    it("carries binary both ways, nested in the arguments", async () => {
      const server = await start();
      const socket = env.lookup(server.url, { forceNew: true, parser });
      await env.connected(socket);
      const bytes = new Uint8Array([1, 2, 3, 250]);
      const reply = (await socket.emitWithAck("echo", { file: bytes })) as { file: unknown };
      // The parser decides the binary type (MessagePack's bin type): the same for both clients.
      const file = reply.file as ArrayBuffer | Uint8Array;
      expect([...new Uint8Array(file instanceof ArrayBuffer ? file : file.slice())]).toEqual([
        1, 2, 3, 250,
      ]);
    });

    it("connects to a namespace, and hands a middleware's error with its data to connect_error", async () => {
      const server = await start();
      const admin = env.lookup(`${server.url}/admin`, { forceNew: true, parser });
      await env.connected(admin);
      expect(await admin.emitWithAck("whereami")).toBe("/admin");
      const refused = env.lookup(server.url, { forceNew: true, parser, auth: { token: "bad" } });
      const error = await next<Error & { data?: unknown }>(refused, "connect_error");
      expect(error.message).toBe("not authorized");
      expect(error.data).toEqual({ retry: false });
    });

    it('reports a server disconnect as "io server disconnect"', async () => {
      const server = await start();
      const socket = env.lookup(server.url, { forceNew: true, parser });
      await env.connected(socket);
      socket.emit("kick");
      expect(await next(socket, "disconnect")).toBe("io server disconnect");
    });

    it('drops the connection with "parse error" when a frame is not what the parser reads', async () => {
      const server = await start();
      const socket = env.lookup(server.url, { forceNew: true, parser, reconnection: false });
      await env.connected(socket);
      socket.emit("garbage");
      expect(await next(socket, "disconnect")).toBe("parse error");
    });
  },
);

/**
 * A parser whose messages are JSON lists of packets: one message may complete several packets
 * (its encoder writes one per message; a server can write more).
 */
const listParser = {
  Encoder: class {
    encode(packet: object) {
      return [JSON.stringify([packet])];
    }
  },
  Decoder: class extends EventEmitter {
    add(chunk: string) {
      for (const packet of JSON.parse(chunk)) this.emit("decoded", packet);
    }
    destroy() {}
  },
} as never;

/** One message of {@link listParser} holding an event per value, in the default namespace. */
const eventsMessage = (event: string, values: number[]) =>
  JSON.stringify(values.map((value) => ({ type: 2, nsp: "/", data: [event, value] })));

describe.each(matrix)(
  "a parser completing several packets in one message, %s",
  (_, client, kind) => {
    const env = useCompatEnv(client, kind);

    it("hands on every packet of the message, in order, both ways", async () => {
      const server = await env.startServer({ parser: listParser }, (io) =>
        io.on("connection", (socket) => {
          const tally: number[] = [];
          socket.on("burst", () => socket.conn.send(eventsMessage("n", [1, 2, 3])));
          socket.on("tally", (value: number) => {
            tally.push(value);
            if (tally.length === 3) socket.emit("tallied", tally);
          });
        }),
      );
      const socket = env.lookup(server.url, { forceNew: true, parser: listParser });
      await env.connected(socket);
      const received: number[] = [];
      socket.on("n", (value: number) => received.push(value));
      socket.emit("burst");
      await vi.waitFor(() => expect(received).toEqual([1, 2, 3]));
      const tallied = next(socket, "tallied");
      socket.io.engine.send(eventsMessage("tally", [4, 5, 6]));
      expect(await tallied).toEqual([4, 5, 6]);
    });
  },
);

describe("the parser option's checks", () => {
  it("refuses a value without Encoder and Decoder classes, saying what it takes", () => {
    expect(() =>
      io("http://127.0.0.1:9", { WebSocket, autoConnect: false, parser: {} as never }),
    ).toThrow(
      /option "parser" must be a parser module with Encoder and Decoder classes .*socket\.io-msgpack-parser/,
    );
  });

  it("gives the parser's own complaint, in a DecodeError, to the Manager's error event", async () => {
    const { createServer } = await import("node:http");
    const { Server: SocketIoServer } = await import("socket.io");
    const http = createServer();
    const server = new SocketIoServer(http, { parser });
    handlers(server);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as { port: number };
    const socket = io(`http://127.0.0.1:${port}`, {
      WebSocket,
      forceNew: true,
      parser,
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      const error = new Promise<Error & { code?: string }>((resolve) =>
        socket.io.once("error", resolve),
      );
      socket.emit("garbage");
      expect(await error).toMatchObject({
        name: "DecodeError",
        code: "INVALID_PAYLOAD",
        message: expect.stringMatching(/the parser refused it: /),
      });
    } finally {
      socket.disconnect();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

// A server with socket.io-msgpack-parser can send what the built-in JSON decoder refuses: the
// client must refuse it the same way (socket.io-client throws, or hands the app forged events).
describe("packets the built-in decoder refuses, from a socket.io server with the parser", () => {
  const [, socketIo] = servers[0]!;
  /** A MessagePack frame holding `packet` as it is (its typings say one buffer; it is a list). */
  const frame = (packet: object) =>
    (new msgpackParser.Encoder().encode(packet) as unknown as Buffer[])[0];

  /** Our client, against a socket.io server whose `setup` sends what a test needs. */
  async function connectTo(setup: (io: Server) => void) {
    const server = await startServer(socketIo, { parser }, setup);
    const socket = io(server.url, { WebSocket, forceNew: true, parser, reconnection: false });
    const seen: unknown[][] = [];
    socket.on("connect", () => seen.push(["connect", socket.connected]));
    socket.on("connect_error", (error) => seen.push(["connect_error", error.message]));
    socket.on("disconnect", (reason) => seen.push(["disconnect", reason, socket.connected]));
    socket.onAny((...args) => seen.push(["any", ...args]));
    const errors: Array<Error & { code?: string; packet?: unknown }> = [];
    socket.io.on("error", (error) => errors.push(error));
    const close = async () => {
      socket.disconnect();
      await server.close();
    };
    return { socket, seen, errors, close };
  }

  it("drops the connection as a parse error over an event named by an object, throwing nothing", async () => {
    const { socket, seen, errors, close } = await connectTo((server) =>
      server.on("connection", (peer) => {
        peer.conn.send(frame({ type: 2, nsp: "/", data: [{ toString: 1 }, "x"] }));
        peer.conn.send(frame({ type: 2, nsp: "/", data: ["later"] }));
      }),
    );
    try {
      await next(socket, "disconnect");
      expect(seen).toEqual([
        ["connect", true],
        ["disconnect", "parse error", false],
      ]);
      expect(errors).toEqual([
        expect.objectContaining({
          name: "DecodeError",
          code: "INVALID_PAYLOAD",
          message: expect.stringMatching(/first element \(its name\) must be a string/),
          packet: undefined,
        }),
      ]);
    } finally {
      await close();
    }
  });

  it("reports such an event sent before the CONNECT reply as connect_error", async () => {
    const { socket, seen, errors, close } = await connectTo((server) =>
      server.use((peer, next) => {
        peer.conn.send(frame({ type: 2, nsp: "/", data: [{ toString: 1 }] }));
        next();
      }),
    );
    try {
      const error = await next<Error & { code?: string }>(socket, "connect_error");
      expect(error).toMatchObject({ name: "DecodeError", code: "INVALID_PAYLOAD" });
      expect(errors).toEqual([error]);
      expect(seen).toEqual([["connect_error", error.message]]);
      expect(socket.connected).toBe(false);
    } finally {
      await close();
    }
  });

  it.each([["connect"], ["connect_error"], ["disconnect"]])(
    'hands no forged "%s" event to the app: the connection ends as a parse error',
    async (name) => {
      const { socket, seen, errors, close } = await connectTo((server) =>
        server.on("connection", (peer) =>
          peer.conn.send(frame({ type: 2, nsp: "/", data: [name, "io server disconnect"] })),
        ),
      );
      try {
        await next(socket, "disconnect");
        expect(seen).toEqual([
          ["connect", true],
          ["disconnect", "parse error", false],
        ]);
        expect(errors.map((error) => error.message)).toEqual([
          expect.stringMatching(new RegExp(`"${name}" is a reserved event name`)),
        ]);
      } finally {
        await close();
      }
    },
  );
});
