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
