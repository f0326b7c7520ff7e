// An app written against socket.io-client 4.8's types compiles against the SDK's with only the
// import changed: the places where the SDK's types used to be stricter than socket.io-client's.
import { describe, expectTypeOf, it } from "vitest";
import * as websocketEntry from "../entry-websocket.ts";
import * as mainEntry from "../index.ts";
import {
  type BaseManager,
  type ConnectError,
  type DisconnectDescription,
  type DisconnectReason,
  type Engine,
  type ExtendedError,
  Fetch,
  io,
  Manager,
  type ManagerEvents,
  type ManagerOptions,
  type ManagerReservedEvents,
  NodeWebSocket,
  NodeXHR,
  polling,
  type Socket,
  type SocketOptions,
  type TransportFactory,
  WebSocket,
  websocket,
  XHR,
} from "../index.ts";

interface ServerToClient {
  news: (headline: string) => void;
}

interface ClientToServer {
  save: (doc: { title: string }, ack: (id: number) => void) => void;
}

declare const socket: Socket<ServerToClient, ClientToServer>;
declare const untyped: Socket;

describe("socket.io-client compatible types", () => {
  it("types socket.io.engine, its transport and id as always set (1)", () => {
    expectTypeOf(socket.io.engine).toEqualTypeOf<Engine>();
    expectTypeOf(socket.io.engine.transport.name).toEqualTypeOf<string>();
    expectTypeOf(socket.io.engine.id).toEqualTypeOf<string>();
    socket.on("connect", () => {
      const transport: string = socket.io.engine.transport.name;
      socket.io.engine.once("upgrade", () => {
        const upgraded: string = socket.io.engine.transport.name;
        return [transport, upgraded];
      });
    });
  });

  it("types connect_error's data as any, as ExtendedError (2)", () => {
    socket.on("connect_error", (error) => {
      expectTypeOf(error).toEqualTypeOf<ConnectError>();
      expectTypeOf(error.data).toBeAny();
      // The documented pattern: the server's middleware attached `err.data = { content }`.
      const content: string = error.data.content;
      return content;
    });
  });

  it("declares Socket.DisconnectReason (3)", () => {
    expectTypeOf<Socket.DisconnectReason>().toEqualTypeOf<DisconnectReason>();
    const why: Socket.DisconnectReason = "io client disconnect";
    expectTypeOf(why).toExtend<string>();
    socket.on("disconnect", (reason) => {
      expectTypeOf(reason).toEqualTypeOf<Socket.DisconnectReason>();
    });
    // @ts-expect-error: not a reason
    const wrong: Socket.DisconnectReason = "io client disconect";
    return wrong;
  });

  it("exports socket.io-client's type names (4)", () => {
    expectTypeOf<ExtendedError>().toEqualTypeOf<ConnectError>();
    expectTypeOf<ExtendedError>().toExtend<Error>();
    expectTypeOf<DisconnectDescription>().toEqualTypeOf<
      Error | { description: string; context?: unknown }
    >();
    expectTypeOf<keyof ManagerReservedEvents>().toEqualTypeOf<
      | "open"
      | "error"
      | "ping"
      | "packet"
      | "close"
      | "reconnect_attempt"
      | "reconnect_error"
      | "reconnect_failed"
      | "reconnect"
    >();
    expectTypeOf<ManagerEvents>().toExtend<ManagerReservedEvents>();
    expectTypeOf<Parameters<ManagerReservedEvents["close"]>>().toEqualTypeOf<
      [reason: DisconnectReason, description?: DisconnectDescription]
    >();
  });

  it("exports socket.io-client's transport class names as the SDK's transports (4)", () => {
    expectTypeOf(WebSocket).toEqualTypeOf<TransportFactory>();
    expectTypeOf(mainEntry.WebSocket).toEqualTypeOf(websocket);
    expectTypeOf(NodeWebSocket).toEqualTypeOf(websocket);
    expectTypeOf(Fetch).toEqualTypeOf(polling);
    expectTypeOf(XHR).toEqualTypeOf(polling);
    expectTypeOf(NodeXHR).toEqualTypeOf(polling);
    io("https://example.com", { transports: [WebSocket, Fetch] });
    io("https://example.com", { transports: [XHR, NodeWebSocket] });
    // The WebSocket-only entry has the WebSocket names only.
    websocketEntry.io("https://example.com", { transports: [websocketEntry.WebSocket] });
    expectTypeOf(websocketEntry.NodeWebSocket).toEqualTypeOf<TransportFactory>();
    // @ts-expect-error: no polling in the WebSocket-only entry
    websocketEntry.Fetch;
    // @ts-expect-error: no polling in the WebSocket-only entry
    websocketEntry.XHR;
    // @ts-expect-error: WebTransport is not implemented
    mainEntry.WebTransport;
  });

  it("accepts socket.io-client's option types (5)", () => {
    io("https://example.com", { query: { page: 1, debug: true, token: "t" } });
    const query: Record<string, string | number> = { v: 2 };
    io("https://example.com", { query });
    socket.io.opts.query = { token: "fresh" };

    const transports: string[] = ["websocket", "polling"];
    io("https://example.com", { transports });
    io("https://example.com", { transports: ["polling", "websocket", "webtransport"] });
    io("https://example.com", { transports: ["polling", websocket] });

    io("https://example.com", { auth: (cb) => cb({ token: "x" } as object) });
    io("https://example.com", { auth: (cb: (data: object) => void) => cb({ token: "x" }) });
    interface Credentials {
      token: string;
    }
    const credentials: Credentials = { token: "x" };
    io("https://example.com", { auth: credentials });
    socket.auth = { token: "new" };
  });

  it("accepts forceNew and multiplex among the Manager's options (6)", () => {
    const options: Partial<ManagerOptions & SocketOptions> = { forceNew: true, multiplex: false };
    io("https://example.com", options);
    const managerOptions: ManagerOptions = { forceNew: true, multiplex: false };
    return new Manager("https://example.com", managerOptions);
  });

  it("lets catch-all listeners type their arguments (7)", () => {
    socket.onAny((event, data: { id: string }) => [event, data]);
    socket.onAny((event, ...args) => {
      expectTypeOf(event).toEqualTypeOf<string>();
      expectTypeOf(args).items.toBeAny();
    });
    socket.prependAny((event: string, count: number) => [event, count]);
    socket.onAnyOutgoing((event, payload: number) => [event, payload]);
    socket.prependAnyOutgoing((_event, ...args) => expectTypeOf(args).items.toBeAny());
    const listener = (event: string, data: { id: string }) => [event, data];
    socket.onAny(listener);
    socket.offAny(listener);
    socket.offAnyOutgoing(listener);
    // biome-ignore lint/suspicious/noExplicitAny: socket.io-client's type for these listeners.
    type Listener = (...args: any[]) => void;
    const listeners: Listener[] = socket.listenersAny();
    const outgoing: Listener[] = socket.listenersAnyOutgoing();
    return [listeners, outgoing];
  });

  it("resolves an untyped socket's emitWithAck with any (8)", async () => {
    const reply = await untyped.emitWithAck("x", 1);
    expectTypeOf(reply).toBeAny();
    const afterTimeout = await untyped.timeout(1000).emitWithAck("x", 1);
    expectTypeOf(afterTimeout).toBeAny();
    // A typed socket's reply stays typed.
    expectTypeOf(socket.emitWithAck("save", { title: "t" })).toEqualTypeOf<Promise<number>>();
  });

  it("types the disconnect details as DisconnectDescription (9)", () => {
    socket.on("disconnect", (_reason, details) => {
      expectTypeOf(details).toEqualTypeOf<DisconnectDescription | undefined>();
      if (details && "description" in details) {
        expectTypeOf(details.description).toEqualTypeOf<string>();
        expectTypeOf(details.context).toEqualTypeOf<unknown>();
      } else if (details) {
        expectTypeOf(details).toEqualTypeOf<Error>();
      }
    });
    const onDisconnect = (
      reason: string,
      description?: { description: string; context?: unknown } | Error,
    ) => [reason, description];
    untyped.on("disconnect", onDisconnect);
    socket.io.on("close", (_reason, description) => {
      expectTypeOf(description).toEqualTypeOf<DisconnectDescription | undefined>();
    });
  });

  it("makes Manager generic over the event maps (10)", () => {
    const typed: Manager<ServerToClient, ClientToServer> = socket.io;
    const listenOnly: Manager<ServerToClient> = socket.io;
    const plain: Manager = socket.io;
    expectTypeOf(socket.io).toEqualTypeOf<BaseManager<ServerToClient, ClientToServer>>();
    const manager = new Manager<ServerToClient, ClientToServer>("https://example.com", {
      autoConnect: false,
    });
    const admin: Socket = manager.socket("/admin");
    return [typed, listenOnly, plain, admin];
  });

  it("checks the Manager's event names (11)", () => {
    socket.io.on("reconnect_attempt", (attempt) => expectTypeOf(attempt).toEqualTypeOf<number>());
    socket.io.on("reconnect_error", (error) => expectTypeOf(error).toEqualTypeOf<Error>());
    socket.io.on("backoff", (attempt, delay) => [attempt, delay]);
    // @ts-expect-error: a typo, refused as by socket.io-client
    socket.io.on("reconect_attempt", () => {});
    const event: string = "reconnect";
    // @ts-expect-error: only the Manager's event names
    socket.io.on(event, () => {});
  });
});
