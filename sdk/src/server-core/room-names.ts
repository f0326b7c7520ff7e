/**
 * The rooms a `join`, `leave`, `to`, `in` or `except` call names, as a list: one room or an
 * array of them, each a string (or a number, by which socket.io keys a room as well). Anything
 * else throws a TypeError: a room named `undefined` (a mistyped variable) would gather sockets
 * that only the same mistake reaches.
 */
export function roomNames(rooms: unknown): string[] {
  const list: unknown[] = Array.isArray(rooms) ? rooms : [rooms];
  for (const room of list) {
    if (typeof room !== "string" && typeof room !== "number") {
      throw new TypeError(
        `Wireline: a room is a string (or an array of them), got ${room === null ? "null" : typeof room}.`,
      );
    }
  }
  return list as string[];
}
