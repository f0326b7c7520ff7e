import type {
  ConnectionSnapshot,
  DefaultEventsMap,
  EventsMap,
  IoOptions,
  Socket,
} from "@wireline/sdk";
import type { App, InjectionKey, ShallowRef } from "vue";
import { isServerRendering } from "./server-rendering.ts";
import {
  closeReleasedBy,
  createSocketRegistry,
  DEFAULT_RELEASE_DELAY,
  type SocketRegistry,
} from "./socket-registry.ts";
import { createClient } from "./wireline-client.ts";

/** Options of {@link createWireline}. */
export interface WirelineOptions {
  /** The server's URL, e.g. "https://chat.example.com". Default: the page's origin. */
  url?: string;
  /** Options of every connection the app's composables open (as `io(url, options)`). */
  options?: IoOptions;
  /**
   * Ms a socket stays connected after its last component unmounted, so that remounts and hot
   * reloads reuse it. Default 1000. An app's unmount does not wait: it closes at once what
   * that app was the last to use.
   */
  releaseDelay?: number;
}

/**
 * What the plugin provides: to composables through `inject`, to the Options API as
 * `this.$wireline`. Each app gets its own client (what it holds closes with it); the plugin
 * object is one too, for calls outside any app.
 */
export interface WirelineClient {
  /** The server's URL, as given to {@link createWireline}. */
  readonly url: string | undefined;
  /** The connection options, as given to {@link createWireline}. */
  readonly options: IoOptions;
  /** The plugin's shared, ref-counted sockets, shared by every app it is installed in. */
  readonly registry: SocketRegistry;
  /**
   * The socket of `namespace` (default: the URL's), held until the app unmounts (called on
   * the plugin object: until its last app unmounts): for the Options API, where no effect
   * scope releases it. Connected once, when the first component asking for it mounts (at once
   * outside components); after `disconnect()` it stays disconnected. Inert during server
   * rendering.
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

// Apps mounted with any Wireline plugin, for the warning of a composable that cannot see theirs.
let mountedApps = 0;

/** Whether some mounted app has a Wireline plugin installed. */
export function someAppUsesWireline(): boolean {
  return mountedApps > 0;
}

/**
 * The Vue plugin: one server URL and options for the whole app. Composables then need no
 * URL, sockets are shared and ref-counted per plugin, and the Options API gets
 * `this.$wireline`. Everything an app opened closes when it unmounts, once its components'
 * unmount hooks ran (they may still emit); what another mounted app of the same plugin still
 * uses stays, and what such an app let go of last keeps its release delay. Works with Vue 3.3
 * and later: it wraps `app.mount` and `app.unmount`, as Vue Router does.
 *
 * @example
 * createApp(App).use(createWireline({ url: "https://chat.example.com", options: { auth } }));
 */
export function createWireline(options?: WirelineOptions | null): WirelineClient & {
  install(app: App): void;
} {
  // Null too, as io(url, null) takes it.
  options ??= {};
  const settings = {
    url: options.url,
    options: options.options ?? {},
    registry: createSocketRegistry({
      releaseDelay: options.releaseDelay ?? DEFAULT_RELEASE_DELAY,
    }),
  };
  // Calls on the plugin object itself, outside any app: held until its last app unmounts.
  const own = createClient(settings, () => isServerRendering(), true);
  let appsMounted = 0;

  function install(app: App): void {
    const { client, close } = createClient(settings, () => isServerRendering(app));
    app.provide(wirelineKey, client);
    app.config.globalProperties.$wireline = client;
    const { mount, unmount } = app;
    // Installed after app.mount() (unusual, but allowed): it is mounted already.
    let mounted = (app as { _instance?: unknown })._instance != null;
    if (mounted) {
      appsMounted++;
      mountedApps++;
    }
    app.mount = (...args: Parameters<App["mount"]>) => {
      const root = mount(...args);
      if (!mounted) {
        mounted = true;
        appsMounted++;
        mountedApps++;
      }
      return root;
    };
    // After Vue's own unmount, not in app.onUnmount: Vue runs those before the components'
    // unmount hooks, which may still emit or ask for a socket.
    app.unmount = () => {
      unmount();
      if (!mounted) return;
      mounted = false;
      mountedApps--;
      close();
      if (--appsMounted > 0) {
        // As the last app's unmount does for everything: what this app let go of last closes
        // now, whether in this unmount or before it. Another app's keep their release delay.
        closeReleasedBy(settings.registry, client);
        return;
      }
      // The plugin object may serve apps mounted later (a test setup's shared plugin).
      own.release();
      settings.registry.clear();
    };
  }

  return Object.assign(own.client, { install });
}
