// Payloads a server would refuse: bigger than its maxPayload (maxHttpBufferSize), or circular.
// The server closes a connection that sends one, taking every packet in flight along, so the
// client refuses them itself: a clear error, the connection kept, nothing left registered.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { io, type Socket } from "../index.ts";
import {
  mockServer,
  type ServerFactory,
  socketIoServer,
  type TestServer,
} from "./server-factories.ts";

const MAX = 1000;
const sockets: Socket[] = [];
let server: TestServer | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

describe.each([
  ["socket.io", socketIoServer],
  ["@wireline/mock-server", mockServer],
] as Array<[string, ServerFactory]>)(
  "payloads the server would refuse, against %s",
  (_name, factory) => {
    /** A server accepting messages up to {@link MAX} bytes that echoes `echo` and records `seen`. */
    async function start(seen: string[] = []) {
      server = await factory({ maxHttpBufferSize: MAX }, (io) =>
        io.on("connection", (socket) => {
          socket.onAny((event: string, ...args: unknown[]) => {
            seen.push(event);
            const ack = args.at(-1);
            if (typeof ack === "function") ack("ok");
          });
        }),
      );
      return server.url;
    }

    function connect(url: string, transports: Array<"websocket" | "polling"> = ["websocket"]) {
      const socket = io(url, { forceNew: true, WebSocket, transports, autoConnect: false });
      sockets.push(socket);
      return socket;
    }

    const connected = (socket: Socket) =>
      new Promise<void>((resolve) => {
        socket.once("connect", () => resolve());
        socket.connect();
      });

    it("throws for an emit bigger than maxPayload, keeps the connection, registers no ack", async () => {
      const socket = connect(await start());
      await connected(socket);
      const acks: unknown[] = [];
      expect(() =>
        socket
          .timeout(50)
          .emit("big", "x".repeat(2 * MAX), (...args: unknown[]) => acks.push(args)),
      ).toThrow(
        /event "big" is \d+ bytes once encoded, more than the server accepts in one message \(maxPayload 1000\)/,
      );
      await expect(socket.emitWithAck("big", "y".repeat(2 * MAX))).rejects.toThrow(RangeError);
      await sleep(100);
      // Must: no ack called late by a timer left behind, and the connection still works.
      expect(acks).toEqual([]);
      expect(socket.connected).toBe(true);
      expect(await socket.emitWithAck("small", 1)).toBe("ok");
    });

    it("counts multi-byte characters and base64 binary over polling", async () => {
      const socket = connect(await start(), ["polling"]);
      await connected(socket);
      // 400 characters, 1,200 bytes in UTF-8.
      expect(() => socket.emit("text", "€".repeat(400))).toThrow(RangeError);
      // 900 bytes, 1,200 as base64 in a polling body.
      expect(() => socket.emit("bin", new Uint8Array(900))).toThrow(RangeError);
      expect(await socket.emitWithAck("bin", new Uint8Array(600))).toBe("ok");
      expect(socket.connected).toBe(true);
    });

    it("fails the ack of a queued emit that turns out too big once connected, and sends the rest", async () => {
      const seen: string[] = [];
      const socket = connect(await start(seen));
      const errors: Error[] = [];
      socket.io.on("error", (error) => errors.push(error));
      const tooBig = new Promise((resolve) =>
        socket.emit("big", "x".repeat(2 * MAX), (reply: unknown) => resolve(reply)),
      );
      socket.emit("big-no-ack", "x".repeat(2 * MAX));
      const small = socket.emitWithAck("small", 1);
      await connected(socket);
      expect(await tooBig).toBeInstanceOf(RangeError);
      expect(await small).toBe("ok");
      // Must: the one without an ack is reported, not dropped silently.
      expect(errors.map((error) => error.message)).toEqual([
        expect.stringMatching(/event "big-no-ack" is \d+ bytes/),
      ]);
      expect(seen).toEqual(["small"]);
      expect(socket.connected).toBe(true);
    });

    it("throws a TypeError for a circular payload, leaving no ack or timer behind", async () => {
      const socket = connect(await start());
      await connected(socket);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const acks: unknown[] = [];
      expect(() =>
        socket.timeout(30).emit("loop", circular, (...args: unknown[]) => acks.push(args)),
      ).toThrow(TypeError);
      await sleep(80);
      expect(acks).toEqual([]);
      expect(socket.connected).toBe(true);
    });
  },
);
