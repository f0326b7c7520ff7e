import { type ConnectionSnapshot, IDLE_SNAPSHOT, type IoOptions, type Socket } from "@wireline/sdk";
import {
  computed,
  getCurrentInstance,
  nextTick,
  type Ref,
  type ShallowRef,
  shallowReadonly,
  shallowRef,
} from "vue";
import { connectWhenMounted } from "./connect-when-mounted.ts";
import { inertSocket } from "./inert-socket.ts";
import type { WirelineClient } from "./plugin.ts";
import { isHydrating } from "./server-rendering.ts";
import {
  pluginWideOptions,
  type SocketLease,
  type SocketRegistry,
  takenFor,
} from "./socket-registry.ts";

/** What every client of one plugin shares: its server, its options and its sockets. */
export interface ClientSettings {
  url: string | undefined;
  options: IoOptions;
  registry: SocketRegistry;
}

/** A {@link WirelineClient} and the ways to let go of what it holds. */
export interface ClosableClient {
  client: WirelineClient;
  /** Releases the sockets and state subscriptions it holds; later calls hold anew. */
  release(): void;
  /** Releases as {@link ClosableClient.release} does, and holds nothing afterwards. */
  close(): void;
}

/**
 * A client holding its own sockets and state refs on the plugin's shared registry: one per
 * app the plugin is installed in (its sockets are released when that app unmounts, not when
 * another does), and one for calls on the plugin object itself. `serverRendering` tells
 * whether its app is being rendered on the server, where sockets are inert.
 */
export function createClient(
  settings: ClientSettings,
  serverRendering: () => boolean,
  /** Inert sockets are made anew at each call (the plugin object's client, shared by requests). */
  inertPerCall = false,
): ClosableClient {
  const held = new Map<string, SocketLease>();
  // Kept per client so that a plugin shared by many server renders holds nothing of theirs.
  const inert = new Map<string, Socket>();
  const states = new Map<string, ShallowRef<ConnectionSnapshot>>();
  const unsubscribes: Array<() => void> = [];
  let closed = false;

  function socketOf(namespace: string | undefined): Socket {
    const key = namespace ?? "";
    if (serverRendering()) {
      if (inertPerCall) return inertSocket(settings.url, namespace);
      let socket = inert.get(key);
      if (!socket) {
        socket = inertSocket(settings.url, namespace);
        inert.set(key, socket);
      }
      return socket;
    }
    let lease = held.get(key);
    if (!lease) {
      lease = takenFor(
        settings.registry.acquire(settings.url, namespace, pluginWideOptions(settings.options)),
        client,
      );
      if (closed) {
        // Asked after its app unmounted (a late callback): the socket closes after the
        // release delay unless someone else holds it, and this client opens nothing.
        lease.release();
        return lease.socket;
      }
      held.set(key, lease);
    }
    // Each call, as its caller may be the first to mount; only the first mount connects.
    if (settings.options.autoConnect !== false) connectWhenMounted(lease);
    return lease.socket;
  }

  const client: WirelineClient = {
    url: settings.url,
    options: settings.options,
    registry: settings.registry,
    socket: (namespace?: string) => socketOf(namespace) as never,
    state(namespace?: string) {
      const key = namespace ?? "";
      let state = states.get(key);
      if (!state) {
        const manager = socketOf(namespace).io;
        const current = shallowRef(manager.getSnapshot());
        if (!serverRendering() && !closed) {
          unsubscribes.push(manager.subscribe(() => (current.value = manager.getSnapshot())));
        }
        state = current;
        states.set(key, state);
      }
      return hydrationSafe(state);
    },
  };

  /**
   * The state as the calling component may show it: while it hydrates server-rendered HTML,
   * the `idle` the server rendered (the socket may be live by then), then the live state.
   */
  function hydrationSafe(state: ShallowRef<ConnectionSnapshot>): Readonly<Ref<ConnectionSnapshot>> {
    if (!getCurrentInstance() || !isHydrating()) return shallowReadonly(state);
    // Read while rendering, where no mounted hook can be added for this mount: the tick after
    // it, the component is mounted and renders the live state.
    const mounted = shallowRef(false);
    void nextTick().then(() => {
      mounted.value = true;
    });
    return computed(() => (mounted.value ? state.value : IDLE_SNAPSHOT));
  }

  function release(): void {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    states.clear();
    for (const lease of held.values()) lease.release();
    held.clear();
  }

  return {
    client,
    release,
    close() {
      closed = true;
      release();
    },
  };
}
