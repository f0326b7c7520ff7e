import type { ConnectionSnapshot, Socket } from "@wireline/sdk";
import { type ComputedRef, computed, type ShallowRef, shallowReadonly, shallowRef } from "vue";
import { onScopeEnd } from "./scope-end.ts";
import { isServerRendering } from "./server-rendering.ts";
import { useSocket } from "./use-socket.ts";

/** Anything with a connection: every `Socket`, whatever its event types. */
export type ConnectionSource = Pick<Socket, "io">;

/**
 * The connection state of a socket (default: `useSocket()`'s) as a readonly ref. It holds
 * the Manager's snapshot itself, `{ status, attempt, nextRetryAt, transport, lastError,
 * outboxSize, id, recovered }`, whose identity changes only when something changed, so
 * nothing re-renders without a change. With a selector, a computed slice that triggers only
 * when the selected value changes. During server rendering the state is `idle`.
 *
 * @example
 * const state = useConnectionState();                          // state.value.status
 * const online = useConnectionState((s) => s.status === "connected");
 */
export function useConnectionState(
  socket?: ConnectionSource,
): Readonly<ShallowRef<ConnectionSnapshot>>;
export function useConnectionState<Slice>(
  selector: (snapshot: ConnectionSnapshot) => Slice,
  socket?: ConnectionSource,
): ComputedRef<Slice>;
export function useConnectionState<Slice>(
  selectorOrSocket?: ConnectionSource | ((snapshot: ConnectionSnapshot) => Slice),
  maybeSocket?: ConnectionSource,
): Readonly<ShallowRef<ConnectionSnapshot>> | ComputedRef<Slice> {
  const selector = typeof selectorOrSocket === "function" ? selectorOrSocket : undefined;
  const source =
    (typeof selectorOrSocket === "object" ? selectorOrSocket : maybeSocket) ?? useSocket();
  const manager = source.io;
  const state = shallowRef(manager.getSnapshot());
  // A server render never changes state, and nothing would unsubscribe there.
  if (!isServerRendering()) {
    const unsubscribe = manager.subscribe(() => {
      state.value = manager.getSnapshot();
    });
    onScopeEnd(unsubscribe, "useConnectionState()", "it never stops following the connection");
  }
  return selector ? computed(() => selector(state.value)) : shallowReadonly(state);
}
