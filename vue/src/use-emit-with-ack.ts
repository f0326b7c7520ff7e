import type { DefaultEventsMap, EventsMap, Socket } from "@wireline/sdk";
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowReadonly, shallowRef } from "vue";
import { useSocket } from "./use-socket.ts";

/** The arguments a listener of `Events[Event]` takes. */
type ListenerArgs<Events, Event extends keyof Events> = Events[Event] extends (
  ...args: infer Args
) => unknown
  ? Args
  : never;

/** What `emit` sends: the event's arguments without the trailing acknowledgement callback. */
export type EmitArgs<Events, Event extends keyof Events> =
  ListenerArgs<Events, Event> extends [...infer Sent, (...reply: never[]) => unknown]
    ? Sent
    : ListenerArgs<Events, Event>;

/** What the server acknowledges with: the first argument of the event's acknowledgement callback. */
export type AckReplyOf<Events, Event extends keyof Events> =
  ListenerArgs<Events, Event> extends [
    ...unknown[],
    (reply: infer Reply, ...rest: never[]) => unknown,
  ]
    ? Reply
    : unknown;

/** Where an acknowledged emit stands. */
export type EmitStatus = "idle" | "pending" | "success" | "error";

/** Options of {@link useEmitWithAck}. */
export interface UseEmitWithAckOptions<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
> {
  /** Ms to wait for the acknowledgement before failing. Default: the socket's `ackTimeout`, else none. */
  timeout?: number;
  /** The socket, or a namespace for `useSocket(namespace)`. Default: `useSocket()`. */
  socket?: Socket<ListenEvents, EmitEvents> | string;
}

/** What {@link useEmitWithAck} returns: a mutation-like handle on one event. */
export interface EmitWithAck<Args extends unknown[], Reply> {
  /**
   * Emits the event and resolves with the acknowledgement, or `undefined` when it failed (the
   * failure is in `error`): it never rejects, so it can be called from a template.
   */
  emit(...args: Args): Promise<Reply | undefined>;
  /** The reply of the latest successful emit. */
  data: Readonly<ShallowRef<Reply | undefined>>;
  /** Why the latest emit failed (ack timeout, disconnection, a reserved event name). */
  error: Readonly<ShallowRef<Error | undefined>>;
  status: Readonly<ShallowRef<EmitStatus>>;
  /** Back to `idle`, forgetting data and error; an emit in flight no longer updates them. */
  reset(): void;
}

/**
 * Emits `event` with an acknowledgement, like a mutation: `data`, `error` and `status` refs
 * follow the latest call. A reply to an older call, or one arriving after the effect scope
 * ended, is ignored.
 *
 * @example
 * const save = useEmitWithAck("save", { timeout: 5000 });
 * await save.emit({ id: 1 }); // save.status.value: "pending", then "success" or "error"
 */
export function useEmitWithAck<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  Event extends keyof EmitEvents & string = keyof EmitEvents & string,
>(
  event: Event,
  options: UseEmitWithAckOptions<ListenEvents, EmitEvents> = {},
): EmitWithAck<EmitArgs<EmitEvents, Event>, AckReplyOf<EmitEvents, Event>> {
  type Reply = AckReplyOf<EmitEvents, Event>;
  const { timeout } = options;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new RangeError(
      `Wireline: useEmitWithAck("${event}") needs a finite, non-negative timeout in ms, got ${timeout}.`,
    );
  }
  const socket = (
    typeof options.socket === "object" ? options.socket : useSocket(options.socket)
  ) as Socket;
  const data = shallowRef<Reply | undefined>(undefined);
  const error = shallowRef<Error | undefined>(undefined);
  const status = shallowRef<EmitStatus>("idle");
  // Each call and each reset takes a new number: only the latest call may settle the refs.
  let latestCall = 0;
  let disposed = false;
  if (getCurrentScope()) {
    onScopeDispose(() => {
      disposed = true;
    });
  }

  async function emit(...args: EmitArgs<EmitEvents, Event>): Promise<Reply | undefined> {
    const call = ++latestCall;
    const isCurrent = () => call === latestCall && !disposed;
    status.value = "pending";
    error.value = undefined;
    try {
      const target = timeout === undefined ? socket : socket.timeout(timeout);
      const reply = (await target.emitWithAck(event, ...(args as unknown[]))) as Reply;
      if (isCurrent()) {
        data.value = reply;
        status.value = "success";
      }
      return reply;
    } catch (reason) {
      if (isCurrent()) {
        error.value = reason instanceof Error ? reason : new Error(String(reason));
        status.value = "error";
      }
      return undefined;
    }
  }

  function reset(): void {
    latestCall++;
    data.value = undefined;
    error.value = undefined;
    status.value = "idle";
  }

  return {
    emit,
    data: shallowReadonly(data),
    error: shallowReadonly(error),
    status: shallowReadonly(status),
    reset,
  };
}
