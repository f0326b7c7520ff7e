// The parts of socket.io 4.8's Server API that tests reach for beyond the feature suite:
// serverSideEmit, allSockets, server.engine, a disconnect's description. Each expectation is
// what socket.io does (with its default in-memory adapter, on one server).
import { io, type Socket } from "@wireline/sdk";
import { setupServer } from "msw/node";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { type EngineConnectionError, type MockServerSocket, mockSocketServer } from "../index.ts";

if (!("WebSocket" in globalThis)) {
  Object.defineProperty(globalThis, "WebSocket", {
    value: NodeWebSocket,
    configurable: true,
    writable: true,
  });
}

const URL = "http://parity.test";
const ENDPOINT = `${URL}/socket.io/`;
const server = mockSocketServer(URL, { assertionTimeout: 300 });
const msw = setupServer(...server.handlers);
msw.listen({ onUnhandledRequest: "bypass" });
afterAll(() => msw.close());

const opened: Socket[] = [];
afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
  server.reset();
  vi.restoreAllMocks();
});

function open(path = "", options: Record<string, unknown> = {}): Socket {
  const client = io(`${URL}${path}`, {
    forceNew: true,
    reconnection: false,
    transports: ["websocket"],
    ...options,
  });
  opened.push(client);
  return client;
}

/** Connects a client and resolves with both sides once the client knows it is connected. */
async function connect(
  path = "",
  options: Record<string, unknown> = {},
): Promise<{ client: Socket; socket: MockServerSocket }> {
  const client = open(path, options);
  const socket = await server.waitForConnection({ nsp: path || "/" });
  await vi.waitFor(() => expect(client.connected).toBe(true));
  return { client, socket };
}

/** The arguments of a server socket's next `disconnect`. */
function nextDisconnect(socket: MockServerSocket): Promise<unknown[]> {
  return new Promise((resolve) => socket.once("disconnect", (...args: unknown[]) => resolve(args)));
}

/** A polling handshake's session id, from the open packet `0{"sid":…}`. */
async function pollingHandshake(): Promise<string> {
  const body = await (await fetch(`${ENDPOINT}?EIO=4&transport=polling`)).text();
  return JSON.parse(body.slice(1)).sid;
}

/** Lets pending tasks (timers of 0 ms, MSW's deliveries) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("serverSideEmit", () => {
  it("warns and reaches no listener, as socket.io with its default in-memory adapter", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const heard = vi.fn();
    server.sockets.on("hello" as never, heard as never);
    server.of("/chat").on("hello" as never, heard as never);
    let settled = false;
    const done = () => {
      settled = true;
    };

    // Must return true and call nothing: the one server is not among the "other servers".
    expect(server.serverSideEmit("hello", 1)).toBe(true);
    expect(server.of("/chat").serverSideEmit("hello", 2, heard)).toBe(true);
    server.serverSideEmitWithAck("hello").then(done, done);
    await settle();

    expect(heard).not.toHaveBeenCalled();
    expect(settled).toBe(false);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(String(warn.mock.calls[0]?.[0])).toContain(
      "this adapter does not support the serverSideEmit() functionality",
    );
  });

  it("throws for the names a namespace reserves, and not for a socket's", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const reserved of ["connect", "connection", "new_namespace"]) {
      expect(() => server.serverSideEmit(reserved)).toThrow(
        `"${reserved}" is a reserved event name`,
      );
    }
    await expect(server.serverSideEmitWithAck("connect")).rejects.toThrow("reserved event name");
    expect(server.serverSideEmit("disconnect")).toBe(true);
  });
});

describe("allSockets", () => {
  it("resolves with the ids in the to/in rooms and, as socket.io's, ignores except", async () => {
    const first = await connect();
    const second = await connect();
    const third = await connect();
    first.socket.join("red");
    second.socket.join(["red", "blue"]);
    const ids = (sockets: MockServerSocket[]) => new Set(sockets.map((socket) => socket.id));

    expect(await server.allSockets()).toEqual(ids([first.socket, second.socket, third.socket]));
    expect(await server.in("red").allSockets()).toEqual(ids([first.socket, second.socket]));
    expect(await server.of("/").to("blue").allSockets()).toEqual(ids([second.socket]));
    expect(await server.to("red").except("blue").allSockets()).toEqual(
      ids([first.socket, second.socket]),
    );
    expect(await server.except("red").allSockets()).toEqual(
      ids([first.socket, second.socket, third.socket]),
    );
    expect(await server.of("/chat").allSockets()).toEqual(new Set());
    expect(await server.of(/^\/game-\d+$/).allSockets()).toEqual(new Set());
  });

  it("leaves out a socket still in the namespace's middlewares", async () => {
    let release: (() => void) | undefined;
    server.use((socket, next) => {
      socket.join("lobby");
      release = next;
    });
    open();
    await vi.waitFor(() => expect(release).toBeDefined());

    expect(await server.in("lobby").allSockets()).toEqual(new Set());
    release!();
    const socket = await server.waitForConnection();
    expect(await server.in("lobby").allSockets()).toEqual(new Set([socket.id]));
  });
});

describe("server.engine", () => {
  it("counts the open connections and announces each with its request", async () => {
    const announced: string[] = [];
    server.engine.on("connection", (connection) =>
      announced.push(
        `${connection.transport.name} ${connection.request.method} ${connection.request.url}`,
      ),
    );
    expect(server.engine.clientsCount).toBe(0);

    const { client, socket } = await connect();

    expect(server.engine.clientsCount).toBe(1);
    expect(server.engine.clients).toEqual({ [socket.conn.id]: socket.conn });
    expect(socket.conn.id).not.toBe(socket.id);
    expect(announced).toEqual([
      expect.stringMatching(/^websocket GET \/socket\.io\/\?EIO=4&transport=websocket/),
    ]);
    expect(socket.conn.request.headers.host).toBe("parity.test");
    const left = nextDisconnect(socket);
    client.disconnect();
    await left;
    await vi.waitFor(() => expect(server.engine.clientsCount).toBe(0));
  });

  it("takes the connection id from generateId, as engine.io, and reset() restores the default", async () => {
    let count = 0;
    server.engine.generateId = () => `custom-${++count}`;
    const { socket } = await connect();
    expect(socket.conn.id).toBe("custom-1");
    expect(await pollingHandshake()).toBe("custom-2");

    server.engine.generateId = async () => "from-a-promise";
    expect(await pollingHandshake()).toBe("from-a-promise");

    server.reset();
    expect(await pollingHandshake()).toMatch(/^[\w-]{20}$/);
  });

  it("refuses the request when generateId throws, with engine.io's connection_error", async () => {
    const errors: EngineConnectionError[] = [];
    server.engine.on("connection_error", (error) => errors.push(error));
    server.engine.generateId = () => {
      throw new Error("no ids today");
    };

    const response = await fetch(`${ENDPOINT}?EIO=4&transport=polling`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 3, message: "Bad request" });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 3,
        message: "Bad request",
        context: { name: "ID_GENERATION_ERROR", error: new Error("no ids today") },
      }),
    ]);
  });

  it("reports each refused request as connection_error, with engine.io's codes and context", async () => {
    const errors: EngineConnectionError[] = [];
    server.engine.on("connection_error", (error) => errors.push(error));
    const answers: unknown[] = [];
    const request = async (query: string, method = "GET") => {
      const response = await fetch(`${ENDPOINT}?${query}`, {
        method,
        body: method === "POST" ? "1" : undefined,
      });
      answers.push([response.status, await response.json()]);
    };

    await request("EIO=4&transport=carrier-pigeon");
    await request("EIO=4&transport=polling&sid=gone");
    await request("EIO=4&transport=polling", "POST");
    await request("EIO=3&transport=polling");

    // Must answer as engine.io: 400 and the code's message.
    expect(answers).toEqual([
      [400, { code: 0, message: "Transport unknown" }],
      [400, { code: 1, message: "Session ID unknown" }],
      [400, { code: 2, message: "Bad handshake method" }],
      [400, { code: 5, message: "Unsupported protocol version" }],
    ]);
    expect(errors.map(({ code, message, context }) => ({ code, message, context }))).toEqual([
      { code: 0, message: "Transport unknown", context: { transport: "carrier-pigeon" } },
      { code: 1, message: "Session ID unknown", context: { sid: "gone" } },
      { code: 2, message: "Bad handshake method", context: { method: "POST" } },
      { code: 5, message: "Unsupported protocol version", context: { protocol: 3 } },
    ]);
    expect(errors[1]?.req).toEqual({
      method: "GET",
      url: "/socket.io/?EIO=4&transport=polling&sid=gone",
      headers: expect.objectContaining({ host: "parity.test" }),
    });
  });

  it("reports a WebSocket for an unknown session as connection_error and closes it", async () => {
    const errors: EngineConnectionError[] = [];
    server.engine.on("connection_error", (error) => errors.push(error));
    const socket = new WebSocket("ws://parity.test/socket.io/?EIO=4&transport=websocket&sid=gone");
    await new Promise((resolve) => socket.addEventListener("close", resolve));

    expect(errors).toEqual([
      expect.objectContaining({
        code: 1,
        message: "Session ID unknown",
        context: { sid: "gone" },
        req: expect.objectContaining({ url: "/socket.io/?EIO=4&transport=websocket&sid=gone" }),
      }),
    ]);
  });

  it("close() closes every connection with forced close, and clients reconnect", async () => {
    const { client, socket } = await connect("", { reconnection: true, reconnectionDelay: 20 });
    const serverSide = nextDisconnect(socket);
    const clientSide = new Promise((resolve) => client.once("disconnect", resolve));
    const again = server.waitForConnection();

    expect(server.engine.close()).toBe(server.engine);

    expect(await serverSide).toEqual(["forced close", undefined]);
    expect(await clientSide).toBe("transport close");
    expect((await again).id).not.toBe(socket.id);
  });
});

describe("a server socket's disconnect", () => {
  it("gets socket.io's second argument: undefined for a reason without details", async () => {
    const { client, socket } = await connect();
    const disconnecting = new Promise((resolve) =>
      socket.once("disconnecting", (...args: unknown[]) => resolve(args)),
    );
    const left = nextDisconnect(socket);

    client.disconnect();

    expect(await disconnecting).toEqual(["client namespace disconnect", undefined]);
    expect(await left).toEqual(["client namespace disconnect", undefined]);
  });

  it('gets engine.io\'s error with "transport error": a second GET while one waits', async () => {
    const sid = await pollingHandshake();
    const connected = await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      body: "40",
    });
    expect(connected.status).toBe(200);
    const socket = await server.waitForConnection();
    const left = nextDisconnect(socket);
    // The CONNECT answer, then a GET that waits, then one more: engine.io's "overlap from client".
    await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    const waiting = fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);
    await settle();
    const overlapping = await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`);

    expect(overlapping.status).toBe(400);
    const [reason, description] = await left;
    expect(reason).toBe("transport error");
    expect(description).toBeInstanceOf(Error);
    expect(description).toMatchObject({ message: "overlap from client", type: "TransportError" });
    await waiting;
  });
});

describe("a polling POST that does not decode", () => {
  it('ends the session with "parse error" and is answered "ok", as engine.io', async () => {
    const sid = await pollingHandshake();
    await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "40" });
    const socket = await server.waitForConnection();
    const left = nextDisconnect(socket);

    const response = await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      body: "zzz",
    });

    expect([response.status, await response.text()]).toEqual([200, "ok"]);
    expect(await left).toEqual(["parse error", undefined]);
  });
});

describe("a Socket.IO packet that does not decode", () => {
  it('is the socket\'s error, then the connection closes with "forced close", as socket.io', async () => {
    const sid = await pollingHandshake();
    await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "40" });
    const socket = await server.waitForConnection();
    const errors: unknown[] = [];
    socket.on("error", (error) => errors.push(error));
    const left = nextDisconnect(socket);

    await fetch(`${ENDPOINT}?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      body: '42["unterminated',
    });

    expect(await left).toEqual(["forced close", undefined]);
    expect(errors).toEqual([expect.any(Error)]);
  });
});

describe("the rest of socket.io's Server surface", () => {
  it("emits new_namespace for each namespace made, by of() or for a dynamic parent", async () => {
    const made: string[] = [];
    server.on("new_namespace", (namespace) => made.push(namespace.name));
    server.of("/chat");
    server.of("/chat");
    server.of(/^\/game-\d+$/);
    await connect("/game-1");

    expect(made).toEqual(["/chat", "/game-1"]);
  });

  it("of(name, listener) listens to the namespace's connections", async () => {
    const joined = vi.fn();
    server.of("/chat", joined);
    const { socket } = await connect("/chat");
    expect(joined).toHaveBeenCalledWith(socket);
  });

  it("send and write emit message from the server, a namespace and a socket", async () => {
    const { client, socket } = await connect();
    const messages: unknown[] = [];
    client.on("message", (text: unknown) => messages.push(text));

    expect(server.send("server send")).toBe(server);
    server.write("server write");
    server.sockets.write("namespace write");
    expect(socket.write("socket write")).toBe(socket);

    await vi.waitFor(() => expect(messages).toHaveLength(4));
    expect(messages).toEqual(["server send", "server write", "namespace write", "socket write"]);
  });

  it("socketsLeave takes several rooms, and a broadcast has local as socket.io's", async () => {
    const { socket } = await connect();
    server.socketsJoin(["red", "blue", "green"]);
    server.socketsLeave(["red", "blue"]);
    expect([...socket.rooms].sort()).toEqual([socket.id, "green"].sort());
    server.in("green").socketsLeave(["green"]);
    expect([...socket.rooms]).toEqual([socket.id]);
    expect(await server.to(socket.id).local.fetchSockets()).toEqual([socket]);
  });

  it("has the main namespace's once, listeners and removeAllListeners; waitForConnection still works", async () => {
    const first = vi.fn();
    const every = vi.fn();
    server.once("connection", first);
    server.on("connection", every);
    expect(server.listeners("connection")).toHaveLength(2);
    await connect();
    await connect();
    expect(first).toHaveBeenCalledTimes(1);
    expect(every).toHaveBeenCalledTimes(2);

    // Must leave the mock's own bookkeeping alone: it is not one of the test's listeners.
    server.removeAllListeners();
    expect(server.listeners("connection")).toEqual([]);
    const { socket } = await connect();
    expect(every).toHaveBeenCalledTimes(2);
    expect(socket.connected).toBe(true);
  });

  it("a socket has socket.io's request and local", async () => {
    const first = await connect();
    const second = await connect();
    expect(first.socket.request).toBe(first.socket.conn.request);
    expect(first.socket.request).toMatchObject({
      method: "GET",
      url: expect.stringMatching(/^\/socket\.io\/\?EIO=4/),
    });
    const heard: string[] = [];
    first.client.on("news", (text: string) => heard.push(`first ${text}`));
    second.client.on("news", (text: string) => heard.push(`second ${text}`));

    // As socket.io's socket.local: every other socket, on this server.
    first.socket.local.emit("news", "local");
    second.socket.emit("news", "done");

    await vi.waitFor(() => expect(heard).toContain("second done"));
    expect(heard).toEqual(["second local", "second done"]);
  });

  it("socket.conn announces packets both ways and heartbeats, as engine.io's socket", async () => {
    const quick = mockSocketServer("http://heartbeat.test", { pingInterval: 50 });
    msw.use(...quick.handlers);
    const client = io("http://heartbeat.test", {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
    });
    opened.push(client);
    try {
      const socket = await quick.waitForConnection();
      const seen: string[] = [];
      socket.conn.on("packet", (packet) => seen.push(`in ${packet.type} ${packet.data ?? ""}`));
      socket.conn.on("packetCreate", (packet) =>
        seen.push(`out ${packet.type} ${packet.data ?? ""}`),
      );
      socket.conn.on("heartbeat", () => seen.push("heartbeat"));

      socket.emit("hello");
      client.emit("hi");
      await vi.waitFor(() => expect(seen).toContain("heartbeat"));
      await vi.waitFor(() => expect(seen).toContain('in message 2["hi"]'));

      expect(seen).toContain('out message 2["hello"]');
      // A heartbeat follows the client's pong, which follows the server's ping.
      const pong = seen.indexOf("in pong ");
      expect(seen.indexOf("out ping ")).toBeLessThan(pong);
      expect(seen[pong + 1]).toBe("heartbeat");
    } finally {
      msw.resetHandlers();
      quick.reset();
    }
  });

  it("close(callback) calls back and resolves once every socket is gone", async () => {
    const { socket } = await connect();
    const done = vi.fn();

    await server.close(done);

    expect(done).toHaveBeenCalledWith();
    expect(socket.connected).toBe(false);
  });
});

describe("a broadcast's acknowledgements", () => {
  it("reject a timed-out emitWithAck with the replies that came in time as err.responses, as socket.io's", async () => {
    const answering = await connect();
    const silent = await connect();
    answering.client.on("vote", (ack: (choice: string) => void) => ack("yes"));
    silent.client.on("vote", () => {});

    const error = await server
      .timeout(200)
      .emitWithAck("vote")
      .catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ message: "operation has timed out", responses: ["yes"] });
  });
});

describe("a dynamic parent's namespaces", () => {
  it("have its middlewares and listeners when new_namespace announces them, as socket.io's: theirs run after", async () => {
    const order: string[] = [];
    server
      .of((_name, _auth, next) => next(null, true))
      .use((_socket, next) => {
        order.push("parent middleware");
        next();
      })
      .on("connection", () => order.push("parent listener"));
    server.on("new_namespace", (namespace) => {
      namespace.use((_socket, next) => {
        order.push("own middleware");
        next();
      });
      namespace.on("connection", () => order.push("own listener"));
    });

    await connect("/anything");

    expect(order).toEqual([
      "parent middleware",
      "own middleware",
      "parent listener",
      "own listener",
    ]);
  });

  it("include one of(name) makes under a RegExp parent, as socket.io's: a client gets its middlewares and listeners", async () => {
    const seen: string[] = [];
    server
      .of(/^\/room-\d+$/)
      .use((socket, next) => {
        seen.push(`middleware ${socket.nsp.name}`);
        next();
      })
      .on("connection", (socket) => seen.push(`connection ${socket.nsp.name}`));
    // Made before any client asks for it, e.g. to broadcast to it.
    const room = server.of("/room-1");
    room.on("connection", () => seen.push("own listener"));

    await connect("/room-1");

    expect(seen).toEqual(["middleware /room-1", "connection /room-1", "own listener"]);
  });
});

describe("reset()", () => {
  it("rejects a waitForConnection still waiting, which would otherwise take the next test's socket", async () => {
    const stale = server.waitForConnection({ timeout: 3000 }).catch((error: Error) => error);
    server.reset();

    const { client, socket } = await connect();

    expect(socket.id).toBe(client.id);
    expect(String(await stale)).toMatch(
      /server\.reset\(\) was called while this waitForConnection\(\) waited/,
    );
  });
});

describe("reset() and a dynamic matcher still deciding", () => {
  it("leaves the next test no namespace the matcher allows after it, with the ended test's listeners", async () => {
    let allow: (() => void) | undefined;
    const ended = vi.fn();
    server.of((_name, _auth, next) => {
      allow = () => next(null, true);
    });
    server.on("new_namespace", (namespace) => namespace.on("connection", ended));
    open("/late");
    await vi.waitFor(() => expect(allow).toBeDefined());

    server.reset();
    allow!();
    await settle();

    expect(server.namespace("/late")).toBeUndefined();
    server.of("/late");
    await connect("/late");
    expect(ended).not.toHaveBeenCalled();
  });
});

describe("payloads the client refuses to hand its app", () => {
  it("reach a handler as socket.io's do: a __proto__ key, and nesting 40 levels deep", async () => {
    const { client, socket } = await connect();
    socket.on("keys", (payload: object, ack: (keys: string[]) => void) =>
      ack(Object.keys(payload)),
    );
    socket.on("depth", (payload: unknown, ack: (levels: number) => void) => {
      let levels = 0;
      for (let value = payload; Array.isArray(value); value = value[0]) levels++;
      ack(levels);
    });
    let deep: unknown = 1;
    for (let level = 0; level < 40; level++) deep = [deep];
    const hostile = JSON.parse('{"__proto__":{"admin":true},"text":"hi"}');
    expect(await client.emitWithAck("keys", hostile)).toEqual(["__proto__", "text"]);
    expect(await client.emitWithAck("depth", deep)).toBe(40);
    expect(client.connected).toBe(true);
  });
});

describe("a client's close packet", () => {
  it("over WebSocket, ends the session only with the socket's own close: emits sent before it are handled", async () => {
    const { client, socket } = await connect();
    const received: unknown[] = [];
    socket.on("m", (value: unknown) => received.push(value));
    for (let index = 0; index < 10; index++) client.emit("m", index);
    // The Wireline client writes a close packet, then closes the WebSocket, as at pagehide.
    client.io.engine?.close();
    await vi.waitFor(() => expect(received).toHaveLength(10));
  });
});

describe("an emit's encoding", () => {
  it("happens once, however many clients a broadcast reaches", async () => {
    const clients = [await connect(), await connect(), await connect()];
    let encodings = 0;
    // JSON.stringify calls toJSON() once per encoding.
    const counted = {
      toJSON() {
        encodings++;
        return "news";
      },
    };
    const heard = clients.map(
      ({ client }) => new Promise((resolve) => client.once("news", resolve)),
    );
    clients[0]!.socket.emit("news", counted);
    const toOne = encodings;
    encodings = 0;
    server.emit("news", counted);
    expect(encodings).toBe(toOne);
    expect(await Promise.all(heard)).toEqual(["news", "news", "news"]);
  });
});
