import type { EventsMap } from "./emitter.ts";
import { polling } from "./engine/polling.ts";
import { websocket } from "./engine/websocket.ts";
import { createIo, type IoFunction } from "./io.ts";
import { Manager as BaseManager, type ManagerOptions } from "./manager.ts";
import type { DefaultEventsMap } from "./socket.ts";
import { validateOptions } from "./validate-options.ts";

/**
 * socket.io-client's `Manager`, whose transport names resolve to this entry's transports
 * (WebSocket and polling). Its type parameters (an app's event maps) are only there to mirror
 * socket.io-client's `Manager<ListenEvents, EmitEvents>`.
 *
 * @example
 * const manager = new Manager("https://example.com", { reconnectionDelayMax: 10_000 });
 * const chat = manager.socket("/chat");
 */
export class Manager<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends BaseManager<ListenEvents, EmitEvents> {
  constructor(uri: string | ManagerOptions = {}, options: ManagerOptions = {}) {
    // Before the spread, which would take a string's letters as options.
    validateOptions(options);
    super(uri, { availableTransports: [websocket, polling], ...options });
  }
}

/**
 * Connects to a Socket.IO server and returns the socket of the URL's namespace — the same
 * call as socket.io-client's `io()`. Sockets to several namespaces of one server share one
 * connection, unless `forceNew` or `multiplex: false`. Carries both transports: WebSocket
 * first, polling as fallback (or polling first with upgrade, via `transports`). For a
 * WebSocket-only bundle import `io` from `@wireline/sdk/websocket` instead.
 *
 * @example
 * const socket = io("https://example.com", { auth: { token } });
 * const chat = io("https://example.com/chat"); // shares the connection
 */
export const io: IoFunction = /* @__PURE__ */ createIo([websocket, polling], Manager);
