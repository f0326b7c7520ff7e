import { RESERVED_EVENT_NAMES } from "../protocol/reserved-event-names.ts";

/**
 * Checks the name of an event a server emits to clients: a string or a finite number (which
 * socket.io's parser accepts too), never a reserved name. Anything else would be sent and
 * make every client that receives it drop its connection with a parse error.
 */
export function checkEmittedEventName(event: unknown): void {
  if (typeof event !== "string" && !(typeof event === "number" && Number.isFinite(event)))
    throw new TypeError(`Wireline: an event name is a string, got ${typeof event}.`);
  if (RESERVED_EVENT_NAMES.has(event as string))
    throw new Error(
      `Wireline: "${String(event)}" is a reserved event name; pick another event name`,
    );
}
