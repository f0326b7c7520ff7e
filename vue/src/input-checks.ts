// What an app passes to the composables, checked at the call: the error is thrown once, where
// Vue's errorHandler sees it, not at every event, and before anything is held.

/** Throws a TypeError: `rule` says what the app must pass, `got` what it passed. */
export function refuse(rule: string, got: unknown): never {
  throw new TypeError(`Wireline: ${rule}, got ${got}.`);
}

/** Refuses an event name that is no string (a number is taken, as socket.io takes it). */
export function assertEventName(call: string, event: unknown): void {
  if (typeof event !== "string" && typeof event !== "number") {
    refuse(`${call}'s event name must be a string`, typeof event);
  }
}

/** Refuses a socket that is none (null, a ref holding one): one without `key`, what the caller uses. */
export function assertSocket(socket: unknown, key: "on" | "io" = "on"): void {
  if (!(socket as Record<string, unknown> | null)?.[key]) {
    refuse("pass a socket from useSocket(), not a ref of one", socket && typeof socket);
  }
}
