// Type-level helpers that carry a socket's event maps through the hooks.
import type { AckReply, EventsMap, Last, SocketReservedEvents, WithoutAck } from "@wireline/sdk";

/** The events a socket can listen to: the server's events and the socket's own (connect, …). */
export type ListenEventName<ListenEvents extends EventsMap> =
  | (keyof ListenEvents & string)
  | keyof SocketReservedEvents;

/** The listener of event `K`. */
export type ListenerOf<
  ListenEvents extends EventsMap,
  K extends ListenEventName<ListenEvents>,
> = (ListenEvents & SocketReservedEvents)[K];

/** The first argument of a listener: what `useSocketValue` keeps. */
export type PayloadOf<F> = F extends (first: infer P, ...rest: never[]) => unknown ? P : unknown;

/** An emit's parameters. */
type ParamsOf<F> = F extends (...args: infer P) => unknown ? P : never;

/** The arguments of an emit, before its acknowledgement callback. */
export type ArgsBeforeAck<F> = WithoutAck<ParamsOf<F>>;

/**
 * What the server acknowledges an emit with: the first argument of its ack callback, past the
 * error a `timeout()` map puts first.
 */
export type AckDataOf<F> = AckReply<Last<ParamsOf<F>>>;
