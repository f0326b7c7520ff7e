import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { io, Manager, type Socket, type TransportFactory } from "../index.ts";
import { FakeWebSocketConstructor, fakeIo, fakeSockets } from "./fake-websocket.ts";

function lastFake() {
  const fake = fakeSockets[fakeSockets.length - 1];
  if (!fake) throw new Error("no WebSocket was created");
  return fake;
}

function connectedSocket(options = {}) {
  const socket = fakeIo({ reconnectionDelay: 100, reconnectionDelayMax: 100, ...options });
  const fake = lastFake();
  fake.serverOpen();
  fake.serverSend('40{"sid":"socket-sid"}');
  return { socket, fake };
}

beforeEach(() => {
  fakeSockets.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("client logic over a scripted WebSocket", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it("sends one CONNECT for a namespace however often connect() is called before the reply", () => {
    const { socket, fake } = connectedSocket();
    const chat = socket.io.socket("/chat");
    chat.connect();
    chat.connect();
    expect(fake.sent.filter((frame) => frame === "40/chat,")).toHaveLength(1);
    const connects: string[] = [];
    chat.on("connect", () => connects.push(chat.id!));
    fake.serverSend('40/chat,{"sid":"chat-sid"}');
    expect(connects).toEqual(["chat-sid"]);
    // Refused, then asked again: a new CONNECT goes out.
    chat.disconnect();
    chat.connect();
    expect(fake.sent.filter((frame) => frame === "40/chat,")).toHaveLength(2);
    fake.serverSend('44/chat,{"message":"no"}');
    chat.connect();
    expect(fake.sent.filter((frame) => frame === "40/chat,")).toHaveLength(3);
    socket.disconnect();
  });

  it("sends no late ack once the server disconnected the namespace", () => {
    const { socket, fake } = connectedSocket();
    let answer: ((reply: string) => void) | undefined;
    socket.on("question", (callback: (reply: string) => void) => {
      answer = callback;
    });
    fake.serverSend('427["question"]');
    fake.serverSend("41");
    answer!("too late");
    expect(fake.sent.filter((frame) => String(frame).startsWith("43"))).toEqual([]);
  });

  it("answers a ping with a pong at once", () => {
    const { socket, fake } = connectedSocket();
    expect(socket.connected).toBe(true);
    fake.serverSend("2");
    expect(fake.sent.at(-1)).toBe("3");
    socket.disconnect();
  });

  it("drops the connection when pingInterval + pingTimeout pass without traffic", () => {
    const { socket } = connectedSocket();
    const reasons: string[] = [];
    socket.on("disconnect", (reason) => reasons.push(reason));
    vi.advanceTimersByTime(1400);
    expect(reasons).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(reasons).toEqual(["ping timeout"]);
    socket.disconnect();
  });

  it("judges liveness by the wall clock when an emit happens after a frozen stretch", () => {
    const { socket, fake } = connectedSocket();
    const reasons: string[] = [];
    socket.on("disconnect", (reason) => reasons.push(reason));
    // The clock jumps (a frozen tab) but no timer has run yet.
    vi.setSystemTime(Date.now() + 10_000);
    const framesBefore = fake.sent.length;
    socket.emit("late", 1);
    // Must not write into the dead socket; must report the ping timeout at once.
    expect(reasons).toEqual(["ping timeout"]);
    expect(fake.sent.length).toBe(framesBefore);
    // Must keep the emit for the next connection, as socket.io-client's buffer does.
    expect(socket.sendBuffer.map((packet) => packet.data)).toEqual([["late", 1]]);
    vi.advanceTimersByTime(200);
    const next = lastFake();
    expect(next).not.toBe(fake);
    next.serverOpen();
    next.serverSend('40{"sid":"socket-sid-2"}');
    expect(next.sent).toContain('42["late",1]');
    socket.disconnect();
  });

  it("keeps one snapshot object until something changes, and notifies subscribers", () => {
    const socket = io("http://example.test", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
    });
    const manager = socket.io;
    const first = manager.getSnapshot();
    expect(manager.getSnapshot()).toBe(first);
    expect(first.status).toBe("connecting");
    const seen: string[] = [];
    const unsubscribe = manager.subscribe(() => seen.push(manager.getSnapshot().status));
    lastFake().serverOpen();
    expect(manager.getSnapshot().status).toBe("connected");
    expect(manager.getSnapshot().transport).toBe("websocket");
    expect(seen).toContain("connected");
    unsubscribe();
    const count = seen.length;
    socket.disconnect();
    expect(seen.length).toBe(count);
  });

  it.each([
    ["reconnection off", { reconnection: false }, () => {}],
    [
      "the app's own open(callback)",
      { autoConnect: false },
      (socket: Socket) => socket.io.open(() => {}),
    ],
  ])(
    "reports disconnected when an attempt fails and none follows (%s)",
    (_label, options, open) => {
      const socket = io("http://example.test", {
        forceNew: true,
        WebSocket: FakeWebSocketConstructor,
        transports: ["websocket"],
        ...options,
      });
      open(socket);
      expect(socket.io.getSnapshot().status).toBe("connecting");
      // The WebSocket fails before the handshake: the attempt is over.
      lastFake().serverClose();
      expect(socket.io.readyState).toBe("closed");
      expect(socket.io.getSnapshot()).toMatchObject({
        status: "disconnected",
        lastError: expect.any(Error),
      });
      socket.disconnect();
    },
  );

  it("schedules a reconnection after a drop and reports the attempt in the snapshot", () => {
    const { socket, fake } = connectedSocket();
    const attempts: number[] = [];
    socket.io.on("reconnect_attempt", (n) => attempts.push(n));
    fake.serverClose();
    const snapshot = socket.io.getSnapshot();
    expect(snapshot.status).toBe("reconnecting");
    expect(snapshot.attempt).toBe(1);
    expect(snapshot.nextRetryAt).toBeGreaterThanOrEqual(Date.now());
    vi.advanceTimersByTime(100);
    expect(attempts).toEqual([1]);
    expect(fakeSockets.length).toBe(2);
    socket.disconnect();
  });

  it("strips the recovery offset from listener arguments", () => {
    const socket = io("http://example.test", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
    });
    const fake = lastFake();
    fake.serverOpen();
    fake.serverSend('40{"sid":"s1","pid":"p1"}');
    const received: unknown[][] = [];
    socket.on("news", (...args: unknown[]) => received.push(args));
    fake.serverSend('42["news","hello","offset-1"]');
    expect(received).toEqual([["hello"]]);
    socket.disconnect();
  });

  it("looks the WebSocket constructor up at connect time, not at import", () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    global.WebSocket = FakeWebSocketConstructor;
    try {
      const socket = io("http://example.test", { forceNew: true, transports: ["websocket"] });
      expect(lastFake().url).toBe("ws://example.test/socket.io/?EIO=4&transport=websocket");
      socket.disconnect();
    } finally {
      global.WebSocket = saved;
    }
  });
});

describe("reconnection over a scripted WebSocket", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it("gives up after reconnectionAttempts and reports reconnect_failed", () => {
    const { socket, fake } = connectedSocket({ reconnectionAttempts: 2 });
    const events: string[] = [];
    socket.io.on("reconnect_attempt", (n) => events.push(`attempt ${n}`));
    socket.io.on("reconnect_error", () => events.push("error"));
    socket.io.on("reconnect_failed", () => events.push("failed"));
    fake.serverClose();
    vi.advanceTimersByTime(100);
    lastFake().serverClose();
    vi.advanceTimersByTime(100);
    lastFake().serverClose();
    expect(events).toEqual(["attempt 1", "error", "attempt 2", "failed", "error"]);
    expect(socket.io.getSnapshot().status).toBe("disconnected");
    socket.disconnect();
  });

  it("attempts at once when connect() is called during a reconnection wait", () => {
    const { socket, fake } = connectedSocket({
      reconnectionDelay: 10_000,
      reconnectionDelayMax: 10_000,
    });
    fake.serverClose();
    expect(fakeSockets.length).toBe(1);
    socket.connect();
    expect(fakeSockets.length).toBe(2);
    lastFake().serverOpen();
    lastFake().serverSend('40{"sid":"again"}');
    expect(socket.connected).toBe(true);
    expect(socket.io.getSnapshot()).toMatchObject({ status: "connected", attempt: 0 });
    socket.disconnect();
  });

  it("never reconnects after the app disconnected", () => {
    const { socket } = connectedSocket();
    socket.disconnect();
    vi.advanceTimersByTime(60_000);
    expect(fakeSockets.length).toBe(1);
    expect(socket.active).toBe(false);
  });
});

describe("transport choice", () => {
  it("lets new Manager() resolve transport names like socket.io-client's", () => {
    const manager = new Manager("http://example.test", {
      transports: ["websocket"],
      WebSocket: FakeWebSocketConstructor,
    });
    expect(manager.opts.transports.map((t) => (t as TransportFactory).name)).toEqual(["websocket"]);
    expect(fakeSockets.length).toBe(1);
    manager.close();
  });

  it("makes sockets whose Manager is the entry point's exported Manager, as socket.io-client's", async () => {
    const websocketEntry = await import("../entry-websocket.ts");
    const options = { forceNew: true, autoConnect: false, WebSocket: FakeWebSocketConstructor };
    expect(io("http://example.test", options).io).toBeInstanceOf(Manager);
    const wsOnly = websocketEntry.io("http://example.test", options).io;
    expect(wsOnly).toBeInstanceOf(websocketEntry.Manager);
    expect(wsOnly.opts.transports.map((t) => (t as TransportFactory).name)).toEqual(["websocket"]);
  });

  it("rejects an unknown transport name with the available ones", () => {
    expect(() =>
      io("http://example.test", { forceNew: true, transports: ["carrier-pigeon" as never] }),
    ).toThrow(
      /^Wireline: unknown or unavailable transport\(s\) \["carrier-pigeon"\]; this entry point has: websocket, polling/,
    );
  });
});

describe("URLs", () => {
  const open = (uri: string) => {
    const socket = io(uri, {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
    });
    const fake = lastFake();
    fake.serverOpen();
    return { socket, fake };
  };

  it('takes "host:port/nsp" without a scheme as socket.io-client does: https: outside a page', () => {
    const { socket, fake } = open("example.test:8443/chat?room=1");
    expect(fake.url).toBe("wss://example.test:8443/socket.io/?room=1&EIO=4&transport=websocket");
    expect(fake.sent).toContain("40/chat,");
    socket.disconnect();
  });

  it("sends the URL's query and the query option together, the option winning a shared name", () => {
    const socket = io("http://example.test/?a=1&b=2", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
      query: { b: "x", c: "3" },
    });
    expect(lastFake().url).toBe(
      "ws://example.test/socket.io/?a=1&b=x&c=3&EIO=4&transport=websocket",
    );
    socket.disconnect();
  });

  it("keeps an explicit scheme, in any case", () => {
    const { socket, fake } = open("HTTP://example.test/admin");
    expect(fake.url).toBe("ws://example.test/socket.io/?EIO=4&transport=websocket");
    expect(fake.sent).toContain("40/admin,");
    socket.disconnect();
  });

  it("refuses new Manager() without a URL outside a page, saying what to pass", () => {
    expect(() => new Manager({ autoConnect: false })).toThrow(
      "Wireline: new Manager() without a URL only works in a browser page; pass the server's URL.",
    );
  });

  it("refuses a URL it cannot parse, saying what it takes", () => {
    expect(() => io("http://exa mple.test", { forceNew: true, autoConnect: false })).toThrow(
      /^Wireline: "http:\/\/exa mple.test" is not a valid URL; pass e.g. "https:\/\/example.com" or "\/chat"\./,
    );
  });
});

describe("liveness checks on demand", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it("drops a connection whose deadline passed while timers were frozen, and keeps a live one", () => {
    const { socket, fake } = connectedSocket();
    expect(socket.io.checkLiveness()).toBe(true);
    vi.setSystemTime(Date.now() + 1000);
    fake.serverSend("2");
    expect(socket.io.checkLiveness()).toBe(true);
    const reasons: string[] = [];
    socket.on("disconnect", (reason) => reasons.push(reason));
    vi.setSystemTime(Date.now() + 5000);
    expect(socket.io.checkLiveness()).toBe(false);
    expect(reasons).toEqual(["ping timeout"]);
    expect(socket.io.getSnapshot().status).toBe("reconnecting");
    socket.disconnect();
  });
});

describe("connection state recovery offsets", () => {
  it("leaves the last string of events that cannot carry an offset (acked or binary)", () => {
    const socket = io("http://example.test", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
    });
    const fake = lastFake();
    fake.serverOpen();
    fake.serverSend('40{"sid":"s1","pid":"p1"}');
    const received: unknown[][] = [];
    socket.on("q", (...args: unknown[]) => received.push(args.slice(0, 1)));
    fake.serverSend('427["q","keep me"]');
    expect(received).toEqual([["keep me"]]);
    socket.disconnect();
  });

  it("sends the pid and last offset in the next CONNECT", () => {
    const socket = io("http://example.test", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
      auth: { token: "t" },
      reconnectionDelay: 0,
      reconnectionDelayMax: 0,
    });
    const fake = lastFake();
    fake.serverOpen();
    fake.serverSend('40{"sid":"s1","pid":"p1"}');
    fake.serverSend('42["news","a","off-9"]');
    socket.io.engine?.close();
    socket.io.reconnectNow();
    const next = lastFake();
    next.serverOpen();
    expect(next.sent).toContain('40{"pid":"p1","offset":"off-9","token":"t"}');
    next.serverSend('40{"sid":"s1","pid":"p1"}');
    expect(socket.recovered).toBe(true);
    expect(socket.io.getSnapshot().recovered).toBe(true);
    socket.disconnect();
  });
});
