import { flushPromises, mount } from "@vue/test-utils";
import type { Manager, Socket } from "@wireline/sdk";
import { afterEach, describe, expect, inject as injectProvided, it, vi } from "vitest";
import {
  type App,
  createSSRApp,
  defineComponent,
  effectScope,
  h,
  inject,
  nextTick,
  Suspense,
  shallowRef,
  watch,
} from "vue";
import { renderToString } from "vue/server-renderer";
import {
  createWireline,
  type UseSocketOptions,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
  type WirelineClient,
  wirelineKey,
} from "../index.ts";
import AwaitingStatus from "./AwaitingStatus.vue";
import EchoCard from "./EchoCard.vue";

const serverUrl = injectProvided("serverUrls")["mock-server"];

interface ServerEvents {
  welcome: (info: { id: string; auth: unknown }) => void;
}
interface ClientEvents {
  echo: (text: string, ack: (reply: string) => void) => void;
  "never-acked": (text: string, ack: (reply: string) => void) => void;
}

// Each test asks for its own connection: equal URL and options would share one.
let testCase = 0;
function ownOptions() {
  return { url: serverUrl, query: { case: String(++testCase) } };
}

/** Waits for a condition, with room for a loaded machine. */
function eventually<T>(read: () => T) {
  return expect.poll(read, { timeout: 10_000 });
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Counts the snapshot subscriptions a Manager holds, through its public subscribe(). */
function countSubscriptions(manager: Manager): () => number {
  const subscribe = manager.subscribe;
  let active = 0;
  manager.subscribe = (listener) => {
    active++;
    const unsubscribe = subscribe(listener);
    return () => {
      active--;
      unsubscribe();
    };
  };
  return () => active;
}

/** A component that exposes the socket it got from useSocket(). */
function socketHolder(options: UseSocketOptions = {}) {
  return defineComponent({
    setup(_, { expose }) {
      const socket = useSocket<ServerEvents, ClientEvents>(options);
      const status = useConnectionState((snapshot) => snapshot.status, socket);
      expose({ socket });
      return () => h("p", status.value);
    },
  });
}

describe("the plugin", () => {
  it("provides one client through inject and $wireline, and its composables connect to its URL", async () => {
    const plugin = createWireline({ url: serverUrl, options: { query: { case: "plugin" } } });
    let injected: WirelineClient | null = null;
    const Status = defineComponent({
      setup() {
        injected = inject(wirelineKey, null);
        const socket = useSocket<ServerEvents, ClientEvents>();
        const welcome = useSocketValue(socket, "welcome", undefined);
        const status = useConnectionState((snapshot) => snapshot.status);
        return () => h("p", `${status.value} ${welcome.value?.id ?? "-"}`);
      },
    });
    const wrapper = mount(Status, { global: { plugins: [plugin] } });
    cleanups.push(() => wrapper.unmount());

    // Must: the injected client is the app's client of the plugin, with the plugin's URL and
    // sockets, and the socket is the plugin's connection.
    expect(wrapper.vm.$wireline).toBe(injected);
    expect(injected!.url).toBe(serverUrl);
    expect(injected!.registry).toBe(plugin.registry);
    const socket = plugin.socket();
    // Must: the welcome the server sent on connect names this socket.
    await eventually(() => wrapper.text() === `connected ${socket.id}`).toBe(true);
    expect(plugin.registry.size).toBe(1);
  });

  it("closes every connection of the app when the app unmounts", async () => {
    const plugin = createWireline({ url: serverUrl, options: { query: { case: "app-unmount" } } });
    const wrapper = mount(socketHolder(), { global: { plugins: [plugin] } });
    const socket = (wrapper.vm as unknown as { socket: Socket }).socket;
    await eventually(() => socket.connected).toBe(true);

    wrapper.unmount();

    // Must: no release delay applies once the app itself is gone.
    expect(socket.active).toBe(false);
    expect(socket.io.readyState).toBe("closed");
    expect(plugin.registry.size).toBe(0);
  });

  it("reuses the socket when a component unmounts and mounts again within the release delay", async () => {
    const plugin = createWireline({
      url: serverUrl,
      options: { query: { case: "remount" } },
      releaseDelay: 5000,
    });
    const sockets: Socket[] = [];
    const Child = defineComponent({
      setup() {
        sockets.push(useSocket());
        return () => h("p", "child");
      },
    });
    const shown = shallowRef(true);
    const Parent = defineComponent({ setup: () => () => (shown.value ? h(Child) : null) });
    const wrapper = mount(Parent, { global: { plugins: [plugin] } });
    cleanups.push(() => wrapper.unmount());
    const socket = sockets[0]!;
    await eventually(() => socket.connected).toBe(true);
    let disconnects = 0;
    socket.on("disconnect", () => disconnects++);
    const sessionId = socket.id;

    shown.value = false;
    await nextTick();
    expect(wrapper.text()).toBe("");
    // Off-screen for a while, well within the 5 s delay: a remount after a route change.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.connected).toBe(true);
    shown.value = true;
    await nextTick();

    // Must: the same socket, never disconnected, the same session.
    expect(sockets).toHaveLength(2);
    expect(sockets[1]).toBe(socket);
    await flushPromises();
    expect(disconnects).toBe(0);
    expect(socket.id).toBe(sessionId);
    expect(socket.connected).toBe(true);
  });
});

describe("without the plugin", () => {
  it("shares one connection between components that use the same URL and options", async () => {
    const options = ownOptions();
    const Holder = socketHolder(options);
    const a = mount(Holder);
    const b = mount(Holder);
    cleanups.push(
      () => a.unmount(),
      () => b.unmount(),
    );
    const socketA = (a.vm as unknown as { socket: Socket }).socket;
    const socketB = (b.vm as unknown as { socket: Socket }).socket;

    // Must: one socket, one Manager, one Engine.IO session.
    expect(socketB).toBe(socketA);
    await eventually(() => a.text()).toBe("connected");
    expect(b.text()).toBe("connected");
    expect(socketA.io.engine?.id).toBeTruthy();

    // Must: other options mean another connection.
    const c = mount(socketHolder({ ...options, query: { case: "other" } }));
    cleanups.push(() => c.unmount());
    const socketC = (c.vm as unknown as { socket: Socket }).socket;
    expect(socketC).not.toBe(socketA);
    expect(socketC.io).not.toBe(socketA.io);
  });

  it("removes its listeners when the effect scope ends and disconnects after the release delay", async () => {
    const scope = effectScope();
    const welcomes: string[] = [];
    let socket!: Socket<ServerEvents, ClientEvents>;
    let subscriptions!: () => number;
    scope.run(() => {
      socket = useSocket<ServerEvents, ClientEvents>(ownOptions());
      subscriptions = countSubscriptions(socket.io);
      useSocketEvent(socket, "welcome", (info) => welcomes.push(info.id));
      useSocketValue(socket, "welcome", undefined);
      useConnectionState(socket);
      useConnectionState((snapshot) => snapshot.attempt, socket);
    });
    await eventually(() => welcomes.length).toBe(1);
    expect(socket.listeners("welcome")).toHaveLength(2);
    expect(subscriptions()).toBe(2);

    scope.stop();
    const stoppedAt = Date.now();

    // Must: listeners and subscriptions go at once; the connection stays for the delay.
    expect(socket.listeners("welcome")).toHaveLength(0);
    expect(subscriptions()).toBe(0);
    expect(socket.connected).toBe(true);
    await eventually(() => socket.io.readyState).toBe("closed");
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(900);
    expect(socket.active).toBe(false);
  });

  it("calls the latest handler when the handler is a ref", async () => {
    const scope = effectScope();
    cleanups.push(() => scope.stop());
    const calls: string[] = [];
    const handler = shallowRef((_info: { id: string }) => calls.push("first"));
    const socket = scope.run(() => {
      const socket = useSocket<ServerEvents, ClientEvents>(ownOptions());
      useSocketEvent(socket, "welcome", handler);
      return socket;
    })!;
    handler.value = () => calls.push("second");
    await eventually(() => calls).toEqual(["second"]);
    expect(socket.connected).toBe(true);
  });
});

/** Mounts `app` over server-rendered `html`, collecting Vue's warnings and console errors. */
function hydrate(app: App, html: string) {
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  const warnings: string[] = [];
  app.config.warnHandler = (message) => warnings.push(message);
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  cleanups.push(
    () => error.mockRestore(),
    () => app.unmount(),
    () => container.remove(),
  );
  app.mount(container);
  return { container, warnings, error };
}

describe("hydration", () => {
  it("hydrates server-rendered HTML without a mismatch, then connects", async () => {
    const plugin = createWireline({ url: serverUrl, options: { query: { case: "hydration" } } });
    const Status = defineComponent({
      setup() {
        const status = useConnectionState((snapshot) => snapshot.status);
        return () => h("p", status.value);
      },
    });
    // What the server rendered for this component (see ssr.test.ts): the idle state.
    const { container, warnings, error } = hydrate(createSSRApp(Status).use(plugin), "<p>idle</p>");

    // Must: hydration saw the state the server rendered; the status goes live afterwards.
    expect(warnings).toEqual([]);
    expect(error).not.toHaveBeenCalled();
    await eventually(() => container.textContent).toBe("connected");
  });
});

describe("hydration inside <Suspense>", () => {
  it("hydrates a component that awaits in its setup while a sibling already connected the socket", async () => {
    const options = { query: { case: "hydration-suspense" } };
    const Sibling = defineComponent({
      setup() {
        const status = useConnectionState((snapshot) => snapshot.status);
        return () => h("p", status.value);
      },
    });
    // A layout outside the page's <Suspense>, as in Nuxt, and the page awaiting its data.
    const Page = defineComponent({
      setup: () => () =>
        h("div", [h(Sibling), h(Suspense, null, { default: () => h(AwaitingStatus) })]),
    });
    const html = await renderToString(
      createSSRApp(Page).use(createWireline({ url: serverUrl, options })),
    );
    expect(html).toBe('<div><p>idle</p><p class="awaiting">idle</p></div>');
    const app = createSSRApp(Page).use(createWireline({ url: serverUrl, options }));
    const { container, warnings, error } = hydrate(app, html);
    await eventually(() => container.querySelector(".awaiting")?.textContent).toBe("connected");

    // Must: the page hydrated as "idle", what the server rendered, though the socket was
    // connecting by then; it went live once mounted.
    expect(warnings).toEqual([]);
    expect(error).not.toHaveBeenCalled();
    expect(container.textContent).toBe("connectedconnected");
  });
  it("hydrates the Options API's this.$wireline.state() as idle too, then shows it live", async () => {
    const options = { query: { case: "hydration-suspense-options" } };
    const Sibling = defineComponent({
      setup() {
        useSocket();
        return () => h("span", "sibling");
      },
    });
    const AwaitingOptions = defineComponent({
      async setup() {
        await new Promise((resolve) => setTimeout(resolve, 60));
        return {};
      },
      render() {
        return h("p", { class: "options" }, this.$wireline.state().value.status);
      },
    });
    const Page = defineComponent({
      setup: () => () =>
        h("div", [h(Sibling), h(Suspense, null, { default: () => h(AwaitingOptions) })]),
    });
    const html = await renderToString(
      createSSRApp(Page).use(createWireline({ url: serverUrl, options })),
    );
    const app = createSSRApp(Page).use(createWireline({ url: serverUrl, options }));
    const { container, warnings, error } = hydrate(app, html);
    await eventually(() => container.querySelector(".options")?.textContent).toBe("connected");

    // Must: the sibling had connected the socket before this component hydrated.
    expect(warnings).toEqual([]);
    expect(error).not.toHaveBeenCalled();
  });
});

describe("outside an effect scope", () => {
  it("warns that nothing would release the socket, the listener or the subscription", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const socket = useSocket(ownOptions());
    const stop = useSocketEvent(socket, "welcome", () => {});
    useConnectionState(socket);
    cleanups.push(stop, () => socket.disconnect());

    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringMatching(
        /^\[Wireline\] useSocket\(\) was called outside setup\(\) or an effect scope/,
      ),
      expect.stringMatching(/^\[Wireline\] useSocketEvent\("welcome"\) was called outside/),
      expect.stringMatching(/^\[Wireline\] useConnectionState\(\) was called outside/),
    ]);
    // Must: the returned stop function still removes the listener.
    stop();
    expect(socket.listeners("welcome")).toHaveLength(0);
  });
});

describe("useEmitWithAck", () => {
  function inScope<T>(run: () => T): T {
    const scope = effectScope();
    cleanups.push(() => scope.stop());
    return scope.run(run)!;
  }

  it("resolves with the acknowledgement and sets data and status", async () => {
    const echo = inScope(() =>
      useEmitWithAck(useSocket<ServerEvents, ClientEvents>(ownOptions()), "echo", {
        timeout: 5000,
      }),
    );
    expect(echo.status.value).toBe("idle");
    const pending = echo.emit("hello");
    expect(echo.status.value).toBe("pending");

    await expect(pending).resolves.toEqual({ status: "success", data: "hello", error: undefined });
    expect(echo.status.value).toBe("success");
    expect(echo.data.value).toBe("hello");
    expect(echo.error.value).toBeUndefined();

    echo.reset();
    expect([echo.status.value, echo.data.value]).toEqual(["idle", undefined]);
  });

  it("fails with an ack-timeout error when the server never acknowledges", async () => {
    const neverAcked = inScope(() =>
      useEmitWithAck(useSocket<ServerEvents, ClientEvents>(ownOptions()), "never-acked", {
        timeout: 200,
      }),
    );
    const outcome = await neverAcked.emit("anyone?");
    expect(outcome.status).toBe("error");
    expect(outcome.error).toBe(neverAcked.error.value);
    expect(neverAcked.status.value).toBe("error");
    expect(neverAcked.error.value?.message).toMatch(/operation has timed out/);
    expect(neverAcked.data.value).toBeUndefined();
  });

  it("ignores the reply of an older call once a newer one was made", async () => {
    const echo = inScope(() =>
      useEmitWithAck(useSocket<ServerEvents, ClientEvents>(ownOptions()), "echo"),
    );
    const seen: Array<string | undefined> = [];
    inScope(() => watch(echo.data, (value) => seen.push(value), { flush: "sync" }));
    const older = echo.emit("older");
    const newer = echo.emit("newer");

    // Must: both calls get their own reply; only the newer one reaches the refs.
    await expect(older).resolves.toMatchObject({ status: "success", data: "older" });
    await expect(newer).resolves.toMatchObject({ status: "success", data: "newer" });
    expect(seen).toEqual(["newer"]);
    expect(echo.status.value).toBe("success");
  });

  it("ignores a reply that arrives after its effect scope ended", async () => {
    const scope = effectScope();
    const echo = scope.run(() =>
      useEmitWithAck(useSocket<ServerEvents, ClientEvents>(ownOptions()), "echo"),
    )!;
    const reply = echo.emit("late");
    scope.stop();
    await expect(reply).resolves.toMatchObject({ status: "success", data: "late" });
    expect(echo.status.value).toBe("pending");
    expect(echo.data.value).toBeUndefined();
  });
});

describe("useConnectionState", () => {
  it("re-renders a selected slice only when the slice changes, and the whole state on every change", async () => {
    const options = ownOptions();
    let sliceRenders = 0;
    let stateRenders = 0;
    const Slice = defineComponent({
      setup() {
        const connected = useConnectionState(
          (snapshot) => snapshot.status === "connected",
          useSocket(options),
        );
        return () => {
          sliceRenders++;
          return h("p", connected.value ? "yes" : "no");
        };
      },
    });
    const Whole = defineComponent({
      setup() {
        const socket = useSocket(options);
        const state = useConnectionState(socket);
        // Must: the ref holds the Manager's snapshot itself.
        expect(state.value).toBe(socket.io.getSnapshot());
        return () => {
          stateRenders++;
          return h("p", state.value.status);
        };
      },
    });
    const whole = mount(Whole);
    const slice = mount(Slice);
    cleanups.push(
      () => slice.unmount(),
      () => whole.unmount(),
    );

    await eventually(() => whole.text()).toBe("connected");
    await eventually(() => slice.text()).toBe("yes");
    // Must: the slice renders twice (no, then yes); the whole state once per snapshot
    // (idle, connecting, connected).
    expect(sliceRenders).toBe(2);
    expect(stateRenders).toBeGreaterThanOrEqual(3);
  });

  it("re-renders a selector returning a fresh object only when its fields change", async () => {
    let renders = 0;
    const Online = defineComponent({
      setup() {
        const online = useConnectionState(
          (snapshot) => ({ online: snapshot.status === "connected" }),
          useSocket(ownOptions()),
        );
        return () => {
          renders++;
          return h("p", String(online.value.online));
        };
      },
    });
    const wrapper = mount(Online);
    cleanups.push(() => wrapper.unmount());
    await eventually(() => wrapper.text()).toBe("true");
    await flushPromises();

    // Must: false, then true; "connecting" gave an equal { online: false }.
    expect(renders).toBe(2);
  });

  it("follows the status through a disconnection and a reconnection", async () => {
    const wrapper = mount(socketHolder(ownOptions()));
    cleanups.push(() => wrapper.unmount());
    const socket = (wrapper.vm as unknown as { socket: Socket }).socket;
    await eventually(() => wrapper.text()).toBe("connected");
    socket.disconnect();
    await eventually(() => wrapper.text()).toBe("disconnected");
    socket.connect();
    await eventually(() => wrapper.text()).toBe("connected");
  });
});

describe("components", () => {
  it("work in <script setup> single-file components", async () => {
    const plugin = createWireline({ url: serverUrl, options: { query: { case: "sfc" } } });
    const wrapper = mount(EchoCard, { global: { plugins: [plugin] } });
    cleanups.push(() => wrapper.unmount());

    await eventually(() => wrapper.get("[data-test=status]").text()).toBe("connected");
    await eventually(() => wrapper.get("[data-test=welcome]").text()).toMatch(/^welcome \S+$/);
    expect(wrapper.get("[data-test=events]").text()).toBe("1");

    await wrapper.get("button").trigger("click");
    await eventually(() => wrapper.get("[data-test=reply]").text()).toBe("success: ping from sfc");
  });

  it("connect when the Options API first asks for the state while rendering", async () => {
    const plugin = createWireline({ url: serverUrl, options: { query: { case: "render" } } });
    const RenderOnly = defineComponent({
      render() {
        return h("p", this.$wireline.state().value.status);
      },
    });
    const wrapper = mount(RenderOnly, { global: { plugins: [plugin] } });
    cleanups.push(() => wrapper.unmount());
    await eventually(() => wrapper.text()).toBe("connected");
  });

  it("work in the Options API through this.$wireline", async () => {
    const plugin = createWireline({ url: serverUrl, options: { query: { case: "options" } } });
    const OptionsStatus = defineComponent({
      data: () => ({ welcomeId: "" }),
      computed: {
        status(): string {
          return this.$wireline.state().value.status;
        },
      },
      mounted() {
        this.$wireline.socket<ServerEvents>().on("welcome", this.onWelcome);
      },
      beforeUnmount() {
        this.$wireline.socket<ServerEvents>().off("welcome", this.onWelcome);
      },
      methods: {
        onWelcome(info: { id: string }) {
          this.welcomeId = info.id;
        },
      },
      render() {
        return h("p", `${this.status} ${this.welcomeId || "-"}`);
      },
    });
    const wrapper = mount(OptionsStatus, { global: { plugins: [plugin] } });
    cleanups.push(() => wrapper.unmount());

    const socket = plugin.socket();
    await eventually(() => wrapper.text() === `connected ${socket.id}`).toBe(true);
  });
});
