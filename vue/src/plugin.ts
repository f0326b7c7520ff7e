import type {
  ConnectionSnapshot,
  DefaultEventsMap,
  EventsMap,
  IoOptions,
  Socket,
} from "@wireline/sdk";
import { type App, type InjectionKey, type ShallowRef, shallowReadonly, shallowRef } from "vue";
import { connectWhenMounted } from "./connect-when-mounted.ts";
import { inertSocket } from "./inert-socket.ts";
import { isServerRendering } from "./server-rendering.ts";
import {
  createSocketRegistry,
  DEFAULT_RELEASE_DELAY,
  type SocketLease,
  type SocketRegistry,
} from "./socket-registry.ts";

/** Options of {@link createWireline}. */
export interface WirelineOptions {
  /** The server's URL, e.g. "https://chat.example.com". Default: the page's origin. */
  url?: string;
  /** Options of every connection the app's composables open (as `io(url, options)`). */
  options?: IoOptions;
  /**
   * Ms a socket stays connected after its last component unmounted, so that remounts and hot
   * reloads reuse it. Default 1000.
   */
  releaseDelay?: number;
}

/** What the plugin provides: to composables through `inject`, to the Options API as `this.$wireline`. */
export interface WirelineClient {
  /** The server's URL, as given to {@link createWireline}. */
  readonly url: string | undefined;
  /** The connection options, as given to {@link createWireline}. */
  readonly options: IoOptions;
  /** The app's shared, ref-counted sockets. */
  readonly registry: SocketRegistry;
  /**
   * The socket of `namespace` (default: the URL's), held until the app unmounts: for the
   * Options API, where no effect scope releases it. Connected in a browser, inert during
   * server rendering.
   *
   * @example this.$wireline.socket().emit("hello")
   */
  socket<
    ListenEvents extends EventsMap = DefaultEventsMap,
    EmitEvents extends EventsMap = ListenEvents,
  >(namespace?: string): Socket<ListenEvents, EmitEvents>;
  /**
   * The live connection state of that socket, as a readonly ref, for Options API templates.
   *
   * @example computed: { status() { return this.$wireline.state().value.status; } }
   */
  state(namespace?: string): Readonly<ShallowRef<ConnectionSnapshot>>;
}

/** The key under which the plugin provides its {@link WirelineClient}. */
export const wirelineKey: InjectionKey<WirelineClient> = Symbol("wireline");

declare module "vue" {
  interface ComponentCustomProperties {
    /** The Wireline client installed with `app.use(createWireline(...))`. */
    $wireline: WirelineClient;
  }
}

/**
 * The Vue plugin: one server URL and options for the whole app. Composables then need no
 * URL, sockets are shared and ref-counted per app, and the Options API gets `this.$wireline`.
 * Everything the app opened closes when it unmounts.
 *
 * @example
 * createApp(App).use(createWireline({ url: "https://chat.example.com", options: { auth } }));
 */
export function createWireline(options: WirelineOptions = {}): WirelineClient & {
  install(app: App): void;
} {
  const registry = createSocketRegistry({
    releaseDelay: options.releaseDelay ?? DEFAULT_RELEASE_DELAY,
  });
  const ioOptions = options.options ?? {};
  let installedIn: App | undefined;
  const held = new Map<string, SocketLease>();
  const inert = new Map<string, Socket>();
  const states = new Map<string, ShallowRef<ConnectionSnapshot>>();
  const unsubscribes: Array<() => void> = [];

  const serverRendering = () =>
    installedIn ? isServerRendering(installedIn) : isServerRendering();

  function socketOf(namespace: string | undefined): Socket {
    const key = namespace ?? "";
    if (serverRendering()) {
      let socket = inert.get(key);
      if (!socket) {
        socket = inertSocket(options.url, namespace);
        inert.set(key, socket);
      }
      return socket;
    }
    let lease = held.get(key);
    if (!lease) {
      lease = registry.acquire(options.url, namespace, ioOptions);
      held.set(key, lease);
    }
    if (ioOptions.autoConnect !== false) connectWhenMounted(lease.socket);
    return lease.socket;
  }

  const client = {
    url: options.url,
    options: ioOptions,
    registry,
    socket: (namespace?: string) => socketOf(namespace) as never,
    state(namespace?: string) {
      const key = namespace ?? "";
      let state = states.get(key);
      if (!state) {
        const manager = socketOf(namespace).io;
        const current = shallowRef(manager.getSnapshot());
        if (!serverRendering()) {
          unsubscribes.push(manager.subscribe(() => (current.value = manager.getSnapshot())));
        }
        state = current;
        states.set(key, state);
      }
      return shallowReadonly(state);
    },
    install(app: App) {
      installedIn = app;
      app.provide(wirelineKey, client);
      app.config.globalProperties.$wireline = client;
      // Vue 3.5+: close what the app opened when it unmounts.
      app.onUnmount?.(() => {
        for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
        states.clear();
        for (const lease of held.values()) lease.release();
        held.clear();
        registry.clear();
      });
    },
  };
  return client;
}
