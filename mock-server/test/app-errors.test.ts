import { createServer } from "node:http";
import { type AddressInfo, connect as netConnect } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Server, type ServerOptions, type ServerSocket } from "../src/index.ts";
import { connected, reportedDuring, upgradeRequest } from "./helpers.ts";

// An app's callbacks that throw (listeners, middlewares, matchers, allowRequest): the error is
// reported as uncaught, as socket.io does, and the server goes on: no socket left connected
// for good, no client left waiting for an answer, no close held open.

let io: Server;
let url: string;
const clients: Socket[] = [];

async function start(setup: (server: Server) => void = () => {}, options: ServerOptions = {}) {
  const httpServer = createServer();
  io = new Server(httpServer, { pingInterval: 1000, pingTimeout: 2000, ...options });
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

function client(path = "", options: Parameters<typeof connect>[1] = {}): Socket {
  const socket = connect(url + path, { forceNew: true, transports: ["websocket"], ...options });
  clients.push(socket);
  return socket;
}

const connectError = (socket: Socket) =>
  new Promise<string>((resolve) => socket.once("connect_error", (error) => resolve(error.message)));

const appBug = (where: string) => () => {
  throw new Error(`app bug in ${where}`);
};

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  await io?.close();
});

describe("disconnect and disconnecting listeners that throw", () => {
  it.each(["disconnect", "disconnecting"] as const)(
    "io.close() still ends every socket and the server when a %s listener throws",
    async (event) => {
      const heard: string[] = [];
      await start((server) => {
        server.on("connection", (socket) => socket.on(event, appBug(event)));
        server
          .of("/other")
          .on("connection", (socket) =>
            socket.on("disconnect", (reason: string) => heard.push(reason)),
          );
      });
      const socket = client();
      const other = client("/other");
      await Promise.all([connected(socket), connected(other)]);
      const reported = await reportedDuring(() => io.close());
      expect(reported).toEqual([`uncaughtException: app bug in ${event}`]);
      expect(heard).toEqual(["server shutting down"]);
      expect(io.httpServer?.listening).toBe(false);
      expect(io.engine.clientsCount).toBe(0);
      expect(io.of("/").sockets.size + io.of("/other").sockets.size).toBe(0);
    },
  );

  it("a connection's close ends its other namespace sockets when one's disconnect listener throws", async () => {
    await start((server) =>
      server.on("connection", (socket) => socket.on("disconnect", appBug("disconnect"))),
    );
    const other: ServerSocket[] = [];
    io.of("/other").on("connection", (socket) => other.push(socket));
    const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    await new Promise((resolve) => ws.once("message", resolve));
    ws.send("40");
    ws.send("40/other,");
    await expect.poll(() => other.length).toBe(1);
    const reported = await reportedDuring(async () => {
      ws.close();
      await expect.poll(() => io.engine.clientsCount).toBe(0);
    });
    expect(reported).toEqual(["uncaughtException: app bug in disconnect"]);
    expect(other[0]!.connected).toBe(false);
    expect(io.of("/other").sockets.size).toBe(0);
    expect(io.of("/other").adapter.rooms.size).toBe(0);
  });

  it("a disconnecting listener that throws still disconnects its socket and leaves its rooms", async () => {
    const heard: string[] = [];
    let serverSocket: ServerSocket | undefined;
    await start((server) =>
      server.on("connection", (socket) => {
        serverSocket = socket;
        socket.join("room");
        socket.on("disconnecting", appBug("disconnecting"));
        socket.on("disconnect", (reason) => heard.push(reason));
      }),
    );
    const socket = client();
    await connected(socket);
    const reported = await reportedDuring(async () => {
      socket.disconnect();
      await expect.poll(() => heard).toEqual(["client namespace disconnect"]);
    });
    expect(reported).toEqual(["uncaughtException: app bug in disconnecting"]);
    expect(serverSocket!.connected).toBe(false);
    expect(io.of("/").adapter.rooms.has("room")).toBe(false);
  });
});

describe("connection listeners, middlewares and namespace matchers that fail", () => {
  it("a connection listener that throws is reported, and the next listeners still run", async () => {
    const heard: string[] = [];
    await start((server) => {
      server.on("connection", appBug("connection"));
      server.sockets.once("connection", () => heard.push("once"));
      server.on("connection", () => heard.push("next"));
    });
    const reported = await reportedDuring(async () => {
      await connected(client());
      await connected(client());
    });
    expect(reported).toEqual([
      "uncaughtException: app bug in connection",
      "uncaughtException: app bug in connection",
    ]);
    expect(heard).toEqual(["once", "next", "next"]);
  });

  it("a namespace function that throws refuses the client with 'Invalid namespace'", async () => {
    await start((server) => server.of(appBug("matcher")));
    const reported = await reportedDuring(async () => {
      expect(await connectError(client("/dynamic"))).toBe("Invalid namespace");
    });
    expect(reported).toEqual(["uncaughtException: app bug in matcher"]);
  });

  it.each([
    ["a number", 123],
    ["undefined", undefined],
    ["an object", { name: "/x" }],
  ])("io.of(%s) throws a TypeError saying what it takes", async (_label, name) => {
    await start();
    expect(() => io.of(name as never)).toThrow(
      /^Wireline: of\(\) takes a namespace name \(a string\), a RegExp or a function, got /,
    );
  });

  it("an async middleware that rejects refuses the client with its message", async () => {
    await start((server) =>
      server.use(async () => {
        throw new Error("no entry");
      }),
    );
    const reported = await reportedDuring(async () => {
      expect(await connectError(client())).toBe("no entry");
    });
    expect(reported).toEqual([]);
  });

  it.each([
    ["a string", "not allowed"],
    ["a number", 401],
  ])("next(%s) refuses with that value as the connect_error message", async (_label, value) => {
    await start((server) => server.use((_socket, next) => next(value as never)));
    expect(await connectError(client())).toBe(String(value));
  });

  it("a middleware that throws after calling next() has its error reported; the socket is in", async () => {
    await start((server) =>
      server.use((_socket, next) => {
        next();
        throw new Error("app bug after next");
      }),
    );
    const reported = await reportedDuring(() => connected(client()));
    expect(reported).toEqual(["uncaughtException: app bug after next"]);
    expect(io.of("/").sockets.size).toBe(1);
  });
});

describe("an allowRequest that throws", () => {
  const throwing: ServerOptions = { allowRequest: appBug("allowRequest") };

  it("refuses the polling handshake with a 403 that says allowRequest threw", async () => {
    await start(undefined, throwing);
    let response: Response | undefined;
    const reported = await reportedDuring(async () => {
      response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    });
    expect(reported).toEqual(["uncaughtException: app bug in allowRequest"]);
    expect(response!.status).toBe(403);
    expect((await response!.json()).message).toMatch(
      /allowRequest threw .*app bug in allowRequest/,
    );
  });

  it("refuses the WebSocket handshake and closes it, so io.close() is not held", async () => {
    await start(undefined, throwing);
    const raw = netConnect(Number(new URL(url).port), "127.0.0.1");
    let answer = "";
    raw.on("data", (chunk) => {
      answer += chunk;
    });
    const ended = new Promise((resolve) => raw.once("end", resolve));
    const reported = await reportedDuring(async () => {
      raw.write(upgradeRequest());
      // Closed by the server although this client never closes its end.
      await ended;
    });
    expect(reported).toEqual(["uncaughtException: app bug in allowRequest"]);
    expect(answer).toMatch(/^HTTP\/1\.1 400 [\s\S]*allowRequest threw/);
    const closing = Date.now();
    await io.close();
    expect(Date.now() - closing).toBeLessThan(500);
    raw.destroy();
  });
});
