import type { ConnectionSnapshot, ConnectionStatus, Socket } from "@wireline/sdk";
import { describe, expectTypeOf, it } from "vitest";
import type { ComputedRef, ShallowRef } from "vue";
import {
  createWireline,
  type EmitOutcome,
  type EmitStatus,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
  type WirelineClient,
} from "../index.ts";

interface Message {
  text: string;
  at: number;
}
interface ServerEvents {
  chat: (message: Message) => void;
  count: (value: number) => void;
}
interface ClientEvents {
  chat: (text: string) => void;
  save: (doc: { id: number }, ack: (savedAt: number) => void) => void;
}

describe("typed events flow through the composables", () => {
  it("types the socket with the event maps given to useSocket", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    expectTypeOf(socket).toEqualTypeOf<Socket<ServerEvents, ClientEvents>>();
    expectTypeOf(useSocket("/chat", { url: "https://example.com" })).toExtend<Socket>();
  });

  it("infers listener arguments from the socket and the event name", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    useSocketEvent(socket, "chat", (message) => {
      expectTypeOf(message).toEqualTypeOf<Message>();
    });
    useSocketEvent(socket, "disconnect", (reason) => {
      expectTypeOf(reason).toEqualTypeOf<import("@wireline/sdk").DisconnectReason>();
    });
    // @ts-expect-error: the server sends no "typo" event
    useSocketEvent(socket, "typo", () => {});
    // @ts-expect-error: "count" carries a number
    useSocketEvent(socket, "count", (value: string) => value);
  });

  it("types the last payload, joined with the initial value", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    const latest = useSocketValue(socket, "chat", null);
    expectTypeOf(latest.value).toEqualTypeOf<Message | null>();
    const count = useSocketValue(socket, "count", 0);
    expectTypeOf(count.value).toEqualTypeOf<number>();
    // By namespace or on useSocket()'s socket, the payload takes the initial value's type.
    expectTypeOf(useSocketValue("/chat", "count", 0).value).toEqualTypeOf<number>();
    expectTypeOf(useSocketValue("count", "none").value).toEqualTypeOf<string>();
  });

  it("types emitted arguments and the acknowledgement", () => {
    const socket = useSocket<ServerEvents, ClientEvents>();
    const save = useEmitWithAck(socket, "save", { timeout: 5000 });
    expectTypeOf(save.emit).parameters.toEqualTypeOf<[{ id: number }]>();
    expectTypeOf(save.emit).returns.toEqualTypeOf<Promise<EmitOutcome<number>>>();
    expectTypeOf(save.data.value).toEqualTypeOf<number | undefined>();
    expectTypeOf(save.error.value).toEqualTypeOf<Error | undefined>();
    expectTypeOf(save.status.value).toEqualTypeOf<EmitStatus>();
    // @ts-expect-error: the client emits no "nope" event
    useEmitWithAck(socket, "nope");
    // On useSocket()'s socket: exact with both type arguments; with the map alone, TypeScript
    // infers no event type, so emit takes the arguments of any of the map's events.
    const exact = useEmitWithAck<ClientEvents, "save">("save");
    expectTypeOf(exact.emit).parameters.toEqualTypeOf<[{ id: number }]>();
    const mapOnly = useEmitWithAck<ClientEvents>("save");
    expectTypeOf(mapOnly.emit).parameters.toEqualTypeOf<[string] | [{ id: number }]>();
  });

  it("types the connection state and its slices", () => {
    const state = useConnectionState();
    expectTypeOf(state).toEqualTypeOf<Readonly<ShallowRef<ConnectionSnapshot>>>();
    const status = useConnectionState((snapshot) => snapshot.status);
    expectTypeOf(status).toEqualTypeOf<ComputedRef<ConnectionStatus>>();
    const typed = useSocket<ServerEvents, ClientEvents>();
    expectTypeOf(useConnectionState((s) => s.attempt, typed)).toEqualTypeOf<ComputedRef<number>>();
    // @ts-expect-error: the state is read-only
    state.value = useConnectionState().value;
  });

  it("gives the Options API a typed this.$wireline", () => {
    const plugin = createWireline({ url: "https://example.com" });
    expectTypeOf(plugin).toExtend<WirelineClient>();
    type Instance = import("vue").ComponentPublicInstance;
    expectTypeOf<Instance["$wireline"]>().toEqualTypeOf<WirelineClient>();
    expectTypeOf(plugin.socket<ServerEvents>()).toEqualTypeOf<Socket<ServerEvents, ServerEvents>>();
  });
});
