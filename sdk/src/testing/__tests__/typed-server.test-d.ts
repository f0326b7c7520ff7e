import { describe, expectTypeOf, it } from "vitest";
import { type MockServerSocket, mockSocketServer } from "../index.ts";

/** What clients emit. */
interface ClientToServer {
  chat: (text: string) => void;
  save: (doc: { title: string }, ack: (id: number) => void) => void;
}

/** What the server sends. */
interface ServerToClient {
  news: (headline: string) => void;
  confirm: (question: string, answer: (yes: boolean) => void) => void;
}

const server = mockSocketServer<ClientToServer, ServerToClient>("http://localhost:3000");

describe("a typed mockSocketServer", () => {
  it("types the listeners of the events clients emit, acks included", () => {
    server.on("connection", (socket) => {
      expectTypeOf(socket).toEqualTypeOf<MockServerSocket<ClientToServer, ServerToClient>>();
      socket.on("save", (doc, ack) => {
        expectTypeOf(doc).toEqualTypeOf<{ title: string }>();
        expectTypeOf(ack).toEqualTypeOf<(id: number) => void>();
      });
      socket.on("disconnect", (reason) => expectTypeOf(reason).toEqualTypeOf<string>());
      // @ts-expect-error: clients emit no such event
      socket.on("typo", () => {});
    });
  });

  it("types what the server sends to one socket, with timeouts and emitWithAck", async () => {
    const socket = await server.waitForConnection();
    socket.emit("news", "headline");
    // @ts-expect-error: a headline is a string
    socket.emit("news", 42);
    // @ts-expect-error: the server sends no such event
    socket.emit("typo");
    socket.timeout(100).emit("confirm", "sure?", (error, yes) => {
      expectTypeOf(error).toEqualTypeOf<Error>();
      expectTypeOf(yes).toEqualTypeOf<boolean>();
    });
    expectTypeOf(await socket.emitWithAck("confirm", "sure?")).toEqualTypeOf<boolean>();
  });

  it("types broadcasts: an ack collects every client's reply", async () => {
    server.to("room").emit("news", "for the room");
    server.timeout(100).emit("confirm", "everyone?", (error, answers) => {
      expectTypeOf(error).toEqualTypeOf<Error | null>();
      expectTypeOf(answers).toEqualTypeOf<boolean[]>();
    });
    expectTypeOf(await server.emitWithAck("confirm", "everyone?")).toEqualTypeOf<boolean[]>();
    // A socket's timeout(ms) carries over to its broadcasts: replies, not the error it puts first.
    const socket = await server.waitForConnection();
    socket
      .timeout(100)
      .to("room")
      .emit("confirm", "the room?", (error, answers) => {
        expectTypeOf(error).toEqualTypeOf<Error | null>();
        expectTypeOf(answers).toEqualTypeOf<boolean[]>();
      });
    socket.timeout(100).broadcast.emit("confirm", "the others?", (_error, answers) => {
      expectTypeOf(answers).toEqualTypeOf<boolean[]>();
    });
    // @ts-expect-error: a headline is a string
    server.of("/chat").emit("news", 1);
  });

  it("types middlewares and namespaces alike", () => {
    server.use((socket, next) => {
      expectTypeOf(socket).toEqualTypeOf<MockServerSocket<ClientToServer, ServerToClient>>();
      next();
    });
    server.of("/chat").on("connection", (socket) => socket.emit("news", "chat news"));
  });

  it("only accepts the names of events clients emit in expectEmitted", async () => {
    await server.expectEmitted("chat", "hello");
    // @ts-expect-error: clients emit no such event
    await server.expectEmitted("typo");
  });

  it("stays untyped without type arguments", () => {
    const untyped = mockSocketServer("http://localhost:3000");
    untyped.on("connection", (socket) => {
      socket.on("anything", (value: unknown) => value);
      socket.emit("whatever", 1, { any: "payload" });
    });
    untyped.emit("anything", 1, 2, 3);
  });
});
