import type {
  AckReply,
  DefaultEventsMap,
  EventParams,
  EventsMap,
  Last,
  Socket,
  WithoutAck,
} from "@wireline/sdk";
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowReadonly, shallowRef } from "vue";
import { assertEventName, assertSocket, refuse } from "./input-checks.ts";
import { useSocket } from "./use-socket.ts";

/**
 * What `emit` sends: the event's arguments without the trailing acknowledgement callback. For
 * a union of events (`useEmitWithAck<Events>("save")` names no event type), the arguments of
 * any of them.
 */
export type EmitArgs<Events, Event extends keyof Events> = Event extends keyof Events
  ? WithoutAck<EventParams<Events, Event>>
  : never;

/**
 * What the server acknowledges with: the first argument of the event's acknowledgement
 * callback, past the error a `timeout()` map puts first. For a union of events, any of theirs.
 */
export type AckReplyOf<Events, Event extends keyof Events> = Event extends keyof Events
  ? AckReply<Last<EventParams<Events, Event>>>
  : never;

/** Where an acknowledged emit stands. */
export type EmitStatus = "idle" | "pending" | "success" | "error";

/** Options of {@link useEmitWithAck}. */
export interface UseEmitWithAckOptions {
  /** Ms to wait for the server's acknowledgement before failing with a timeout error. Default 10000. */
  timeout?: number;
}

/** How one emit ended: what `emit` resolves with (it never rejects). */
export type EmitOutcome<Reply> =
  | { status: "success"; data: Reply; error: undefined }
  | { status: "error"; data: undefined; error: Error };

/** What {@link useEmitWithAck} returns: a mutation-like handle on one event. */
export interface EmitWithAck<Args extends unknown[], Reply> {
  /**
   * Emits the event and resolves with how it ended; it never rejects, so a template can call
   * it. The refs follow only the latest call, and only while the effect scope lives.
   */
  emit(...args: Args): Promise<EmitOutcome<Reply>>;
  /** The reply of the latest emit, once `status` is "success". */
  data: Readonly<ShallowRef<Reply | undefined>>;
  /** Why the latest emit failed (ack timeout, disconnection, a reserved event name). */
  error: Readonly<ShallowRef<Error | undefined>>;
  status: Readonly<ShallowRef<EmitStatus>>;
  /** Back to `idle`, forgetting data and error; an emit in flight no longer updates them. */
  reset(): void;
}

/** The default of {@link UseEmitWithAckOptions.timeout}, ms. */
export const DEFAULT_ACK_TIMEOUT = 10_000;

/**
 * Emits `event` with an acknowledgement, like a mutation: `data`, `error` and `status` refs
 * follow the latest call. A reply to an older call, or one arriving after the effect scope
 * ended, is ignored. The socket is the one given, or `useSocket(namespace)`'s.
 *
 * @example
 * const save = useEmitWithAck(socket, "save", { timeout: 5000 }); // typed from the socket
 * const ping = useEmitWithAck("ping");                            // useSocket()'s socket
 * const send = useEmitWithAck<ClientEvents, "send">("send");       // both type arguments: exact
 * const outcome = await save.emit({ id: 1 }); // save.status.value: "pending", then "success" or "error"
 */
export function useEmitWithAck<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  Event extends keyof EmitEvents & string,
>(
  socket: Socket<ListenEvents, EmitEvents>,
  event: Event,
  options?: UseEmitWithAckOptions,
): EmitWithAck<EmitArgs<EmitEvents, Event>, AckReplyOf<EmitEvents, Event>>;
export function useEmitWithAck<
  EmitEvents extends EventsMap = DefaultEventsMap,
  Event extends keyof EmitEvents & string = keyof EmitEvents & string,
>(
  event: Event,
  options?: UseEmitWithAckOptions,
): EmitWithAck<EmitArgs<EmitEvents, Event>, AckReplyOf<EmitEvents, Event>>;
export function useEmitWithAck(
  namespace: string | undefined,
  event: string,
  options?: UseEmitWithAckOptions,
): EmitWithAck<unknown[], unknown>;
export function useEmitWithAck(
  ...args:
    | [Socket | string | undefined, string, UseEmitWithAckOptions?]
    | [string, UseEmitWithAckOptions?]
): EmitWithAck<unknown[], unknown> {
  // (event, options?) uses useSocket(); (socket or namespace, event, options?) names one.
  const named = typeof args[0] === "object" || typeof args[1] === "string";
  const [target, event, options] = (named ? args : [undefined, ...args]) as [
    Socket | string | undefined,
    string,
    UseEmitWithAckOptions?,
  ];
  // Here, not as the error of every emit.
  assertEventName("useEmitWithAck", event);
  if (typeof target === "object") assertSocket(target);
  // useEmitWithAck("save", 5000) would wait the default 10000 ms instead.
  if (options !== undefined && typeof options !== "object") {
    refuse("useEmitWithAck's options must be an object such as { timeout: 5000 }", typeof options);
  }
  // Null too, as io(url, null) takes it.
  const timeout = options?.timeout ?? DEFAULT_ACK_TIMEOUT;
  if (!Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(
      `Wireline: useEmitWithAck("${event}") needs a finite, non-negative timeout in ms, got ${timeout}.`,
    );
  }
  const socket = typeof target === "object" ? target : useSocket(target);
  const data = shallowRef<unknown>(undefined);
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

  async function emit(...emitArgs: unknown[]): Promise<EmitOutcome<unknown>> {
    const call = ++latestCall;
    const isCurrent = () => call === latestCall && !disposed;
    status.value = "pending";
    data.value = undefined;
    error.value = undefined;
    try {
      const reply: unknown = await (
        socket.timeout(timeout) as unknown as {
          emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
        }
      ).emitWithAck(event, ...emitArgs);
      if (isCurrent()) {
        data.value = reply;
        status.value = "success";
      }
      return { status: "success", data: reply, error: undefined };
    } catch (reason) {
      const failure = reason instanceof Error ? reason : new Error(String(reason));
      if (isCurrent()) {
        error.value = failure;
        status.value = "error";
      }
      return { status: "error", data: undefined, error: failure };
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
