// What an app can get wrong when it calls the hooks: each mistake throws while rendering, once,
// where an error boundary catches it, with a message that says what to do, and opens nothing.
import { render } from "@testing-library/react";
import type { Socket } from "@wireline/sdk";
import { Component, type ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SocketDevtools,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
} from "../index.ts";
import { sharedConnections } from "../shared-connections.ts";
import { connectedSocket, deliverEvent, quietPeriod } from "./browser-helpers.ts";

/** What reached the boundary, and what was reported as uncaught (thrown or rejected). */
const caught: Error[] = [];
const uncaught: string[] = [];

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error) {
    caught.push(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** Calls `use` while rendering. */
function Calls(props: { use: () => unknown }) {
  props.use();
  return null;
}

/** Renders `use` in a component below an error boundary. */
function renderHookCall(use: () => unknown) {
  return render(
    <Boundary>
      <Calls use={use} />
    </Boundary>,
  );
}

const onError = (event: ErrorEvent) => {
  uncaught.push(event.message);
  event.preventDefault();
};
const onRejection = (event: PromiseRejectionEvent) => {
  uncaught.push(String(event.reason));
  event.preventDefault();
};

beforeEach(() => {
  caught.length = 0;
  uncaught.length = 0;
  window.addEventListener("error", onError);
  window.addEventListener("unhandledrejection", onRejection);
});

afterEach(() => {
  window.removeEventListener("error", onError);
  window.removeEventListener("unhandledrejection", onRejection);
});

describe("a handler that is no function", () => {
  it("throws to the error boundary once, not at every event, and listens to nothing", async () => {
    const socket = await connectedSocket();
    const before = socket.listeners("news").length;
    renderHookCall(() => useSocketEvent(socket, "news", undefined as never));
    expect(caught.map((error) => error.message)).toEqual([
      "Wireline: useSocketEvent's handler must be a function, got undefined.",
    ]);
    expect(socket.listeners("news").length).toBe(before);
    deliverEvent(socket as Socket<never, never>, "news", 1);
    deliverEvent(socket as Socket<never, never>, "news", 2);
    await quietPeriod(50);
    expect(uncaught).toEqual([]);
  });
});

describe("an event name that is no string", () => {
  it.each([
    ["useSocketEvent", (socket: Socket) => useSocketEvent(socket, undefined as never, () => {})],
    ["useSocketValue", (socket: Socket) => useSocketValue(socket, undefined as never, 0)],
    ["useEmitWithAck", (socket: Socket) => useEmitWithAck(socket, undefined as never)],
  ])(
    "throws from %s while rendering, not listening to an event named undefined",
    async (hook, use) => {
      const socket = await connectedSocket();
      renderHookCall(() => use(socket));
      expect(caught[0]).toBeInstanceOf(TypeError);
      expect(caught[0]?.message).toBe(
        `Wireline: ${hook}'s event name must be a string, got undefined.`,
      );
      expect(socket.listeners("undefined" as never)).toEqual([]);
    },
  );
});

describe("something else where a socket goes", () => {
  it.each([
    ["null (a socket not there yet)", null, "null"],
    ["an object", { timeout: 5000 }, "another object"],
  ])("throws for %s instead of using the page's default connection", (_label, given, got) => {
    const pooled = sharedConnections.size;
    renderHookCall(() => useSocketEvent(given as never, "news", () => {}));
    renderHookCall(() => useSocketValue(given as never, "news", 0));
    renderHookCall(() => useEmitWithAck(given as never, "save"));
    const message = `Wireline: a hook takes a Socket or a namespace such as "/chat", got ${got}.`;
    expect(caught.map((error) => error.message)).toEqual([message, message, message]);
    expect(sharedConnections.size).toBe(pooled);
  });

  it("says that useConnectionState's socket goes second, when given first", async () => {
    const socket = await connectedSocket();
    renderHookCall(() => useConnectionState(socket as never));
    expect(caught.map((error) => error.message)).toEqual([
      "Wireline: useConnectionState's selector must be a function (a socket goes second), got object.",
    ]);
  });
});

describe("a URL where useSocket's options go", () => {
  it("throws while rendering instead of spreading its letters as options", () => {
    const pooled = sharedConnections.size;
    renderHookCall(() => useSocket("/chat", "https://chat.example.com" as never));
    expect(caught.map((error) => error.message)).toEqual([
      "Wireline: useSocket's options must be an object such as { url }, got string.",
    ]);
    expect(sharedConnections.size).toBe(pooled);
  });
});

describe("a number where useEmitWithAck's options go", () => {
  it("throws while rendering instead of waiting the default 10000 ms", async () => {
    const socket = await connectedSocket();
    renderHookCall(() => useEmitWithAck(socket, "save", 5000 as never));
    expect(caught.map((error) => error.message)).toEqual([
      "Wireline: useEmitWithAck's options must be an object such as { timeout: 5000 }, got number.",
    ]);
  });
});

describe("<SocketDevtools> given what the panel refuses", () => {
  it.each([
    ["no socket", { socket: undefined as never }, /needs a socket from io\(\) or a Manager/],
    ["a capacity of 0", { capacity: 0 }, /needs a capacity that is a positive integer, got 0/],
  ])(
    "throws %s to the error boundary, not as an unhandled rejection",
    async (_label, props, message) => {
      const socket = await connectedSocket();
      render(
        <Boundary>
          <SocketDevtools socket={socket} {...props} />
        </Boundary>,
      );
      await expect.poll(() => caught.length).toBe(1);
      expect(caught[0]?.message).toMatch(message);
      await quietPeriod(50);
      expect(uncaught).toEqual([]);
    },
  );
});
