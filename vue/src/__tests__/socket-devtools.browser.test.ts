import { mount } from "@vue/test-utils";
import { io, type Socket } from "@wireline/sdk";
import type { EventLog } from "@wireline/sdk/devtools";
import { afterEach, describe, expect, inject, it } from "vitest";
import { defineComponent, h, nextTick, shallowRef } from "vue";
import { SocketDevtools } from "../socket-devtools.ts";

const MOCK_SERVER_URL = inject("serverUrls")["mock-server"];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** What the panel (the component's root element) shows as the connection's status. */
const shownStatus = (panel: Element) => panel.shadowRoot?.querySelector(".status")?.textContent;

describe("<SocketDevtools /> for Vue", () => {
  it("shows the connection's live status in the panel, in development builds", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const wrapper = mount(SocketDevtools, {
      props: { socket, theme: "light", initialOpen: true },
      attachTo: document.body,
    });
    expect(wrapper.element.getAttribute("theme")).toBe("light");
    await expect.poll(() => shownStatus(wrapper.element)).toBe("connected");
    expect(wrapper.element.hasAttribute("open")).toBe(true);
    wrapper.unmount();
  });

  it("detaches its log on unmount and attaches to a new socket when the prop changes", async () => {
    const first = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    const second = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(first, second);
    const before = first.io.listeners("state").length;
    const wrapper = mount(SocketDevtools, { props: { socket: first }, attachTo: document.body });
    await expect.poll(() => first.io.listeners("state").length).toBe(before + 1);
    await wrapper.setProps({ socket: second });
    await expect.poll(() => second.io.listeners("state").length).toBe(before + 1);
    expect(first.io.listeners("state").length).toBe(before);
    wrapper.unmount();
    expect(second.io.listeners("state").length).toBe(before);
  });

  it("passes no redact when none is given, and starts a new log when one is given later", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const redact = shallowRef<((payload: unknown) => unknown) | undefined>(undefined);
    const Parent = defineComponent({
      setup: () => () => h(SocketDevtools, { socket, redact: redact.value }),
    });
    const wrapper = mount(Parent, { attachTo: document.body });
    const panel = wrapper.element as unknown as { log?: EventLog };
    await expect.poll(() => socket.connected && panel.log !== undefined).toBe(true);
    const withoutRedact = panel.log!;
    await socket.timeout(5000).emitWithAck("echo", "plain");
    expect(JSON.stringify(withoutRedact)).toContain("plain");

    redact.value = () => "[hidden]";
    await expect.poll(() => panel.log !== undefined && panel.log !== withoutRedact).toBe(true);
    await socket.timeout(5000).emitWithAck("echo", "secret");
    // Must: a log made without redact does not go on logging what the app now hides.
    expect(JSON.stringify(panel.log)).not.toContain("secret");
    wrapper.unmount();
  });

  it("keeps its log when the parent re-renders with an inline redact, and uses the latest one", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const mark = shallowRef("first");
    const Parent = defineComponent({
      setup: () => () =>
        h("div", [
          h("span", mark.value),
          h(SocketDevtools, {
            socket,
            // A new function on every render, as `:redact="(p) => ..."` in a template is.
            redact: (payload: unknown, { event }: { event?: string }) =>
              event === "echo" ? mark.value : payload,
          }),
        ]),
    });
    const wrapper = mount(Parent, { attachTo: document.body });
    const panel = wrapper.element.querySelector("wireline-devtools") as unknown as {
      log?: EventLog;
    };
    await expect.poll(() => socket.connected && panel.log !== undefined).toBe(true);
    const log = panel.log!;
    await socket.timeout(5000).emitWithAck("echo", "secret");

    mark.value = "second";
    await nextTick();
    await socket.timeout(5000).emitWithAck("echo", "secret");

    // Must: one log all along, each emit redacted by the redact of its time.
    expect(panel.log).toBe(log);
    const payloads = log
      .entries()
      .flatMap((entry) =>
        entry.kind === "packet" && entry.event === "echo" && entry.direction === "out"
          ? [entry.payload]
          : [],
      );
    expect(payloads).toEqual(["first", "second"]);
    wrapper.unmount();
  });

  it.each([
    ["no socket", {}, /needs a socket from io\(\) or a Manager/],
    ["a capacity of 0", { capacity: 0 }, /needs a capacity that is a positive integer, got 0/],
  ])(
    "reports %s to the app's errorHandler, not as an unhandled rejection",
    async (_label, props, message) => {
      const socket = io(MOCK_SERVER_URL, { forceNew: true, autoConnect: false });
      sockets.push(socket);
      const errors: unknown[] = [];
      const rejections: unknown[] = [];
      const onRejection = (event: PromiseRejectionEvent) => {
        rejections.push(event.reason);
        event.preventDefault();
      };
      window.addEventListener("unhandledrejection", onRejection);
      try {
        const wrapper = mount(SocketDevtools, {
          props: { socket: "capacity" in props ? socket : (undefined as never), ...props },
          attachTo: document.body,
          global: {
            config: {
              errorHandler: (error) => void errors.push(error),
              // Vue's own "Missing required prop" is beside the point here.
              warnHandler: () => {},
            },
          },
        });
        await expect.poll(() => errors.length).toBe(1);
        expect(String(errors[0])).toMatch(message);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(rejections).toEqual([]);
        wrapper.unmount();
      } finally {
        window.removeEventListener("unhandledrejection", onRejection);
      }
    },
  );
});
