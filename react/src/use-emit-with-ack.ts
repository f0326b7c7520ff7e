import type { DefaultEventsMap, EventsMap, Socket } from "@wireline/sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import type { AckDataOf, ArgsBeforeAck } from "./event-types.ts";
import { assertEventName, refuse } from "./input-checks.ts";
import { useSocketOf } from "./use-socket.ts";

/** Options of {@link useEmitWithAck}. */
export interface UseEmitWithAckOptions {
  /** Ms to wait for the server's acknowledgement before failing with a timeout error. Default 10000. */
  timeout?: number;
}

/** Where the last emit stands. */
export type EmitStatus = "idle" | "pending" | "success" | "error";

/** How one emit ended: what `emit()` resolves with (it never rejects). */
export type EmitOutcome<Data> =
  | { status: "success"; data: Data; error: undefined }
  | { status: "error"; data: undefined; error: Error };

/** What {@link useEmitWithAck} returns: the state of the latest emit, and how to start one. */
export interface EmitWithAck<Args extends unknown[], Data> {
  /**
   * Emits the event with `args` and waits for its acknowledgement. Resolves with the outcome
   * (never rejects); the hook's state follows only the latest call while mounted.
   */
  emit: (...args: Args) => Promise<EmitOutcome<Data>>;
  /** The latest emit's acknowledgement, once `status` is "success". */
  data: Data | undefined;
  /** Why the latest emit failed (ack timeout, disconnected, dropped from the outbox), once "error". */
  error: Error | undefined;
  status: EmitStatus;
  /** Back to "idle"; a pending emit's outcome is then ignored. */
  reset: () => void;
}

const DEFAULT_TIMEOUT = 10_000;

interface State {
  status: EmitStatus;
  data: unknown;
  error: Error | undefined;
}

const IDLE: State = { status: "idle", data: undefined, error: undefined };

/**
 * Emits an event and tracks its acknowledgement like a mutation: `status` goes
 * idle → pending → success | error. Replies to an emit that a newer emit, `reset()` or an
 * unmount superseded are ignored. While disconnected the emit waits in the socket's outbox; the
 * timeout still applies.
 *
 * @param socketOrNamespace A socket, whose emit map types the arguments and `data`; or a
 *   namespace of the provider's connection. Leave it out to use the provider's default socket.
 * @example
 * const save = useEmitWithAck(socket, "save", { timeout: 5000 });
 * <button disabled={save.status === "pending"} onClick={() => save.emit(doc)}>Save</button>
 */
export function useEmitWithAck<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  Event extends keyof EmitEvents & string,
>(
  socket: Socket<ListenEvents, EmitEvents>,
  event: Event,
  options?: UseEmitWithAckOptions,
): EmitWithAck<ArgsBeforeAck<EmitEvents[Event]>, AckDataOf<EmitEvents[Event]>>;
export function useEmitWithAck<
  EmitEvents extends EventsMap = DefaultEventsMap,
  Event extends keyof EmitEvents & string = keyof EmitEvents & string,
>(
  event: Event,
  options?: UseEmitWithAckOptions,
): EmitWithAck<ArgsBeforeAck<EmitEvents[Event]>, AckDataOf<EmitEvents[Event]>>;
export function useEmitWithAck(
  namespace: string | undefined,
  event: string,
  options?: UseEmitWithAckOptions,
): EmitWithAck<unknown[], unknown>;
export function useEmitWithAck(
  ...args: [
    Socket | string | undefined,
    string | UseEmitWithAckOptions | undefined,
    UseEmitWithAckOptions?,
  ]
): EmitWithAck<unknown[], unknown> {
  // (event, options) uses the default socket; (socket or namespace, event, options) names one.
  const named = typeof args[0] === "object" || typeof args[1] === "string";
  const socketOrNamespace = named ? args[0] : undefined;
  const event = (named ? args[1] : args[0]) as string;
  const options = (named ? args[2] : args[1]) as UseEmitWithAckOptions | undefined;
  // While rendering, not as the error of every emit.
  assertEventName("useEmitWithAck", event);
  // useEmitWithAck("save", 5000) would wait the default 10000 ms instead.
  if (options !== undefined && typeof options !== "object") {
    refuse("useEmitWithAck's options must be an object such as { timeout: 5000 }", typeof options);
  }
  const timeout = options?.timeout ?? DEFAULT_TIMEOUT;
  if (!(Number.isFinite(timeout) && timeout >= 0)) {
    throw new RangeError(
      `Wireline: useEmitWithAck's timeout must be a finite number of ms >= 0, got ${timeout}.`,
    );
  }
  const socket = useSocketOf(socketOrNamespace);
  const [state, setState] = useState<State>(IDLE);
  // Number of the latest call: an outcome of any other is stale.
  const latest = useRef(0);
  // Unmounted rather than mounted: a child's mount effect may emit before this hook's effect ran.
  const unmounted = useRef(false);
  useEffect(() => {
    unmounted.current = false;
    return () => {
      unmounted.current = true;
      latest.current++;
    };
  }, []);

  const emit = useCallback(
    async (...emitArgs: unknown[]): Promise<EmitOutcome<unknown>> => {
      const call = ++latest.current;
      const current = () => call === latest.current && !unmounted.current;
      if (!unmounted.current) setState({ status: "pending", data: undefined, error: undefined });
      try {
        const untyped = socket.timeout(timeout) as unknown as {
          emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
        };
        const data = await untyped.emitWithAck(event, ...emitArgs);
        if (current()) setState({ status: "success", data, error: undefined });
        return { status: "success", data, error: undefined };
      } catch (caught) {
        const error = caught instanceof Error ? caught : new Error(String(caught));
        if (current()) setState({ status: "error", data: undefined, error });
        return { status: "error", data: undefined, error };
      }
    },
    [socket, event, timeout],
  );
  const reset = useCallback(() => {
    latest.current++;
    setState(IDLE);
  }, []);
  return { emit, reset, status: state.status, data: state.data, error: state.error };
}
