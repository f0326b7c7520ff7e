import type { EventsMap, Socket } from "@wireline/sdk";
import { type ShallowRef, shallowReadonly, shallowRef } from "vue";
import { assertEventName } from "./input-checks.ts";
import { type ReceivedEvents, useSocketEvent } from "./use-socket-event.ts";

/** The first argument of a listener: the payload an event carries. */
export type PayloadOf<Listener> = Listener extends (
  payload: infer Payload,
  ...rest: never[]
) => unknown
  ? Payload
  : unknown;

/**
 * The last payload of `event` (its first argument) as a readonly ref, `initial` until the
 * first one arrives; it stops following the event when the effect scope ends. The socket is
 * the one given, or `useSocket(namespace)`'s.
 *
 * @example
 * const price = useSocketValue(socket, "price", 0); // typed from the socket's events
 * const motd = useSocketValue("motd", "");          // useSocket()'s socket
 */
export function useSocketValue<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  Event extends keyof ReceivedEvents<ListenEvents> & string,
  Initial = PayloadOf<ReceivedEvents<ListenEvents>[Event]>,
>(
  socket: Socket<ListenEvents, EmitEvents>,
  event: Event,
  initial: Initial,
): Readonly<ShallowRef<PayloadOf<ReceivedEvents<ListenEvents>[Event]> | Initial>>;
export function useSocketValue<T>(
  namespace: string | undefined,
  event: string,
  initial: T,
): Readonly<ShallowRef<T>>;
export function useSocketValue<T>(event: string, initial: T): Readonly<ShallowRef<T>>;
export function useSocketValue(...args: unknown[]): Readonly<ShallowRef<unknown>> {
  // (event, initial) uses useSocket(); (socket or namespace, event, initial) names one.
  const named = args.length >= 3 || typeof args[0] === "object";
  const target = (named ? args[0] : undefined) as Socket | string | undefined;
  const event = (named ? args[1] : args[0]) as string;
  assertEventName("useSocketValue", event);
  const value = shallowRef(named ? args[2] : args[1]);
  const onPayload = (payload: unknown) => {
    value.value = payload;
  };
  if (typeof target === "object") useSocketEvent(target, event, onPayload);
  else useSocketEvent(target, event, onPayload);
  return shallowReadonly(value);
}
