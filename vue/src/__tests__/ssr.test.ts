import type { Socket } from "@wireline/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSSRApp, defineComponent, effectScope, h } from "vue";
import { renderToString } from "vue/server-renderer";
import {
  createWireline,
  type SocketRegistry,
  sharedRegistry,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
} from "../index.ts";
import EchoCard from "./EchoCard.vue";

// A port nothing listens on: were anything to connect, it would show as an attempt.
const url = "http://127.0.0.1:9";

const opened: string[] = [];
const warnings: string[] = [];
let timersBefore = 0;

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

beforeEach(() => {
  opened.length = 0;
  warnings.length = 0;
  vi.stubGlobal(
    "WebSocket",
    class {
      constructor(target: string) {
        opened.push(String(target));
      }
    },
  );
  vi.stubGlobal("fetch", (target: unknown) => {
    opened.push(String(target));
    return new Promise(() => {});
  });
  vi.spyOn(console, "warn").mockImplementation((...args) => warnings.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...args) => warnings.push(args.join(" ")));
  vi.spyOn(globalThis, "setTimeout");
  vi.spyOn(globalThis, "setInterval");
  timersBefore = activeTimers();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Renders like a server would, collecting Vue's own warnings too. */
async function render(app: ReturnType<typeof createSSRApp>): Promise<string> {
  app.config.warnHandler = (message) => warnings.push(message);
  return renderToString(app);
}

function expectNothingStarted(registry: SocketRegistry): void {
  // Must: no WebSocket, no request, no timer scheduled or left, no warning, and no socket
  // kept: a server process renders many requests and never unmounts.
  expect(registry.size).toBe(0);
  expect(opened).toEqual([]);
  expect(setTimeout).not.toHaveBeenCalled();
  expect(setInterval).not.toHaveBeenCalled();
  expect(activeTimers()).toBe(timersBefore);
  expect(warnings).toEqual([]);
}

const Composables = defineComponent({
  props: { url: { type: String, default: undefined } },
  setup(props) {
    const socket = useSocket(props.url === undefined ? {} : { url: props.url });
    const state = useConnectionState(socket);
    const status = useConnectionState((snapshot) => snapshot.status, socket);
    const welcome = useSocketValue(socket, "welcome", "none");
    const save = useEmitWithAck(socket, "save", { timeout: 1000 });
    useSocketEvent(socket, "chat", () => {});
    return () =>
      h("p", [
        `${state.value.status}/${status.value}/${welcome.value}/${save.status.value}`,
        ` ${socket.connected ? "connected" : "not connected"}`,
      ]);
  },
});

describe("server-side rendering", () => {
  it("renders composables with the plugin as idle, opening nothing", async () => {
    const plugin = createWireline({ url });
    const html = await render(createSSRApp(Composables).use(plugin));
    expect(html).toBe("<p>idle/idle/none/idle not connected</p>");
    expectNothingStarted(plugin.registry);
  });

  it("renders composables without the plugin as idle, opening nothing", async () => {
    const app = createSSRApp(Composables, { url });
    const html = await render(app);
    expect(html).toBe("<p>idle/idle/none/idle not connected</p>");
    expectNothingStarted(sharedRegistry);
  });

  it("renders a <script setup> component, opening nothing", async () => {
    const plugin = createWireline({ url });
    const html = await render(createSSRApp(EchoCard).use(plugin));
    expect(html).toContain('<p data-test="status">idle</p>');
    expect(html).toContain('<p data-test="welcome">waiting</p>');
    expectNothingStarted(plugin.registry);
  });

  it("renders the Options API's $wireline as idle, opening nothing", async () => {
    const Options = defineComponent({
      computed: {
        status(): string {
          return this.$wireline.state().value.status;
        },
      },
      created() {
        this.$wireline.socket().on("welcome", () => {});
      },
      render() {
        return h("p", this.status);
      },
    });
    const plugin = createWireline({ url });
    const html = await render(createSSRApp(Options).use(plugin));
    expect(html).toBe("<p>idle</p>");
    expectNothingStarted(plugin.registry);
  });

  it("gives every request of a shared plugin its own inert socket, so listeners do not pile up", async () => {
    const sockets: Socket[] = [];
    const Options = defineComponent({
      created() {
        const socket = this.$wireline.socket();
        socket.on("welcome", () => {});
        sockets.push(socket);
      },
      render: () => h("p", "page"),
    });
    const plugin = createWireline({ url });
    for (let request = 0; request < 3; request++) {
      await render(createSSRApp(Options).use(plugin));
    }

    // Must: each request's socket went with its request, holding its own listener only.
    expect(new Set(sockets).size).toBe(3);
    expect(sockets.map((socket) => socket.listeners("welcome").length)).toEqual([1, 1, 1]);
    expectNothingStarted(plugin.registry);
  });
});

describe("the plugin object shared by every request", () => {
  it("hands each call an inert socket of its own, so a store's listeners do not pile up", async () => {
    const plugin = createWireline({ url });
    const sockets: Socket[] = [];
    const Page = defineComponent({
      setup() {
        // A store or composable reaching for the module-level plugin, as apps do.
        const socket = plugin.socket();
        socket.on("news", () => {});
        sockets.push(socket);
        return () => h("p", "page");
      },
    });
    for (let request = 0; request < 3; request++) await render(createSSRApp(Page).use(plugin));
    expect(new Set(sockets).size).toBe(3);
    expect(sockets.map((socket) => socket.listeners("news").length)).toEqual([1, 1, 1]);
    expectNothingStarted(plugin.registry);
  });
});

describe("outside any app, in Node", () => {
  it("connects composables run in a plain effect scope, as a store tested in Node does", () => {
    const scope = effectScope();
    const plugin = createWireline({ url });
    const [viaComposable, viaPlugin] = scope.run(() => [useSocket({ url }), plugin.socket()])!;
    try {
      // Must: no server render is going on, so both connect as io() would.
      expect(viaComposable.active).toBe(true);
      expect(viaPlugin.active).toBe(true);
    } finally {
      scope.stop();
      sharedRegistry.clear();
      plugin.registry.clear();
    }
  });
});
