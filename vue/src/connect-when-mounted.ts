import { getCurrentInstance, nextTick, onMounted } from "vue";
import type { SocketLease } from "./socket-registry.ts";

/**
 * Connects the leased socket once the calling component is mounted (at once outside a
 * component), so that hydration sees the same `idle` state the server rendered. Only the
 * first of the socket's users to mount connects it (see {@link SocketLease.connect}): a
 * socket disconnected since, by the app or the server, is left so.
 */
export function connectWhenMounted(lease: SocketLease): void {
  if (lease.started) return;
  const instance = getCurrentInstance();
  if (!instance || instance.isMounted) {
    lease.connect();
    return;
  }
  onMounted(lease.connect, instance);
  // Vue reads a component's mounted hooks before rendering it, so a hook added while it
  // renders (`this.$wireline` in a template) would wait for a later mount: the next tick
  // connects then, but only if the component is mounted by then. A component suspended on
  // an async setup is not, and must not connect before it hydrated.
  void nextTick().then(() => {
    if (instance.isMounted && !instance.isUnmounted) lease.connect();
  });
}
