import type { ConnectionSnapshot, Socket } from "@wireline/sdk";
import { describe, expectTypeOf, it } from "vitest";
import {
  type EmitOutcome,
  type EmitStatus,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
} from "../index.ts";

interface ServerEvents {
  chat: (message: { from: string; text: string }) => void;
  price: (value: number, currency: string) => void;
}

interface ClientEvents {
  chat: (text: string) => void;
  save: (doc: { title: string }, ack: (id: number) => void) => void;
}

describe("typed hooks", () => {
  it("returns a socket typed by its event maps", () => {
    const socket = useSocket<ServerEvents, ClientEvents>("/chat");
    expectTypeOf(socket).toEqualTypeOf<Socket<ServerEvents, ClientEvents>>();
    socket.emit("chat", "hi");
    // @ts-expect-error: chat takes a string
    socket.emit("chat", 1);
  });

  it("infers a listener's arguments from the socket", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    useSocketEvent(socket, "chat", (message) => {
      expectTypeOf(message).toEqualTypeOf<{ from: string; text: string }>();
    });
    useSocketEvent(socket, "price", (value, currency) => {
      expectTypeOf(value).toEqualTypeOf<number>();
      expectTypeOf(currency).toEqualTypeOf<string>();
    });
    useSocketEvent(socket, "disconnect", (reason) => {
      expectTypeOf(reason).toExtend<string>();
    });
    // @ts-expect-error: not an event the server sends
    useSocketEvent(socket, "unknown", () => {});
    // @ts-expect-error: a chat message is an object, not a number
    useSocketEvent(socket, "chat", (message: number) => message);
  });

  it("keeps listeners untyped on a namespace", () => {
    useSocketEvent("/chat", "anything", (...args) => {
      expectTypeOf(args).toBeArray();
    });
  });

  it("types the last payload from the socket, widened by the initial value", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    expectTypeOf(useSocketValue(socket, "price", 0)).toEqualTypeOf<number>();
    expectTypeOf(useSocketValue(socket, "chat", null)).toEqualTypeOf<{
      from: string;
      text: string;
    } | null>();
    expectTypeOf(useSocketValue("motd", "")).toEqualTypeOf<string>();
  });

  it("types useEmitWithAck's arguments and data from the emit map", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    const save = useEmitWithAck(socket, "save", { timeout: 1000 });
    expectTypeOf(save.emit).parameters.toEqualTypeOf<[{ title: string }]>();
    expectTypeOf(save.emit).returns.toEqualTypeOf<Promise<EmitOutcome<number>>>();
    expectTypeOf(save.data).toEqualTypeOf<number | undefined>();
    expectTypeOf(save.error).toEqualTypeOf<Error | undefined>();
    expectTypeOf(save.status).toEqualTypeOf<EmitStatus>();
    // @ts-expect-error: not an event of the emit map
    useEmitWithAck(socket, "unknown");
    // @ts-expect-error: save takes a document
    void save.emit("title");
  });

  it("accepts the event alone, or a namespace and the event", () => {
    expectTypeOf(useEmitWithAck("save", { timeout: 100 }).emit).toBeFunction();
    expectTypeOf(useEmitWithAck("/admin", "save").data).toEqualTypeOf<unknown>();
    expectTypeOf(useEmitWithAck<ClientEvents, "save">("save").data).toEqualTypeOf<
      number | undefined
    >();
  });

  it("selects a slice of the connection state", () => {
    expectTypeOf(useConnectionState()).toEqualTypeOf<ConnectionSnapshot>();
    expectTypeOf(useConnectionState((state) => state.status)).toEqualTypeOf<
      ConnectionSnapshot["status"]
    >();
    const socket = useSocket();
    expectTypeOf(useConnectionState((state) => state.attempt, socket)).toEqualTypeOf<number>();
    expectTypeOf(useConnectionState((state) => state.attempt, socket.io)).toEqualTypeOf<number>();
  });
});
