import type { EventsMap, Socket } from "@wireline/sdk";
import { useState } from "react";
import type { ListenerOf, PayloadOf } from "./event-types.ts";
import { assertEventName } from "./input-checks.ts";
import { useEventSubscription } from "./use-socket-event.ts";

/**
 * The first argument of the last `event` the socket received, as state; `initial` until one
 * arrives (and after the socket changes, the last value until the next event). Events between
 * render and effect count, as for `useSocketEvent`.
 *
 * @example
 * const price = useSocketValue(socket, "price", 0); // typed from the socket's events
 * const motd = useSocketValue("motd", "");          // the provider's default socket
 */
export function useSocketValue<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  Event extends keyof ListenEvents & string,
  Initial = PayloadOf<ListenerOf<ListenEvents, Event>>,
>(
  socket: Socket<ListenEvents, EmitEvents>,
  event: Event,
  initial: Initial,
): PayloadOf<ListenerOf<ListenEvents, Event>> | Initial;
export function useSocketValue<T>(namespace: string | undefined, event: string, initial: T): T;
export function useSocketValue<T>(event: string, initial: T): T;
export function useSocketValue(...args: unknown[]): unknown {
  // (event, initial) uses the default socket; (socket or namespace, event, initial) names one.
  const named = args.length >= 3 || typeof args[0] === "object";
  const socketOrNamespace = (named ? args[0] : undefined) as Socket | string | undefined;
  const event = (named ? args[1] : args[0]) as string;
  const initial = named ? args[2] : args[1];
  assertEventName("useSocketValue", event);
  // A function as `initial` is a value too, not a lazy initializer.
  const [value, setValue] = useState(() => initial);
  // A function payload is a value, not a state updater.
  useEventSubscription(socketOrNamespace, event, (payload: unknown) => setValue(() => payload));
  return value;
}
