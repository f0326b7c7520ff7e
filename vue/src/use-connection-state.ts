import { type ConnectionSnapshot, IDLE_SNAPSHOT, type Socket, shallowEqual } from "@wireline/sdk";
import {
  type ComputedRef,
  computed,
  onMounted,
  type ShallowRef,
  shallowReadonly,
  shallowRef,
} from "vue";
import { assertSocket, refuse } from "./input-checks.ts";
import { onScopeEnd, warnOutsideScope } from "./scope-end.ts";
import { isHydrating, isServerRendering } from "./server-rendering.ts";
import { useSocket } from "./use-socket.ts";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

/** Anything with a connection: every `Socket`, whatever its event types. */
export type ConnectionSource = Pick<Socket, "io">;

/**
 * The connection state of a socket (default: `useSocket()`'s) as a readonly ref. It holds
 * the Manager's snapshot itself, `{ status, attempt, nextRetryAt, transport, lastError,
 * outboxSize, id, recovered }`, whose identity changes only when something changed, so
 * nothing re-renders without a change. With a selector, a computed slice that triggers only
 * when the selected value changes (compared shallowly, so `(s) => ({ status: s.status })`
 * is fine). During server rendering the state is `idle`, and so it is while a component
 * hydrates, whatever the socket does meanwhile: it goes live once the component is mounted.
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
  const kind = typeof selectorOrSocket;
  // A key such as "status" is a likely slip: it would be ignored and the whole snapshot given.
  if (kind !== "function" && kind !== "object" && kind !== "undefined") {
    refuse("useConnectionState's selector must be a function", kind);
  }
  const selector =
    kind === "function" ? (selectorOrSocket as (s: ConnectionSnapshot) => Slice) : undefined;
  const source =
    (kind === "object" ? (selectorOrSocket as ConnectionSource | null) : maybeSocket) ??
    useSocket();
  assertSocket(source, "io");
  const manager = source.io;
  // Hydration must render what the server did: another component may connect the socket
  // before this one hydrates (a sibling outside its <Suspense>).
  let live = !isHydrating();
  const select = (snapshot: ConnectionSnapshot) => (selector ? selector(snapshot) : snapshot);
  const current = shallowRef(select(live ? manager.getSnapshot() : IDLE_SNAPSHOT));
  const update = () => {
    const next = select(manager.getSnapshot());
    // A slice is kept while shallowly equal; shallowRef itself skips an identical snapshot.
    if (!selector || !shallowEqual(current.value, next)) current.value = next;
  };
  // A server render never changes state, and nothing would unsubscribe there.
  if (!isServerRendering()) {
    const unsubscribe = manager.subscribe(() => {
      if (live) update();
    });
    if (!onScopeEnd(unsubscribe)) {
      // Inline, so that production builds drop the warning; no `process` (no bundler) warns.
      try {
        if (process.env.NODE_ENV !== "production") warnNeverUnsubscribed();
      } catch {
        warnNeverUnsubscribed();
      }
    }
    if (!live) {
      onMounted(() => {
        live = true;
        update();
      });
    }
  }
  return selector
    ? computed(() => current.value as Slice)
    : (shallowReadonly(current) as Readonly<ShallowRef<ConnectionSnapshot>>);
}

function warnNeverUnsubscribed(): void {
  warnOutsideScope("useConnectionState()", "it never stops following the connection");
}
