// socket.io's four type parameters, `Server<ListenEvents, EmitEvents, ServerSideEvents,
// SocketData>`, on the mock: the types a real server is written with serve its tests as is.
import { describe, expectTypeOf, it } from "vitest";
import {
  type BroadcastOperator,
  type MockNamespace,
  type MockServerSocket,
  mockSocketServer,
} from "../index.ts";

/** What clients emit. */
interface ClientToServer {
  chat: (text: string) => void;
}

/** What the server sends. */
interface ServerToClient {
  news: (headline: string) => void;
}

/** What the servers of a cluster send each other. */
interface InterServer {
  ping: (count: number) => void;
  census: (reply: (sockets: number) => void) => void;
}

/** What each socket carries in `socket.data`. */
interface Data {
  user: string;
  age: number;
}

type Socket = MockServerSocket<ClientToServer, ServerToClient, InterServer, Data>;

const server = mockSocketServer<ClientToServer, ServerToClient, InterServer, Data>(
  "http://localhost:3000",
);

describe("a mockSocketServer with socket.io's four type parameters", () => {
  it("types socket.data as SocketData", () => {
    server.on("connection", (socket) => {
      expectTypeOf(socket).toEqualTypeOf<Socket>();
      expectTypeOf(socket.data).toEqualTypeOf<Data>();
      expectTypeOf(socket.data.user).toEqualTypeOf<string>();
      socket.data.age = 42;
      // @ts-expect-error: an age is a number
      socket.data.age = "42";
      // @ts-expect-error: Data has no such field
      socket.data.typo = 1;
    });
    server.use((socket, next) => {
      expectTypeOf(socket).toEqualTypeOf<Socket>();
      socket.data = { user: "ada", age: 36 };
      // @ts-expect-error: Data needs its age
      socket.data = { user: "ada" };
      next();
    });
  });

  it("keeps socket.on typed by ListenEvents and socket.emit by EmitEvents", async () => {
    const socket = await server.waitForConnection();
    expectTypeOf(socket).toEqualTypeOf<Socket>();
    socket.on("chat", (text) => expectTypeOf(text).toEqualTypeOf<string>());
    // @ts-expect-error: clients emit no such event
    socket.on("ping", () => {});
    socket.emit("news", "headline");
    // @ts-expect-error: a headline is a string
    socket.emit("news", 1);
    // @ts-expect-error: a server-side event is not sent to clients
    socket.emit("ping", 1);
    expectTypeOf(socket.timeout(100).data).toEqualTypeOf<Data>();
    expectTypeOf(socket.to("room")).toEqualTypeOf<BroadcastOperator<ServerToClient, Data>>();
    expectTypeOf(socket.nsp).toEqualTypeOf<
      MockNamespace<ClientToServer, ServerToClient, InterServer, Data>
    >();
  });

  it("only lets serverSideEmit send ServerSideEvents, with their arguments", async () => {
    server.serverSideEmit("ping", 1);
    // @ts-expect-error: a count is a number
    server.serverSideEmit("ping", "1");
    // @ts-expect-error: not a server-side event
    server.serverSideEmit("news", "headline");
    server.serverSideEmit("census", (error, replies) => {
      expectTypeOf(error).toEqualTypeOf<Error | null>();
      expectTypeOf(replies).toEqualTypeOf<number[]>();
    });
    expectTypeOf(await server.serverSideEmitWithAck("census")).toEqualTypeOf<number[]>();
    // @ts-expect-error: not a server-side event
    void server.serverSideEmitWithAck("chat");
    server.of("/chat").serverSideEmit("ping", 2);
    // @ts-expect-error: a count is a number
    server.of("/chat").serverSideEmit("ping", "2");
  });

  it("types the listeners of ServerSideEvents besides the reserved events", () => {
    server.on("ping", (count) => expectTypeOf(count).toEqualTypeOf<number>());
    server.sockets.on("census", (reply) => {
      expectTypeOf(reply).toEqualTypeOf<(sockets: number) => void>();
    });
    server.of("/chat").on("ping", (count) => expectTypeOf(count).toEqualTypeOf<number>());
    server.on("connection", (socket) => expectTypeOf(socket).toEqualTypeOf<Socket>());
    server.on("new_namespace", (namespace) => {
      expectTypeOf(namespace).toEqualTypeOf<
        MockNamespace<ClientToServer, ServerToClient, InterServer, Data>
      >();
    });
    // @ts-expect-error: neither reserved nor a server-side event
    server.on("chat", () => {});
  });

  it("types the data of what fetchSockets() resolves with", async () => {
    for (const socket of await server.fetchSockets()) {
      expectTypeOf(socket.data).toEqualTypeOf<Data>();
      socket.emit("news", "headline");
      // @ts-expect-error: a headline is a string
      socket.emit("news", 1);
    }
    for (const socket of await server.in("room").fetchSockets()) {
      expectTypeOf(socket.data).toEqualTypeOf<Data>();
      // @ts-expect-error: a headline is a string
      socket.emit("news", 1);
    }
    const [first] = await server.of("/chat").except("room").timeout(5).fetchSockets();
    expectTypeOf(first?.data).toEqualTypeOf<Data | undefined>();
  });

  it("keeps all four types on of() namespaces", async () => {
    const chat = server.of("/chat", (socket) => expectTypeOf(socket).toEqualTypeOf<Socket>());
    expectTypeOf(chat).toEqualTypeOf<
      MockNamespace<ClientToServer, ServerToClient, InterServer, Data>
    >();
    expectTypeOf(server.of(/^\/room-\d+$/)).toEqualTypeOf(chat);
    expectTypeOf(server.namespace("/chat")).toEqualTypeOf<typeof chat | undefined>();
    chat.on("connection", (socket) => {
      expectTypeOf(socket.data).toEqualTypeOf<Data>();
      // @ts-expect-error: a headline is a string
      socket.emit("news", 1);
    });
    chat.use((socket, next) => {
      expectTypeOf(socket).toEqualTypeOf<Socket>();
      next();
    });
    for (const socket of await chat.fetchSockets()) expectTypeOf(socket).toEqualTypeOf<Socket>();
    for (const socket of chat.sockets.values()) expectTypeOf(socket).toEqualTypeOf<Socket>();
    expectTypeOf(chat.to("room")).toEqualTypeOf<BroadcastOperator<ServerToClient, Data>>();
  });
});

describe("a mockSocketServer without the last two type parameters", () => {
  it("leaves an untyped server's socket.data and serverSideEmit as loose as before", async () => {
    const untyped = mockSocketServer("http://localhost:3000");
    const socket = await untyped.waitForConnection();
    expectTypeOf(socket.data).toBeAny();
    socket.data.anything = { nested: true };
    socket.data = { user: 1 };
    const [remote] = await untyped.to("room").fetchSockets();
    expectTypeOf(remote?.data).toBeAny();
    untyped.serverSideEmit("anything", 1, "two", { three: 3 });
    untyped.of("/chat").serverSideEmit("other", () => {});
    void untyped.serverSideEmitWithAck("anything", 1);
    // As before, an untyped server's on() takes the reserved events only.
    // @ts-expect-error: not a reserved event
    untyped.on("anything", () => {});
  });

  it("leaves them as loose with ListenEvents and EmitEvents only", async () => {
    const typed = mockSocketServer<ClientToServer, ServerToClient>("http://localhost:3000");
    const socket = await typed.waitForConnection();
    expectTypeOf(socket).toEqualTypeOf<MockServerSocket<ClientToServer, ServerToClient>>();
    expectTypeOf(socket.data).toBeAny();
    socket.data.anything = 1;
    for (const remote of await typed.fetchSockets()) expectTypeOf(remote.data).toBeAny();
    typed.serverSideEmit("anything", 1);
    typed.of("/chat").serverSideEmit("other");
    // @ts-expect-error: a headline is a string
    typed.of("/chat").emit("news", 1);
  });
});
