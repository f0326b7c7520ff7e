/**
 * Event names the Socket.IO protocol reserves for its own lifecycle: an app may not emit
 * them, and a peer may not send them as EVENT packets.
 */
export const RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/**
 * Checks the name of an event about to be emitted, by a client or a server: a string or a
 * finite number (as socket.io's parser takes), never a reserved name. Anything else would be
 * sent (`NaN` as `null`) and make the peer close the connection with a parse error, again at
 * every retry.
 */
export function checkEventName(event: unknown): void {
  if (typeof event !== "string" && !(typeof event === "number" && Number.isFinite(event)))
    throw new TypeError(
      `Wireline: an event name is a string, got ${typeof event === "number" ? event : typeof event}.`,
    );
  if (RESERVED_EVENT_NAMES.has(event as string))
    throw new Error(`Wireline: "${event}" is a reserved event name; give your event another name.`);
}
