// What an app passes to the hooks, checked while rendering: an error boundary catches the
// error there, once, instead of an uncaught one at every event or a silent wrong connection.

/** Throws a TypeError: `rule` says what the app must pass, `got` what it passed. */
export function refuse(rule: string, got: unknown): never {
  throw new TypeError(`Wireline: ${rule}, got ${got}.`);
}

/** Refuses an event name that is no string (a number is taken, as socket.io takes it). */
export function assertEventName(hook: string, event: unknown): void {
  if (typeof event !== "string" && typeof event !== "number") {
    refuse(`${hook}'s event name must be a string`, typeof event);
  }
}
