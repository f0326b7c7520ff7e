import { describe, expectTypeOf, it } from "vitest";
import { io, type Socket } from "../index.ts";

interface ServerToClient {
  news: (headline: string, priority: number) => void;
  question: (text: string, answer: (reply: boolean) => void) => void;
}

interface ClientToServer {
  chat: (text: string) => void;
  save: (doc: { title: string }, ack: (id: number) => void) => void;
  ping: (ack: () => void) => void;
}

declare const socket: Socket<ServerToClient, ClientToServer>;

describe("typed Socket", () => {
  it("types listener arguments from the listen events", () => {
    socket.on("news", (headline, priority) => {
      expectTypeOf(headline).toEqualTypeOf<string>();
      expectTypeOf(priority).toEqualTypeOf<number>();
    });
    socket.on("question", (_text, answer) => {
      expectTypeOf(answer).toEqualTypeOf<(reply: boolean) => void>();
    });
  });

  it("types reserved events", () => {
    socket.on("connect_error", (error) => {
      expectTypeOf(error).toExtend<Error>();
    });
    socket.on("disconnect", (reason) => {
      expectTypeOf(reason).toExtend<string>();
    });
  });

  it("checks emitted arguments and ack callbacks", () => {
    socket.emit("chat", "hi");
    socket.emit("save", { title: "t" }, (id) => expectTypeOf(id).toEqualTypeOf<number>());
    // @ts-expect-error: chat takes a string
    socket.emit("chat", 1);
    // @ts-expect-error: not an event of the emit map
    socket.emit("unknown");
  });

  it("makes ack callbacks error-first after timeout()", () => {
    socket.timeout(1000).emit("save", { title: "t" }, (err, id) => {
      expectTypeOf(err).toEqualTypeOf<Error>();
      expectTypeOf(id).toEqualTypeOf<number>();
    });
  });

  it("resolves emitWithAck with the reply, with or without timeout()", () => {
    expectTypeOf(socket.emitWithAck("save", { title: "t" })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(socket.timeout(10).emitWithAck("save", { title: "t" })).toEqualTypeOf<
      Promise<number>
    >();
    expectTypeOf(socket.timeout(10).emitWithAck("ping")).toEqualTypeOf<Promise<undefined>>();
  });

  it("keeps an untyped socket permissive, like socket.io-client's", () => {
    const untyped = io("http://localhost", { autoConnect: false });
    untyped.on("anything", (a: string, b: number) => [a, b]);
    untyped.emit("anything", 1, "two", { three: 3 });
    expectTypeOf(untyped.emitWithAck("x")).toExtend<Promise<unknown>>();
  });
});
