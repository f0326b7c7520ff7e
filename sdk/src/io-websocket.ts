import type { EventsMap } from "./emitter.ts";
import { websocket } from "./engine/websocket.ts";
import { createIo, type IoFunction } from "./io.ts";
import { Manager as BaseManager, type ManagerOptions } from "./manager.ts";
import type { DefaultEventsMap } from "./socket.ts";
import { validateOptions } from "./validate-options.ts";

/** socket.io-client's `Manager`, whose transport names resolve to WebSocket only. */
export class Manager<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends BaseManager<ListenEvents, EmitEvents> {
  constructor(uri: string | ManagerOptions = {}, options: ManagerOptions = {}) {
    // Before the spread, which would take a string's letters as options.
    validateOptions(options);
    super(uri, { availableTransports: [websocket], ...options });
  }
}

/**
 * `io()` carrying only the WebSocket transport, so the polling code is not bundled. Listing
 * `"polling"` in `transports` is accepted and skipped; pass the `polling` module as a value
 * to use it anyway.
 *
 * @example
 * import { io } from "@wireline/sdk/websocket";
 * const socket = io("https://example.com");
 */
export const io: IoFunction = /* @__PURE__ */ createIo([websocket], Manager);
