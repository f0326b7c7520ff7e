import {
  BaseManager,
  type ConnectionSnapshot,
  IDLE_SNAPSHOT,
  Socket,
  shallowEqual,
} from "@wireline/sdk";
import {
  useCallback,
  useContext,
  useEffect,
  useReducer,
  useRef,
  useSyncExternalStore,
} from "react";
import { resolveTarget, sharedConnectionOf } from "./connection-target.ts";
import { isServer } from "./environment.ts";
import { refuse } from "./input-checks.ts";
import { sharedConnections } from "./shared-connections.ts";
import { SocketContext } from "./socket-context.ts";

const whole = (snapshot: ConnectionSnapshot): ConnectionSnapshot => snapshot;
const subscribeToNothing = () => () => {};

/**
 * The connection's state (`status`, `attempt`, `nextRetryAt`, `transport`, `lastError`,
 * `outboxSize`, `id`, `recovered`), or the slice `selector` picks: the component re-renders only
 * when that slice changes (compared shallowly, so `(s) => ({ status: s.status })` is fine). Server
 * rendering and hydration see an `idle` connection. It observes without connecting: the
 * connection opens when a socket hook uses it.
 *
 * @param selector Default: the whole snapshot. One that is no function throws a TypeError.
 * @param source A socket or Manager to observe. Default: the nearest provider's connection, else
 *   the page-wide one `useSocket()` uses.
 * @example
 * const status = useConnectionState((state) => state.status);
 * const retryAt = useConnectionState((state) => state.nextRetryAt, socket);
 */
export function useConnectionState<Selection = ConnectionSnapshot>(
  selector?: (snapshot: ConnectionSnapshot) => Selection,
  source?: Socket | BaseManager,
): Selection {
  const context = useContext(SocketContext);
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  // As in Vue, useConnectionState(socket) is a likely slip: here the socket comes second.
  if (selector != null && typeof selector !== "function") {
    refuse(
      "useConnectionState's selector must be a function (a socket goes second)",
      typeof selector,
    );
  }
  if (source !== undefined && !(source instanceof Socket) && !(source instanceof BaseManager)) {
    throw new TypeError(
      "Wireline: useConnectionState(selector, source) takes a Socket or a Manager as source.",
    );
  }
  const server = isServer();
  let manager: BaseManager | undefined;
  // The app's own client is observed as is; a shared one is looked up (never on a server).
  const target =
    source === undefined && context.kind === "shared" && !server
      ? resolveTarget(context, undefined, undefined)
      : undefined;
  const connection = target?.kind === "shared" ? sharedConnectionOf(target) : undefined;
  if (source instanceof Socket) manager = source.io;
  else if (source) manager = source;
  else if (context.kind === "client") manager = context.manager;
  else manager = connection?.manager;

  // Keeps the observed Manager in the pool, so a socket hook mounted later shares it.
  const releaseDelay = target?.kind === "shared" ? target.releaseDelay : 0;
  useEffect(() => {
    if (!connection) return;
    if (!sharedConnections.adopt(connection)) {
      rerender();
      return;
    }
    connection.retain();
    return () => connection.release(releaseDelay);
  }, [connection, releaseDelay]);

  const select = (selector ?? whole) as (snapshot: ConnectionSnapshot) => Selection;
  const last = useRef<{ snapshot: ConnectionSnapshot; select: unknown; selection: Selection }>(
    undefined,
  );
  // The same selection for the same snapshot, and the previous one when equal: no re-render.
  const selectFrom = (snapshot: ConnectionSnapshot): Selection => {
    const previous = last.current;
    if (previous?.snapshot === snapshot && previous.select === select) return previous.selection;
    const next = select(snapshot);
    const selection =
      previous && shallowEqual(previous.selection, next) ? previous.selection : next;
    last.current = { snapshot, select, selection };
    return selection;
  };
  const subscribe = useCallback(
    (listener: () => void) => (manager ? manager.subscribe(listener) : subscribeToNothing()),
    [manager],
  );
  return useSyncExternalStore(
    subscribe,
    () => selectFrom(manager ? manager.getSnapshot() : IDLE_SNAPSHOT),
    () => selectFrom(IDLE_SNAPSHOT),
  );
}
