import { flushPromises, mount } from "@vue/test-utils";
import { mockSocketServer } from "@wireline/sdk/testing";
import { setupWorker } from "msw/browser";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { defineComponent, effectScope, h, watch } from "vue";
import { createWireline, useConnectionState, useSocket, useSocketValue } from "../index.ts";
import EchoCard from "./EchoCard.vue";

// No real server here: @wireline/sdk/testing mocks one with MSW, in this page.
const URL = "http://chat.test";
const server = mockSocketServer(URL, { pingInterval: 1000, pingTimeout: 1000 });
const worker = setupWorker(...server.handlers);
await worker.start({ quiet: true, onUnhandledRequest: "bypass" });

server.on("connection", (socket) => {
  socket.on("echo", (...args: unknown[]) => {
    const ack = args.pop() as (...reply: unknown[]) => void;
    ack(...args);
  });
});

const fastReconnection = { reconnectionDelay: 50, reconnectionDelayMax: 100 };
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  server.reset();
});
afterAll(() => worker.stop());

function eventually<T>(read: () => T) {
  return expect.poll(read, { timeout: 10_000 });
}

describe("@wireline/vue against a server mocked with MSW", () => {
  it("delivers the server's events to a <script setup> component and the server gets its acked emit", async () => {
    const plugin = createWireline({ url: URL, options: { query: { case: "sfc" } } });
    const wrapper = mount(EchoCard, { global: { plugins: [plugin] } });
    cleanups.push(() => wrapper.unmount());

    const serverSide = await server.waitForConnection();
    await eventually(() => wrapper.get("[data-test=status]").text()).toBe("connected");
    serverSide.emit("welcome", { id: "from-the-mock" });
    await eventually(() => wrapper.get("[data-test=welcome]").text()).toBe("welcome from-the-mock");
    expect(wrapper.get("[data-test=events]").text()).toBe("1");

    await wrapper.get("button").trigger("click");
    await server.expectEmitted("echo", "ping from sfc");
    await eventually(() => wrapper.get("[data-test=reply]").text()).toBe("success: ping from sfc");
  });

  it("follows a dropped connection through reconnecting back to connected, and keeps listening", async () => {
    const seen: string[] = [];
    const scope = effectScope();
    cleanups.push(() => scope.stop());
    const latest = scope.run(() => {
      const socket = useSocket<{ news: (headline: string) => void }>({
        url: URL,
        query: { case: "drop" },
        ...fastReconnection,
      });
      const status = useConnectionState((snapshot) => snapshot.status, socket);
      watch(status, (value) => seen.push(value), { flush: "sync", immediate: true });
      return useSocketValue(socket, "news", "none");
    })!;
    await server.waitForConnection();
    await eventually(() => seen.at(-1)).toBe("connected");

    server.dropConnection();
    const again = await server.waitForConnection();
    await eventually(() => seen.at(-1)).toBe("connected");
    // Must: the drop was visible, and the same composables serve the new session.
    expect(seen).toContain("reconnecting");
    again.emit("news", "back online");
    await eventually(() => latest.value).toBe("back online");
  });

  it("stops receiving a mocked server's events once the component unmounts", async () => {
    const received: string[] = [];
    const Listener = defineComponent({
      setup() {
        const socket = useSocket<{ news: (headline: string) => void }>({
          url: URL,
          query: { case: "unmount" },
        });
        const news = useSocketValue(socket, "news", "none");
        watch(news, (value) => received.push(value), { flush: "sync" });
        return () => h("p", news.value);
      },
    });
    const wrapper = mount(Listener);
    const serverSide = await server.waitForConnection();
    serverSide.emit("news", "first");
    await eventually(() => wrapper.text()).toBe("first");

    wrapper.unmount();
    serverSide.emit("news", "after unmount");
    // The socket stays connected for the release delay, so the event does arrive: nobody hears it.
    await eventually(() => serverSide.disconnected).toBe(true);
    await flushPromises();
    expect(received).toEqual(["first"]);
  });

  it("leaves a socket the server kicked out disconnected when another component mounts", async () => {
    const plugin = createWireline({ url: URL, options: { query: { case: "kick" } } });
    let connections = 0;
    server.on("connection", () => connections++);
    const Status = defineComponent({
      setup() {
        const status = useConnectionState((snapshot) => snapshot.status);
        return () => h("p", status.value);
      },
    });
    const first = mount(Status, { global: { plugins: [plugin] } });
    cleanups.push(() => first.unmount());
    const serverSide = await server.waitForConnection();
    await eventually(() => first.text()).toBe("connected");

    serverSide.disconnect(true);
    await eventually(() => first.text()).toBe("disconnected");
    const later = mount(Status, { global: { plugins: [plugin] } });
    cleanups.push(() => later.unmount());
    await flushPromises();

    // Must: as with socket.io-client, only the app reconnects a socket the server closed.
    expect(plugin.socket().active).toBe(false);
    expect(later.text()).toBe("disconnected");
    expect(connections).toBe(1);
  });
});
