import type { DefaultEventsMap, EventsMap, IoOptions, Socket } from "@wireline/sdk";
import { hasInjectionContext, inject } from "vue";
import { connectWhenMounted } from "./connect-when-mounted.ts";
import { inertSocket } from "./inert-socket.ts";
import { refuse } from "./input-checks.ts";
import { someAppUsesWireline, wirelineKey } from "./plugin.ts";
import { onScopeEnd, warn, warnOutsideScope } from "./scope-end.ts";
import { isServerRendering } from "./server-rendering.ts";
import { pluginWideOptions, sharedRegistry, takenFor } from "./socket-registry.ts";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

/** Options of {@link useSocket}: `io()`'s, plus the server's URL. */
export interface UseSocketOptions extends IoOptions {
  /**
   * The server's URL. Default: the plugin's, else the page's origin. A URL given here uses
   * these options alone, not the plugin's.
   */
  url?: string;
}

/**
 * The socket of a namespace (default: the URL's, usually "/"), shared by every component
 * that asks for the same URL and options: with the plugin, per plugin (its apps share them);
 * without it, per page. It connects when its first component mounts (at once outside
 * components), once: after `socket.disconnect()` or a server's kick it stays disconnected
 * until you connect it. It is released when the effect scope ends; the last release
 * disconnects it after the release delay (1000 ms by default), or at once when its app
 * unmounts. `forceNew: true` or `multiplex: false` give this call a socket and connection of
 * its own, as with `io()`. During server rendering it is an inert socket that never connects. In a store's own `effectScope()`, outside any app, the plugin is out
 * of reach: run the store inside `app.runWithContext()` to use it.
 *
 * @example
 * const socket = useSocket<ServerEvents, ClientEvents>();            // with the plugin
 * const chat = useSocket("/chat", { url: "https://chat.example.com" }); // without it
 */
export function useSocket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
>(namespace?: string, options?: UseSocketOptions): Socket<ListenEvents, EmitEvents>;
export function useSocket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
>(options: UseSocketOptions): Socket<ListenEvents, EmitEvents>;
export function useSocket(
  namespaceOrOptions?: string | UseSocketOptions,
  maybeOptions: UseSocketOptions = {},
): Socket {
  // useSocket("/chat", "https://…") would spread the URL's letters as options.
  if (maybeOptions !== null && typeof maybeOptions !== "object") {
    refuse("useSocket's options must be an object such as { url }", typeof maybeOptions);
  }
  // Null options are none, as io(url, null) takes them.
  const [namespace, { url, ...ioOptions }] =
    typeof namespaceOrOptions === "object"
      ? [undefined, namespaceOrOptions ?? {}]
      : [namespaceOrOptions, maybeOptions ?? {}];
  const inApp = hasInjectionContext();
  const client = inApp ? inject(wirelineKey, null) : null;
  if (!inApp && url === undefined) {
    // Inline, so that production builds drop the warnings; no `process` (no bundler) warns.
    try {
      if (process.env.NODE_ENV !== "production") warnOutsideApp();
    } catch {
      warnOutsideApp();
    }
  }
  // An explicit URL is another server: the plugin's options are not meant for it.
  const fromPlugin = url === undefined ? client : null;
  const serverUrl = url ?? fromPlugin?.url;
  const options = { ...pluginWideOptions(fromPlugin?.options ?? {}), ...ioOptions };
  if (isServerRendering()) return inertSocket(serverUrl, namespace);

  const lease = (client?.registry ?? sharedRegistry).acquire(serverUrl, namespace, options);
  // Taken for the app: its unmount closes at once what it let go of last.
  if (client) takenFor(lease, client);
  if (!onScopeEnd(lease.release)) {
    try {
      if (process.env.NODE_ENV !== "production") warnNeverReleased();
    } catch {
      warnNeverReleased();
    }
  }
  if (options.autoConnect !== false) connectWhenMounted(lease);
  return lease.socket;
}

/** Warns a caller outside any app, if some app has the plugin: the plugin is out of its reach. */
function warnOutsideApp(): void {
  if (!someAppUsesWireline()) return;
  warn(
    "useSocket() ran outside any app (e.g. in a store's own effectScope()), so it ignores the plugin's URL and options. Run it in app.runWithContext(), or pass { url }.",
  );
}

function warnNeverReleased(): void {
  warnOutsideScope("useSocket()", "its socket is never released");
}
