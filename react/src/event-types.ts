// Type-level helpers that carry a socket's event maps through the hooks.
import type { EventsMap, SocketReservedEvents } from "@wireline/sdk";

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
export type ArgsBeforeAck<F> =
  ParamsOf<F> extends [...infer Head, infer Ack]
    ? Ack extends (...args: never[]) => unknown
      ? Head
      : ParamsOf<F>
    : ParamsOf<F>;

/**
 * What the server acknowledges an emit with: the first argument of its ack callback, past the
 * error a `timeout()` map puts first.
 */
export type AckDataOf<F> =
  ParamsOf<F> extends [...unknown[], infer Ack]
    ? Ack extends (...args: infer Reply) => unknown
      ? Reply extends [Error, infer Data, ...unknown[]]
        ? Data
        : Reply extends [infer Data, ...unknown[]]
          ? Data
          : undefined
      : unknown
    : unknown;
