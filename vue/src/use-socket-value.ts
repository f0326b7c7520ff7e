import type { DefaultEventsMap, EventsMap, Socket } from "@wireline/sdk";
import { type ShallowRef, shallowReadonly, shallowRef } from "vue";
import { type ReceivedEvents, useSocketEvent } from "./use-socket-event.ts";

/** The first argument of a listener: the payload an event carries. */
export type PayloadOf<Listener> = Listener extends (
  payload: infer Payload,
  ...rest: never[]
) => unknown
  ? Payload
  : unknown;

/** Options of {@link useSocketValue}. */
export interface UseSocketValueOptions<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
> {
  /** The socket, or a namespace for `useSocket(namespace)`. Default: `useSocket()`. */
  socket?: Socket<ListenEvents, EmitEvents> | string;
}

/**
 * The last payload of `event` (its first argument) as a readonly ref, `initial` until the
 * first one arrives; it stops following the event when the effect scope ends.
 *
 * @example
 * const price = useSocketValue("price", 0);   // price.value updates on every "price" event
 */
export function useSocketValue<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  Event extends keyof ReceivedEvents<ListenEvents> & string = keyof ReceivedEvents<ListenEvents> &
    string,
  Initial = PayloadOf<ReceivedEvents<ListenEvents>[Event]>,
>(
  event: Event,
  initial: Initial,
  options: UseSocketValueOptions<ListenEvents, EmitEvents> = {},
): Readonly<ShallowRef<PayloadOf<ReceivedEvents<ListenEvents>[Event]> | Initial>> {
  const value = shallowRef<PayloadOf<ReceivedEvents<ListenEvents>[Event]> | Initial>(initial);
  const target = options.socket;
  const onPayload = (payload: PayloadOf<ReceivedEvents<ListenEvents>[Event]>) => {
    value.value = payload;
  };
  if (typeof target === "object") useSocketEvent(target as Socket, event, onPayload as never);
  else useSocketEvent(target, event, onPayload as never);
  return shallowReadonly(value);
}
