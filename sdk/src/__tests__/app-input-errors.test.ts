// What an app can get wrong when it calls the client: each mistake throws at the call (or, for
// what only shows once connecting, reaches connect_error) with a message that says what to do,
// writes nothing the server would close the connection over, and leaves no state behind.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { io, Manager, Outbox, type Socket } from "../index.ts";
import { fakeIo, fakeSockets } from "./fake-websocket.ts";
import { socketIoServer } from "./server-factories.ts";

const sockets: Socket[] = [];

beforeEach(() => {
  fakeSockets.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** A socket over the scripted WebSocket, its session open; connected unless `connect` is false. */
function scripted(options: object = {}, connect = true) {
  const { socket, fake } = made({ reconnection: false, ...options });
  fake.serverOpen();
  if (connect) fake.serverSend('40{"sid":"x"}');
  return { socket, fake };
}

/** A socket over the scripted WebSocket, nothing answered yet. */
function made(options: object = {}) {
  const socket = fakeIo(options as Record<string, unknown>);
  sockets.push(socket);
  return { socket, fake: fakeSockets.at(-1)! };
}

/** The connect_error messages `socket` reports from now on. */
function connectErrors(socket: Socket): string[] {
  const messages: string[] = [];
  socket.on("connect_error", (error) => messages.push(error.message));
  return messages;
}

describe("an emit's event name", () => {
  it.each([
    ["undefined", undefined, /got undefined/],
    ["null", null, /got object/],
    ["an object", {}, /got object/],
    ["a symbol", Symbol("save"), /got symbol/],
    ["a boolean", true, /got boolean/],
    // JSON would send it as null, and the server would close the connection.
    ["NaN", Number.NaN, /got NaN/],
    ["Infinity", Number.POSITIVE_INFINITY, /got Infinity/],
  ])("refuses %s with a TypeError, writing nothing", (_label, name, got) => {
    const { socket, fake } = scripted();
    fake.sent.length = 0;
    const emit = socket.emit as (...args: unknown[]) => unknown;
    expect(() => emit.call(socket, name, "data", () => {})).toThrow(
      new RegExp(`Wireline: an event name is a string, ${got.source}`),
    );
    expect(() => emit.call(socket.volatile, name)).toThrow(TypeError);
    // Nothing went out and nothing was left: the next emit is neither volatile nor acked.
    socket.emit("next", 1);
    expect(fake.sent).toEqual(['42["next",1]']);
  });

  it("takes a number, as socket.io does", () => {
    const { socket, fake } = scripted();
    fake.sent.length = 0;
    (socket.emit as (...args: unknown[]) => unknown).call(socket, 7, "data");
    expect(fake.sent).toEqual(['42[7,"data"]']);
  });

  it("rejects emitWithAck with the same error", async () => {
    const { socket } = scripted();
    const emitWithAck = socket.emitWithAck as (...args: unknown[]) => Promise<unknown>;
    await expect(emitWithAck.call(socket, undefined)).rejects.toThrow(/an event name is a string/);
  });
});

describe("a refused timeout(ms)", () => {
  it("leaves no flag chained before it to the next emit", () => {
    const { socket, fake } = scripted({}, false);
    expect(() => socket.volatile.compress(false).timeout(Number.NaN)).toThrow(RangeError);
    fake.serverSend('40{"sid":"x"}');
    // Written in the task that connected, when a volatile emit would be dropped.
    fake.sent.length = 0;
    socket.emit("important", 1);
    expect(fake.sent).toEqual(['42["important",1]']);
  });
});

describe("a listener that is no function", () => {
  it.each([
    ["on", (socket: Socket) => socket.on("x", undefined as never)],
    ["once", (socket: Socket) => socket.once("x", "handler" as never)],
    ["onAny", (socket: Socket) => socket.onAny(null as never)],
    ["prependAny", (socket: Socket) => socket.prependAny({} as never)],
    ["onAnyOutgoing", (socket: Socket) => socket.onAnyOutgoing(undefined as never)],
    ["prependAnyOutgoing", (socket: Socket) => socket.prependAnyOutgoing(1 as never)],
    ["the Manager's on", (socket: Socket) => socket.io.on("open", undefined as never)],
  ])("is refused by %s at once, and events still reach the others", (_name, add) => {
    const { socket, fake } = scripted();
    expect(() => add(socket)).toThrow(/Wireline: a listener is a function, got/);
    const heard: unknown[][] = [];
    socket.on("x", (...args) => heard.push(args));
    socket.onAny((...args) => heard.push(args));
    socket.emit("out");
    fake.serverSend('42["x",1]');
    expect(heard).toEqual([["x", 1], [1]]);
  });
});

describe("what the app gives for the CONNECT packet", () => {
  it.each([
    [null, /"auth" must be an object, or a function .*, got null/],
    [[1, 2], /"auth" must be an object, or a function .*, got 1,2/],
  ])("refuses auth %o at io()", (auth, message) => {
    expect(() => scripted({ auth })).toThrow(message);
  });

  it.each([
    ["a string", (callback: (data: unknown) => void) => callback("token"), /got "token"/],
    ["null", (callback: (data: unknown) => void) => callback(null), /got null/],
    ["an array", (callback: (data: unknown) => void) => callback(["t"]), /got t/],
  ])(
    "reports an auth callback that gives %s as connect_error, sending no CONNECT",
    (_label, auth, got) => {
      const { socket } = made({
        auth,
      });
      const errors = connectErrors(socket);
      fakeSockets.at(-1)!.serverOpen();
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(`"auth" must be an object, or a function .*, ${got.source}`),
        ),
      ]);
      // The session closes ("1"), no socket using it: no CONNECT was written.
      expect(fakeSockets.at(-1)!.sent).toEqual(["1"]);
      // As after a middleware's refusal: inactive, nothing retried until the app connects again.
      expect(socket.active).toBe(false);
    },
  );

  it("reports an auth callback that throws as connect_error, and connects once the app retries", () => {
    let token: string | undefined;
    const { socket } = made({
      auth: (callback: (data: object) => void) => {
        if (!token) throw new Error("no token yet");
        callback({ token });
      },
    });
    const errors = connectErrors(socket);
    fakeSockets.at(-1)!.serverOpen();
    expect(errors).toEqual(["no token yet"]);
    token = "t";
    socket.connect();
    fakeSockets.at(-1)!.serverOpen();
    expect(fakeSockets.at(-1)!.sent).toEqual(['40{"token":"t"}']);
  });

  it("sends one CONNECT for an auth callback that answers twice", () => {
    const { fake } = scripted(
      {
        auth: (callback: (data: object) => void) => {
          callback({ a: 1 });
          callback({ a: 2 });
        },
      },
      false,
    );
    expect(fake.sent).toEqual(['40{"a":1}']);
  });

  it("reports a parser whose Encoder throws on the CONNECT as connect_error", () => {
    const parser = {
      Encoder: class {
        encode(): never {
          throw new Error("cannot encode");
        }
      },
      Decoder: class {
        on() {}
        add() {}
        destroy() {}
      },
    };
    const { socket } = made({
      parser,
    });
    const errors = connectErrors(socket);
    fakeSockets.at(-1)!.serverOpen();
    expect(errors).toEqual(["cannot encode"]);
  });

  it('refuses a namespace without its leading "/"', () => {
    const manager = new Manager("http://example.test", { autoConnect: false });
    expect(() => manager.socket("chat")).toThrow(
      /Wireline: a namespace starts with "\/", got chat/,
    );
    expect(manager.nsps.size).toBe(0);
  });
});

describe("delays past what setTimeout holds (2^31 - 1 ms)", () => {
  it("waits for good with ackTimeout: Infinity, and arms no timer for it", () => {
    vi.useFakeTimers();
    const { socket } = scripted({ ackTimeout: Number.POSITIVE_INFINITY });
    const timers = vi.getTimerCount();
    const calls: unknown[][] = [];
    socket.emit("save", 1, (...args: unknown[]) => calls.push(args));
    expect(vi.getTimerCount()).toBe(timers);
    // Within the session's ping deadline (1.5 s), which ends it and fails the ack.
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual([]);
  });

  it("waits a timeout(ms) of a month instead of failing at once", () => {
    vi.useFakeTimers();
    const { socket } = scripted();
    const calls: unknown[][] = [];
    socket.timeout(30 * 86_400_000).emit("save", 1, (...args: unknown[]) => calls.push(args));
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual([]);
  });

  it("arms one outbox timer for a ttl of a month, not one per millisecond", () => {
    let armed = 0;
    const clock = {
      now: () => 0,
      setTimeout: (callback: () => void, ms: number) => {
        armed++;
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle: unknown) => clearTimeout(handle as never),
    };
    vi.useFakeTimers();
    const outbox = new Outbox({ ttl: 30 * 86_400_000, clock });
    outbox.enqueue({ nsp: "/", event: "save", args: [] });
    vi.advanceTimersByTime(1000);
    expect(armed).toBe(1);
    expect(outbox.size).toBe(1);
    outbox.dispose();
  });
});

describe("options", () => {
  it("takes io(url, null), new Manager(url, null) and manager.socket(nsp, null) as no options, as socket.io-client does", () => {
    const socket = io("http://example.test", null as never);
    sockets.push(socket);
    expect(socket.io.opts.path).toBe("/socket.io");
    const manager = new Manager("http://example.test", null as never);
    expect(manager.opts.path).toBe("/socket.io");
    manager.reconnection(false);
    const chat = manager.socket("/chat", null as never);
    sockets.push(chat);
    expect(chat.nsp).toBe("/chat");
  });

  it.each([
    ["io(url, string)", () => io("http://example.test", "https://other.test" as never)],
    ["io(url, number)", () => io("http://example.test", 5000 as never)],
    ["new Manager(url, string)", () => new Manager("http://example.test", "x" as never)],
    [
      "manager.socket(nsp, string)",
      () => new Manager("http://example.test", { autoConnect: false }).socket("/", "x" as never),
    ],
  ])(
    "refuses options that are no object: %s (their letters were taken as options)",
    (_call, make) => {
      expect(make).toThrow(
        /^Wireline: options are an object such as \{ transports: \["websocket"\] \}, got (string|number)\.$/,
      );
    },
  );

  it.each([
    [{ path: 5 }, /"path" must be a string, got 5/],
    [{ transports: "websocket" }, /"transports" must be an array, got "websocket"/],
  ])("refuses %o at io(), naming the option", (options, message) => {
    expect(() => scripted(options)).toThrow(message);
  });

  it("fails an attempt whose transports the app changed to a name this entry lacks, and retries", async () => {
    const server = await socketIoServer({}, () => {});
    const url = server.url;
    await server.close(); // nothing listens: every attempt fails
    const socket = io(url, {
      forceNew: true,
      WebSocket,
      transports: ["websocket"],
      reconnectionDelay: 10,
      reconnectionDelayMax: 10,
      reconnectionAttempts: 3,
    });
    sockets.push(socket);
    const errors = connectErrors(socket);
    // socket.io-client's documented fallback, with a typo.
    socket.once("connect_error", () => {
      socket.io.opts.transports = ["polling", "websockets" as never];
    });
    const failed = new Promise((resolve) => socket.io.on("reconnect_failed", () => resolve(true)));
    expect(await failed).toBe(true);
    expect(errors.slice(1)).toEqual(
      Array(3).fill(
        expect.stringMatching(/unknown or unavailable transport\(s\) \["polling","websockets"\]/),
      ),
    );
    expect(socket.io.getSnapshot().status).toBe("disconnected");
  });
});

describe("a custom parser", () => {
  it("whose Decoder's destroy() throws still lets the connection close and reconnect", () => {
    const parser = {
      Encoder: class {
        encode(packet: object) {
          return [JSON.stringify(packet)];
        }
      },
      Decoder: class {
        on() {}
        add() {}
        destroy(): never {
          throw new Error("destroy failed");
        }
      },
    };
    const { socket, fake } = scripted({ parser }, false);
    fake.serverClose();
    expect(socket.io.readyState).toBe("closed");
    expect(socket.io.getSnapshot().status).toBe("disconnected");
  });
});

describe("a payload JSON cannot carry, emitted while disconnected", () => {
  it.each([
    ["a BigInt", () => 1n],
    [
      "a getter that throws",
      () => ({
        get value(): never {
          throw new Error("not loaded");
        },
      }),
    ],
    [
      "a cycle",
      () => {
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        return cycle;
      },
    ],
  ])("throws at emit for %s, as when connected, queueing nothing", (_label, make) => {
    const { socket } = made({
      reconnection: false,
    });
    expect(() => socket.emit("save", make())).toThrow();
    expect(() => socket.timeout(1000).emit("save", make(), () => {})).toThrow();
    expect(socket.outbox.size).toBe(0);
  });

  it("throws at emit under retries too", () => {
    const { socket } = made({
      retries: 2,
    });
    expect(() => socket.emit("save", 1n)).toThrow();
    expect(socket.outbox.size).toBe(0);
  });
});

describe("a Blob that cannot be read (a file removed meanwhile)", () => {
  /** A Blob whose bytes are gone, as a File whose file was deleted. */
  class UnreadableBlob extends Blob {
    override arrayBuffer(): Promise<ArrayBuffer> {
      return Promise.reject(new Error("the file is gone"));
    }
  }

  it("ends a WebSocket sending base64 (forceBase64) as a transport error, not waiting for it", async () => {
    const { socket } = scripted({ forceBase64: true });
    const closed = new Promise((resolve) => socket.io.on("close", resolve));
    socket.emit("file", new UnreadableBlob(["x"]));
    expect(await closed).toBe("transport error");
  });

  it("ends a polling session as a transport error, rather than wedge its writing", async () => {
    const server = await socketIoServer({}, () => {});
    try {
      const socket = io(server.url, {
        forceNew: true,
        transports: ["polling"],
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise((resolve) => socket.once("connect", () => resolve(undefined)));
      const reason = new Promise((resolve) => socket.once("disconnect", resolve));
      socket.emit("file", new UnreadableBlob(["x"]));
      expect(await reason).toBe("transport error");
    } finally {
      await server.close();
    }
  });
});
