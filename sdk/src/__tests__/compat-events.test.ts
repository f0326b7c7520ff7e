// The documented examples of socket.io-client about events (emitting, acknowledgements,
// listening, catch-all listeners, binary data, offline buffering, delivery guarantees), run
// against socket.io-client itself and against @wireline/sdk: the same code, only the import
// differs. See compat-helpers.ts.
import { describe, expect, it } from "vitest";
import { matrix, next, useCompatEnv } from "./compat-helpers.ts";

const bytes = (data: unknown) => Array.from(new Uint8Array(data as ArrayBuffer));

/**
 * Collects what the process reports as uncaught (where both clients report what a listener
 * threw) for the length of one test, instead of the test runner failing on it.
 */
function catchUncaught(): { errors: Error[]; restore(): void } {
  const runners = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  const errors: Error[] = [];
  process.on("uncaughtException", (error) => errors.push(error));
  return {
    errors,
    restore() {
      process.removeAllListeners("uncaughtException");
      for (const listener of runners) process.on("uncaughtException", listener);
    },
  };
}

describe.each(matrix)("documented socket.io-client events with %s", (_name, client, server) => {
  const env = useCompatEnv(client, server);

  describe("emitting events", () => {
    it("emit with several arguments of any serializable type", async () => {
      const socket = env.open();
      await env.connected(socket);
      socket.emit("update", 1, "2", { 3: "4", 5: [true, null] });
      await expect
        .poll(() => env.server.received)
        .toContainEqual(["update", 1, "2", { 3: "4", 5: [true, null] }]);
    });

    it("emit with an acknowledgement callback", async () => {
      const socket = env.open();
      const response = await new Promise((resolve) =>
        socket.emit("echo", "1", { name: "updated" }, (...args: unknown[]) => resolve(args)),
      );
      expect(response).toEqual(["1", { name: "updated" }]);
    });

    it("acknowledgement from the client: the server's emitWithAck gets the callback's reply", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      socket.on("ask", (n: number, callback: (reply: number) => void) => callback(n + 1));
      await env.connected(socket);
      await expect((await serverSocket).emitWithAck("ask", 41)).resolves.toBe(42);
    });

    it("emitWithAck resolves with the server's reply", async () => {
      const socket = env.open();
      const response = await socket.emitWithAck("hello", "promise");
      expect(response).toBe("got promise");
    });

    it("timeout(ms).emit: error-first callback with the reply", async () => {
      const socket = env.open();
      const [err, response] = await new Promise<unknown[]>((resolve) =>
        socket.timeout(2000).emit("hello", "t", (...args: unknown[]) => resolve(args)),
      );
      expect(err).toBeNull();
      expect(response).toBe("got t");
    });

    it("timeout(ms).emit: the callback gets an Error when the other side does not ack", async () => {
      const socket = env.open();
      await env.connected(socket);
      const err = await new Promise<unknown>((resolve) =>
        socket.timeout(50).emit("no-ack", (err: Error) => resolve(err)),
      );
      expect(err).toBeInstanceOf(Error);
    });

    it("timeout(ms).emitWithAck rejects when the other side does not ack", async () => {
      const socket = env.open();
      await env.connected(socket);
      await expect(socket.timeout(50).emitWithAck("no-ack")).rejects.toBeInstanceOf(Error);
      await expect(socket.timeout(1000).emitWithAck("hello", "ok")).resolves.toBe("got ok");
    });

    it("volatile.emit while disconnected is dropped, not buffered", async () => {
      const socket = env.open("", { autoConnect: false });
      socket.volatile.emit("volatile-event", 1);
      socket.emit("buffered-event", 2);
      expect(socket.sendBuffer).toHaveLength(1);
      socket.connect();
      await expect.poll(() => env.server.received).toContainEqual(["buffered-event", 2]);
      expect(env.server.received).not.toContainEqual(["volatile-event", 1]);
      // socket.io-client also drops a volatile packet while its transport is busy writing
      // (a polling POST or an upgrade in flight), so one try may be lost: try until one lands.
      await expect
        .poll(() => {
          socket.volatile.emit("volatile-event", 3);
          return env.server.received;
        })
        .toContainEqual(["volatile-event", 3]);
    });

    it("compress(false).emit still delivers the event", async () => {
      const socket = env.open();
      await expect(socket.compress(false).emitWithAck("hello", "raw")).resolves.toBe("got raw");
    });

    it('send() emits a "message" event; the server\'s send() reaches on("message")', async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      await env.connected(socket);
      socket.send("hi", 1);
      await expect.poll(() => env.server.received).toContainEqual(["message", "hi", 1]);
      const message = next(socket, "message");
      (await serverSocket).send("hello back");
      expect(await message).toBe("hello back");
    });

    it("reserved event names cannot be emitted", async () => {
      const socket = env.open("", { autoConnect: false });
      for (const name of ["connect", "connect_error", "disconnect", "disconnecting"]) {
        expect(() => socket.emit(name as never)).toThrow();
      }
    });

    it("events are received in the order they were emitted", async () => {
      const socket = env.open();
      await env.connected(socket);
      for (let i = 1; i <= 20; i++) socket.emit("ordered", i);
      await expect
        .poll(() => env.server.received.filter(([event]) => event === "ordered").length)
        .toBe(20);
      const order = env.server.received.filter(([e]) => e === "ordered").map(([, i]) => i);
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });

  describe("binary data", () => {
    it("ArrayBuffer, Buffer and typed arrays from the client arrive as Buffers", async () => {
      const socket = env.open();
      const payload = {
        buffer: Uint8Array.from([1, 2]).buffer,
        nodeBuffer: Buffer.from([3, 4]),
        typed: Uint8Array.from([5, 6]),
        nested: [{ more: Uint16Array.from([7]) }],
      };
      const received = new Promise<unknown[]>((resolve) =>
        env.server.io.on("connection", (s) => s.on("binary", (...args) => resolve(args))),
      );
      socket.emit("binary", "label", payload);
      const [label, data] = (await received) as [string, Record<string, unknown>];
      expect(label).toBe("label");
      expect(Buffer.isBuffer(data.buffer)).toBe(true);
      expect(bytes(data.buffer)).toEqual([1, 2]);
      expect(bytes(data.nodeBuffer)).toEqual([3, 4]);
      expect(bytes(data.typed)).toEqual([5, 6]);
      const [nested] = data.nested as Array<{ more: unknown }>;
      expect(bytes(nested?.more)).toEqual([7, 0]);
    });

    it("binary from the server arrives with its bytes, in place", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      await env.connected(socket);
      const received = new Promise<unknown[]>((resolve) =>
        socket.on("binary", (...args) => resolve(args)),
      );
      (await serverSocket).emit("binary", 1, "2", { 3: "4", 5: Buffer.from([6]) });
      const [a, b, c] = (await received) as [number, string, Record<string, unknown>];
      expect(a).toBe(1);
      expect(b).toBe("2");
      expect(c[3]).toBe("4");
      expect(bytes(c[5])).toEqual([6]);
      // In Node, as a Buffer (socket.io-client's engine reads binary as "nodebuffer").
      expect(Buffer.isBuffer(c[5])).toBe(true);
    });

    it("binary in acknowledgements, both ways", async () => {
      const socket = env.open();
      const reply = await socket.emitWithAck("echo", Uint8Array.from([9, 8]));
      expect(bytes(reply)).toEqual([9, 8]);
    });

    it("binary over HTTP long-polling", async () => {
      const socket = env.open("", { transports: ["polling"] });
      const reply = await socket.emitWithAck("echo", Buffer.from([1, 2, 3]));
      expect(bytes(reply)).toEqual([1, 2, 3]);
    });
  });

  describe("listening to events", () => {
    it("once() listens to one event only", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      const calls: unknown[] = [];
      socket.once("details", (arg) => calls.push(arg));
      await env.connected(socket);
      const s = await serverSocket;
      s.emit("details", 1);
      s.emit("details", 2);
      s.emit("done");
      await next(socket, "done");
      expect(calls).toEqual([1]);
    });

    it('event names compare as strings: on(1) hears the server\'s "1", on("2") its 2', async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      const heard: unknown[] = [];
      socket.on(1 as never, (value: unknown) => void heard.push(["on(1)", value]));
      socket.on("2", (value: unknown) => void heard.push(['on("2")', value]));
      await env.connected(socket);
      const server = await serverSocket;
      server.emit("1", "a");
      (server.emit as (event: unknown, ...args: unknown[]) => boolean)(2, "b");
      await expect
        .poll(() => heard)
        .toEqual([
          ["on(1)", "a"],
          ['on("2")', "b"],
        ]);
      expect(socket.listeners("1")).toHaveLength(1);
      socket.off("1");
      expect(socket.listeners(1 as never)).toHaveLength(0);
    });

    it("a listener that throws: reported as uncaught, and later events and acks still come", async () => {
      const caught = catchUncaught();
      try {
        const serverSocket = env.server.nextSocket();
        const socket = env.open();
        const news: string[] = [];
        socket.on("news", (text: string) => {
          if (text === "boom") throw new Error("listener bug");
          news.push(text);
        });
        await env.connected(socket);
        const server = await serverSocket;
        server.emit("news", "boom");
        server.emit("news", "after");
        await expect.poll(() => news).toEqual(["after"]);
        await expect(socket.timeout(2000).emitWithAck("hello", "still")).resolves.toBe("got still");
        expect(caught.errors.map((error) => error.message)).toEqual(["listener bug"]);
      } finally {
        caught.restore();
      }
    });

    it("a connect listener or an ack callback that throws does not stop the socket", async () => {
      const caught = catchUncaught();
      try {
        const socket = env.open();
        // First: socket.io-client calls no listener after one that threw (Wireline does).
        const connected = env.connected(socket);
        socket.on("connect", () => {
          throw new Error("connect bug");
        });
        await connected;
        socket.emit("hello", "x", () => {
          throw new Error("ack bug");
        });
        await expect(socket.timeout(2000).emitWithAck("hello", "y")).resolves.toBe("got y");
        await expect
          .poll(() => caught.errors.map((error) => error.message))
          .toEqual(["connect bug", "ack bug"]);
      } finally {
        caught.restore();
      }
    });

    it("off(event, listener), off(event) and removeAllListeners()", async () => {
      const socket = env.open("", { autoConnect: false });
      const first = () => {};
      const second = () => {};
      socket.on("details", first);
      socket.on("details", second);
      socket.on("other", first);
      expect(socket.listeners("details")).toEqual([first, second]);
      socket.off("details", first);
      expect(socket.listeners("details")).toEqual([second]);
      socket.off("details");
      expect(socket.listeners("details")).toEqual([]);
      socket.on("details", first);
      socket.removeAllListeners("details");
      expect(socket.listeners("details")).toEqual([]);
      expect(socket.listeners("other")).toEqual([first]);
      socket.removeAllListeners();
      expect(socket.listeners("other")).toEqual([]);
    });

    it("off() removes a once() listener given the original function", async () => {
      const socket = env.open("", { autoConnect: false });
      const listener = () => {};
      socket.once("details", listener);
      expect(socket.listeners("details")).toHaveLength(1);
      socket.off("details", listener);
      expect(socket.listeners("details")).toHaveLength(0);
    });

    it("a removed listener is no longer called", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      const calls: unknown[] = [];
      const listener = (arg: unknown) => calls.push(arg);
      socket.on("details", listener);
      await env.connected(socket);
      const s = await serverSocket;
      s.emit("details", 1);
      await expect.poll(() => calls).toEqual([1]);
      socket.off("details", listener);
      s.emit("details", 2);
      s.emit("done");
      await next(socket, "done");
      socket.on("details", (arg) => calls.push(`again ${arg}`));
      s.emit("details", 3);
      await expect.poll(() => calls).toEqual([1, "again 3"]);
    });

    it("events the server emits before the connect listener runs are not lost", async () => {
      const socket = env.open();
      const greeting = next(socket, "greeting");
      await env.connected(socket);
      expect(await greeting).toBe("welcome");
    });
  });

  describe("catch-all listeners", () => {
    it("onAny receives every incoming event; listenersAny, offAny(listener), offAny()", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      const seen: unknown[] = [];
      const listener = (event: string, ...args: unknown[]) => seen.push([event, ...args]);
      socket.onAny(listener);
      await next(socket, "greeting");
      expect(seen).toEqual([["greeting", "welcome"]]);
      expect(socket.listenersAny()).toEqual([listener]);
      const other = () => {};
      socket.onAny(other);
      socket.offAny(listener);
      expect(socket.listenersAny()).toEqual([other]);
      socket.offAny();
      expect(socket.listenersAny()).toEqual([]);
      (await serverSocket).emit("after", 1);
      await new Promise((resolve) => socket.once("after", resolve));
      expect(seen).toHaveLength(1);
    });

    it("offAny(listener) and offAnyOutgoing(listener) remove one copy of a listener added twice", async () => {
      const socket = env.open("", { autoConnect: false });
      const listener = () => {};
      socket.onAny(listener);
      socket.onAny(listener);
      socket.offAny(listener);
      expect(socket.listenersAny()).toEqual([listener]);
      socket.onAnyOutgoing(listener);
      socket.onAnyOutgoing(listener);
      socket.offAnyOutgoing(listener);
      expect(socket.listenersAnyOutgoing()).toEqual([listener]);
    });

    it("prependAny runs before the onAny listeners", async () => {
      const socket = env.open();
      const order: string[] = [];
      socket.onAny(() => order.push("onAny"));
      socket.prependAny(() => order.push("prependAny"));
      await next(socket, "greeting");
      expect(order).toEqual(["prependAny", "onAny"]);
      expect(socket.listenersAny()).toHaveLength(2);
    });

    it("onAny runs before the event's own listeners and gets the ack callback", async () => {
      const serverSocket = env.server.nextSocket();
      const socket = env.open();
      const order: string[] = [];
      socket.onAny((event, ...args) => {
        if (event === "question") order.push(`any ${event} ${typeof args.at(-1)}`);
      });
      socket.on("question", (callback: (answer: string) => void) => {
        order.push("own");
        callback("yes");
      });
      await env.connected(socket);
      await expect((await serverSocket).emitWithAck("question")).resolves.toBe("yes");
      expect(order).toEqual(["any question function", "own"]);
    });

    it("onAnyOutgoing, prependAnyOutgoing, offAnyOutgoing, listenersAnyOutgoing", async () => {
      const socket = env.open();
      await env.connected(socket);
      const seen: unknown[] = [];
      const listener = (event: string, ...args: unknown[]) => seen.push([event, ...args]);
      socket.onAnyOutgoing(listener);
      socket.prependAnyOutgoing((event) => seen.push(`first ${event}`));
      socket.emit("update", 1, { a: 2 });
      expect(seen).toEqual(["first update", ["update", 1, { a: 2 }]]);
      expect(socket.listenersAnyOutgoing()).toHaveLength(2);
      socket.offAnyOutgoing(listener);
      expect(socket.listenersAnyOutgoing()).toHaveLength(1);
      socket.offAnyOutgoing();
      expect(socket.listenersAnyOutgoing()).toEqual([]);
      socket.emit("update", 2);
      expect(seen).toHaveLength(2);
    });

    it("onAnyOutgoing sees an emit made while disconnected when it is sent", async () => {
      const socket = env.open("", { autoConnect: false });
      const seen: unknown[] = [];
      socket.onAnyOutgoing((event, ...args) => seen.push([event, ...args]));
      socket.emit("queued", 1);
      socket.connect();
      await expect.poll(() => env.server.received).toContainEqual(["queued", 1]);
      expect(seen).toEqual([["queued", 1]]);
    });
  });

  describe("offline behavior", () => {
    it("emits while disconnected wait in sendBuffer and are sent in order on connect", async () => {
      const socket = env.open("", { autoConnect: false });
      socket.emit("queued", 1);
      socket.emit("queued", 2);
      expect(socket.sendBuffer).toHaveLength(2);
      socket.connect();
      await env.connected(socket);
      expect(socket.sendBuffer).toHaveLength(0);
      await expect
        .poll(() => env.server.received.filter(([e]) => e === "queued"))
        .toEqual([
          ["queued", 1],
          ["queued", 2],
        ]);
    });

    it("socket.sendBuffer = [] discards what waits", async () => {
      const socket = env.open("", { autoConnect: false });
      socket.emit("discarded", 1);
      socket.sendBuffer = [];
      expect(socket.sendBuffer).toHaveLength(0);
      socket.connect();
      await env.connected(socket);
      await expect(socket.emitWithAck("hello", "after")).resolves.toBe("got after");
      expect(env.server.received).not.toContainEqual(["discarded", 1]);
    });

    it("an emit during a reconnection is buffered and its ack arrives after reconnecting", async () => {
      const socket = env.open("", { reconnectionDelay: 50, reconnectionDelayMax: 100 });
      await env.connected(socket);
      socket.emit("drop");
      await next(socket, "disconnect");
      expect(socket.connected).toBe(false);
      const reply = socket.emitWithAck("hello", "later");
      expect(socket.sendBuffer).toHaveLength(1);
      await expect(reply).resolves.toBe("got later");
      expect(socket.connected).toBe(true);
    });

    it("socket.connected guards an emit, as the docs suggest", async () => {
      const socket = env.open("", { autoConnect: false });
      if (socket.connected) socket.emit("guarded", 1);
      expect(socket.sendBuffer).toHaveLength(0);
    });
  });

  describe("delivery guarantees: retries and ackTimeout", () => {
    it("retries + ackTimeout: an unacknowledged emit is sent again until acked", async () => {
      let deliveries = 0;
      env.server.io.on("connection", (s) =>
        s.on("flaky", (arg: string, callback: (r: string) => void) => {
          deliveries++;
          if (deliveries >= 2) callback(`ok ${arg}`);
        }),
      );
      const socket = env.open("", { ackTimeout: 100, retries: 3 });
      const [err, response] = await new Promise<unknown[]>((resolve) =>
        socket.emit("flaky", "x", (...args: unknown[]) => resolve(args)),
      );
      expect(err).toBeNull();
      expect(response).toBe("ok x");
      expect(deliveries).toBeGreaterThanOrEqual(2);
    });

    it("retries: the callback gets an Error once every try timed out", async () => {
      const socket = env.open("", { ackTimeout: 50, retries: 2 });
      await env.connected(socket);
      const err = await new Promise((resolve) => socket.emit("no-ack", "x", resolve));
      expect(err).toBeInstanceOf(Error);
      expect(env.server.received.filter(([e]) => e === "no-ack")).toHaveLength(3);
    });

    it("retries: emitWithAck resolves with the reply, rejects when every try timed out", async () => {
      const socket = env.open("", { ackTimeout: 50, retries: 1 });
      await expect(socket.emitWithAck("hello", "r")).resolves.toBe("got r");
      await expect(socket.emitWithAck("no-ack")).rejects.toBeInstanceOf(Error);
    });

    it("retries: emits without a callback are delivered too, in order", async () => {
      const socket = env.open("", { ackTimeout: 1000, retries: 3 });
      env.server.io.on("connection", (s) =>
        s.on("fire", (_n: number, callback?: () => void) => callback?.()),
      );
      socket.emit("fire", 1);
      socket.emit("fire", 2);
      socket.emit("fire", 3);
      await expect
        .poll(() => env.server.received.filter(([e]) => e === "fire").map(([, n]) => n))
        .toEqual([1, 2, 3]);
    });

    it("ackTimeout alone: the callback is error-first", async () => {
      const socket = env.open("", { ackTimeout: 2000 });
      const args = await new Promise<unknown[]>((resolve) =>
        socket.emit("hello", "a", (...args: unknown[]) => resolve(args)),
      );
      expect(args).toEqual([null, "got a"]);
    });
  });
});
