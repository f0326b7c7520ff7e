import { flushPromises, mount } from "@vue/test-utils";
import type { Socket } from "@wireline/sdk";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import {
  createApp,
  defineComponent,
  effectScope,
  h,
  nextTick,
  onBeforeUnmount,
  onUnmounted,
  ref,
} from "vue";
import { createWireline, useConnectionState, useSocket } from "../index.ts";

const serverUrl = inject("serverUrls")["mock-server"];

// Each test asks for its own connection: equal URL and options would share one.
let testCase = 0;
function ownPlugin(releaseDelay?: number) {
  return createWireline({
    url: serverUrl,
    options: { query: { case: `lifecycle-${++testCase}` } },
    ...(releaseDelay !== undefined && { releaseDelay }),
  });
}

function eventually<T>(read: () => T) {
  return expect.poll(read, { timeout: 10_000 });
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function container(): HTMLElement {
  const element = document.createElement("div");
  document.body.append(element);
  cleanups.push(() => element.remove());
  return element;
}

/** A component showing the status of the plugin's socket, exposing the socket. */
const Status = defineComponent({
  setup(_, { expose }) {
    const socket = useSocket();
    const status = useConnectionState((snapshot) => snapshot.status, socket);
    expose({ socket });
    return () => h("p", status.value);
  },
});

describe("app.unmount() with the plugin", () => {
  it("runs the components' unmount hooks while their socket is still connected", async () => {
    const plugin = ownPlugin();
    let socket!: Socket;
    const connectedIn: Record<string, boolean> = {};
    const Leaving = defineComponent({
      setup() {
        socket = useSocket();
        onBeforeUnmount(() => (connectedIn.beforeUnmount = socket.connected));
        onUnmounted(() => (connectedIn.unmounted = socket.connected));
        return () => h("p");
      },
    });
    const app = createApp(Leaving).use(plugin);
    app.mount(container());
    await eventually(() => socket.connected).toBe(true);

    app.unmount();

    // Must: a "leaving" emit from an unmount hook goes out; the app closes right after.
    expect(connectedIn).toEqual({ beforeUnmount: true, unmounted: true });
    expect(socket.active).toBe(false);
    expect(plugin.registry.size).toBe(0);
  });

  it("opens nothing new when an Options API beforeUnmount asks this.$wireline for the socket", async () => {
    const plugin = ownPlugin();
    let mountedSocket!: Socket;
    let unmountingSocket!: Socket;
    const OptionsComponent = defineComponent({
      mounted() {
        mountedSocket = this.$wireline.socket();
      },
      beforeUnmount() {
        unmountingSocket = this.$wireline.socket();
      },
      render: () => h("p"),
    });
    const app = createApp(OptionsComponent).use(plugin);
    app.mount(container());
    await eventually(() => mountedSocket.connected).toBe(true);

    app.unmount();

    // Must: the hook got the app's socket, and it closed with the app; nothing else is open.
    expect(unmountingSocket).toBe(mountedSocket);
    expect(mountedSocket.active).toBe(false);
    expect(plugin.registry.size).toBe(0);
  });

  it("closes everything on a Vue without app.onUnmount (3.3, 3.4)", async () => {
    const plugin = ownPlugin();
    const app = createApp(Status);
    Object.defineProperty(app, "onUnmount", { value: undefined });
    app.use(plugin);
    const root = app.mount(container()) as unknown as { socket: Socket };
    await eventually(() => root.socket.connected).toBe(true);

    app.unmount();

    expect(root.socket.active).toBe(false);
    expect(plugin.registry.size).toBe(0);
  });
});

describe("one plugin in two apps", () => {
  it("keeps the other app's connection when one app unmounts, and closes it with the last", async () => {
    const plugin = ownPlugin(50);
    const first = createApp(Status).use(plugin);
    const second = createApp(Status).use(plugin);
    const secondElement = container();
    const firstRoot = first.mount(container()) as unknown as { socket: Socket };
    const secondRoot = second.mount(secondElement) as unknown as { socket: Socket };
    const socket = secondRoot.socket;
    expect(firstRoot.socket).toBe(socket);
    await eventually(() => secondElement.textContent).toBe("connected");

    first.unmount();
    // Well past the release delay: the second app still holds the socket.
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Must: the second app saw no disconnection.
    expect(socket.connected).toBe(true);
    expect(secondElement.textContent).toBe("connected");
    second.unmount();
    expect(socket.active).toBe(false);
    expect(plugin.registry.size).toBe(0);
  });

  it("closes at once what only the unmounting app used, as the last app's unmount does", async () => {
    // Longer than the test: what it sees closed was closed by the unmount, not by the delay.
    const plugin = ownPlugin(60_000);
    let own!: Socket;
    let left!: Socket;
    const showLeaving = ref(true);
    // Sockets of their own (other options, so another connection) that no other app uses.
    const Own = defineComponent({
      setup() {
        own = useSocket({ auth: { app: "first" } });
        return () => h("p");
      },
    });
    const Leaving = defineComponent({
      setup() {
        left = useSocket({ auth: { app: "first", component: "leaving" } });
        return () => h("p");
      },
    });
    const first = createApp({
      render: () => [h(Status), h(Own), showLeaving.value ? h(Leaving) : null],
    }).use(plugin);
    const second = createApp(Status).use(plugin);
    cleanups.push(() => second.unmount());
    const secondElement = container();
    first.mount(container());
    const secondRoot = second.mount(secondElement) as unknown as { socket: Socket };
    await eventually(() => [own.connected, left.connected, secondRoot.socket.connected]).toEqual([
      true,
      true,
      true,
    ]);
    // A component of the first app goes: its socket waits out the release delay, for a remount.
    showLeaving.value = false;
    await nextTick();
    expect(left.active).toBe(true);

    first.unmount();

    // Must: nobody uses them now and the app that did is gone, so no remount will want them.
    expect(own.active).toBe(false);
    expect(left.active).toBe(false);
    expect(plugin.registry.size).toBe(1);
    // Must: the socket both apps used stays, for the app still mounted.
    expect(secondRoot.socket.connected).toBe(true);
    expect(secondElement.textContent).toBe("connected");
  });

  it("leaves the release delay to a socket another mounted app let go of last", async () => {
    const plugin = ownPlugin(60_000);
    let shared!: Socket;
    const User = defineComponent({
      setup() {
        shared = useSocket({ auth: { app: "both" } });
        return () => h("p");
      },
    });
    const shownInFirst = ref(true);
    const shownInSecond = ref(true);
    const first = createApp({
      render: () => [h(Status), shownInFirst.value ? h(User) : null],
    }).use(plugin);
    const second = createApp({
      render: () => [h(Status), shownInSecond.value ? h(User) : null],
    }).use(plugin);
    cleanups.push(() => second.unmount());
    first.mount(container());
    second.mount(container());
    await eventually(() => shared.connected).toBe(true);
    const socket = shared;
    // The first app's component goes, then the second app's: the second let go of it last.
    shownInFirst.value = false;
    await nextTick();
    shownInSecond.value = false;
    await nextTick();

    first.unmount();

    // Must: the second app is still mounted, and may mount its component again within the delay.
    expect(socket.connected).toBe(true);
    shownInSecond.value = true;
    await nextTick();
    expect(shared).toBe(socket);
  });

  it("serves an app mounted after the previous one unmounted, as a shared test plugin does", async () => {
    const plugin = ownPlugin();
    const earlier = mount(Status, { global: { plugins: [plugin] } });
    await eventually(() => earlier.text()).toBe("connected");
    const earlierSocket = plugin.socket();
    earlier.unmount();
    expect(earlierSocket.active).toBe(false);

    const later = mount(Status, { global: { plugins: [plugin] } });
    cleanups.push(() => later.unmount());

    // Must: a new connection, connected, also through the plugin object.
    await eventually(() => later.text()).toBe("connected");
    expect(plugin.socket()).not.toBe(earlierSocket);
    expect(plugin.socket().connected).toBe(true);
  });

  it("works as a shared test setup plugin for several mounts", async () => {
    const plugin = ownPlugin();
    const a = mount(Status, { global: { plugins: [plugin] } });
    const b = mount(Status, { global: { plugins: [plugin] } });
    cleanups.push(() => b.unmount());
    await eventually(() => b.text()).toBe("connected");

    a.unmount();
    await flushPromises();

    expect(b.text()).toBe("connected");
    expect((b.vm as unknown as { socket: Socket }).socket.connected).toBe(true);
  });
});

describe("a socket disconnected on purpose", () => {
  it("stays disconnected when the Options API reads it again or another component mounts", async () => {
    const plugin = ownPlugin();
    let vm!: { $wireline: { socket(): Socket } };
    const Logout = defineComponent({
      mounted() {
        vm = this;
        this.$wireline.socket();
      },
      render: () => h("p"),
    });
    const app = createApp({ render: () => h(Logout) }).use(plugin);
    app.mount(container());
    cleanups.push(() => app.unmount());
    await eventually(() => vm?.$wireline.socket().connected).toBe(true);
    const socket = vm.$wireline.socket();

    socket.disconnect(); // a logout
    expect(vm.$wireline.socket()).toBe(socket);
    const late = mount(Status, { global: { plugins: [plugin] } });
    cleanups.push(() => late.unmount());
    await flushPromises();

    // Must: reading it or using it elsewhere reconnects nothing; the app decides when.
    expect((late.vm as unknown as { socket: Socket }).socket).toBe(socket);
    expect(socket.active).toBe(false);
    expect(late.text()).toBe("disconnected");
    socket.connect();
    await eventually(() => late.text()).toBe("connected");
  });
});

describe("a store's own effect scope", () => {
  it("gives the composables one shared connection when the plugin's own options ask forceNew", async () => {
    const plugin = createWireline({
      url: serverUrl,
      options: { forceNew: true, query: { case: `lifecycle-${++testCase}` } },
    });
    let socket!: Socket;
    let again!: Socket;
    let status!: { value: string };
    const Component = defineComponent({
      setup() {
        socket = useSocket();
        status = useConnectionState((snapshot) => snapshot.status);
        again = useSocket();
        return () => h("p", status.value);
      },
    });
    const app = createApp(Component).use(plugin);
    cleanups.push(() => app.unmount());
    app.mount(container());
    await eventually(() => socket.connected).toBe(true);
    // Must: forceNew on the plugin means the plugin's own connection, not one per call.
    expect(again).toBe(socket);
    socket.disconnect();
    await eventually(() => status.value).toBe("disconnected");
  });

  it("closes what it opened when the plugin was installed after app.mount()", async () => {
    const plugin = ownPlugin();
    const app = createApp({ render: () => h("p") });
    app.mount(container());
    app.use(plugin);
    const socket = app.runWithContext(() => app.config.globalProperties.$wireline.socket());
    await eventually(() => socket.connected).toBe(true);
    app.unmount();
    expect(socket.active).toBe(false);
    expect(plugin.registry.size).toBe(0);
  });

  it("warns that it cannot see the plugin of a mounted app, and names app.runWithContext", async () => {
    const plugin = ownPlugin();
    const app = createApp(Status).use(plugin);
    app.mount(container());
    cleanups.push(() => app.unmount());
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());

    const store = effectScope(true);
    cleanups.push(() => store.stop());
    const withContext = app.runWithContext(() => store.run(() => useSocket()))!;
    expect(warn).not.toHaveBeenCalled();
    store.run(() => useSocket({ autoConnect: false }));

    // Must: in app.runWithContext the store gets the plugin's socket, silently; without, a warning.
    expect(withContext).toBe(plugin.socket());
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringMatching(/^\[Wireline\] useSocket\(\) ran outside any app.*runWithContext/),
    ]);
  });
});
