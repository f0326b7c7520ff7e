// What an app can get wrong when it calls the composables: each mistake throws a TypeError at
// the call, once, with a message that says what to do, holding nothing; null options are none,
// as io(url, null) takes them.
import { io, type Socket } from "@wireline/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createSSRApp, defineComponent, effectScope, h, ref } from "vue";
import { renderToString } from "vue/server-renderer";
import {
  createWireline,
  sharedRegistry,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
} from "../index.ts";

// A port nothing listens on; nothing here connects.
const url = "http://127.0.0.1:9";
const sockets: Socket[] = [];
const scope = effectScope();

function idleSocket(): Socket {
  const socket = io(url, { forceNew: true, autoConnect: false });
  sockets.push(socket);
  return socket;
}

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  sharedRegistry.clear();
});

describe("a handler that is no function", () => {
  it.each([
    ["undefined", undefined, "undefined"],
    ["a string", "onNews", "string"],
    ["a ref holding nothing", ref(undefined), "undefined"],
  ])("is refused for %s at the call, not at every event", (_label, handler, got) => {
    const socket = idleSocket();
    expect(() => scope.run(() => useSocketEvent(socket, "news", handler as never))).toThrow(
      new TypeError(`Wireline: useSocketEvent's handler must be a function, got ${got}.`),
    );
    expect(socket.listeners("news")).toEqual([]);
  });

  it("is refused before a namespace's socket is held", () => {
    expect(() => scope.run(() => useSocketEvent("/chat", "news", undefined as never))).toThrow(
      /handler must be a function/,
    );
    expect(sharedRegistry.size).toBe(0);
  });

  it("reaches the app's errorHandler during a server render, opening nothing", async () => {
    const errors: unknown[] = [];
    const app = createSSRApp(
      defineComponent({
        setup() {
          useSocketEvent(useSocket(), "news", undefined as never);
          return () => h("p", "rendered");
        },
      }),
    );
    app.use(createWireline({ url }));
    app.config.errorHandler = (error) => {
      errors.push(error);
    };
    await renderToString(app);
    expect(errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/handler must be a function/) }),
    ]);
  });
});

describe("an event name that is no string", () => {
  it.each([
    ["useSocketEvent", (socket: Socket) => useSocketEvent(socket, undefined as never, () => {})],
    ["useSocketValue", (socket: Socket) => useSocketValue(socket, undefined as never, 0)],
    ["useEmitWithAck", (socket: Socket) => useEmitWithAck(socket, undefined as never)],
  ])('is refused by %s at the call, not listened to as "undefined"', (call, use) => {
    const socket = idleSocket();
    expect(() => scope.run(() => use(socket))).toThrow(
      new TypeError(`Wireline: ${call}'s event name must be a string, got undefined.`),
    );
    expect(socket.listeners("undefined" as never)).toEqual([]);
  });
});

describe("something else where a socket goes", () => {
  it.each([
    ["useSocketEvent", (given: unknown) => useSocketEvent(given as never, "news", () => {})],
    ["useSocketValue", (given: unknown) => useSocketValue(given as never, "news", 0)],
    ["useEmitWithAck", (given: unknown) => useEmitWithAck(given as never, "save")],
    ["useConnectionState", (given: unknown) => useConnectionState(given as never)],
  ])("is refused by %s, a ref of a socket and null alike", (call, use) => {
    const inRef = ref(idleSocket());
    const rule = "Wireline: pass a socket from useSocket(), not a ref of one";
    expect(() => scope.run(() => use(inRef))).toThrow(new TypeError(`${rule}, got object.`));
    if (call !== "useConnectionState") {
      expect(() => scope.run(() => use(null))).toThrow(new TypeError(`${rule}, got null.`));
    }
  });
});

describe("a key where a selector goes", () => {
  it("is refused by useConnectionState, not ignored for the whole snapshot", () => {
    expect(() => scope.run(() => useConnectionState("status" as never, idleSocket()))).toThrow(
      new TypeError("Wireline: useConnectionState's selector must be a function, got string."),
    );
  });
});

describe("a URL where useSocket's options go", () => {
  it("is refused, not spread as options letter by letter", () => {
    const app = createSSRApp({ render: () => null });
    app.use(createWireline({ url, options: { autoConnect: false } }));
    expect(() =>
      app.runWithContext(() =>
        scope.run(() => useSocket("/chat", "https://chat.example.com" as never)),
      ),
    ).toThrow(
      new TypeError("Wireline: useSocket's options must be an object such as { url }, got string."),
    );
  });
});

describe("a number where useEmitWithAck's options go", () => {
  it("is refused, not taken for the default 10000 ms timeout", () => {
    expect(() => scope.run(() => useEmitWithAck(idleSocket(), "save", 5000 as never))).toThrow(
      new TypeError(
        "Wireline: useEmitWithAck's options must be an object such as { timeout: 5000 }, got number.",
      ),
    );
  });
});

describe("null options", () => {
  it("are no options to createWireline either", () => {
    const app = createSSRApp({ render: () => null });
    // It threw "Cannot read properties of null".
    expect(() => app.use(createWireline(null))).not.toThrow();
  });

  it("are no options to useSocket and useEmitWithAck, as io(url, null) takes them", () => {
    const app = createSSRApp({ render: () => null });
    app.use(createWireline({ url, options: { autoConnect: false } }));
    const [named, unnamed, save] = app.runWithContext(() =>
      scope.run(() => [
        useSocket("/chat", null as never),
        useSocket(null as never),
        useEmitWithAck(idleSocket(), "save", null as never),
      ]),
    )!;
    expect((named as Socket).nsp).toBe("/chat");
    expect((unnamed as Socket).nsp).toBe("/");
    expect((save as { status: { value: string } }).status.value).toBe("idle");
  });
});
