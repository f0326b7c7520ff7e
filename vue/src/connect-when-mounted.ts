import type { Socket } from "@wireline/sdk";
import { getCurrentInstance, nextTick, onMounted } from "vue";

/**
 * Connects `socket` once the calling component is mounted (at once outside a component), so
 * that hydration sees the same `idle` state the server rendered. A socket that is already
 * connecting or reconnecting is left alone: `connect()` would cut a reconnection wait short.
 */
export function connectWhenMounted(socket: Socket): void {
  const connect = () => {
    if (!socket.active) socket.connect();
  };
  const instance = getCurrentInstance();
  if (!instance || instance.isMounted) {
    connect();
    return;
  }
  onMounted(connect, instance);
  // Vue reads a component's mounted hooks before rendering it, so a hook added while it
  // renders (`this.$wireline` in a template) would wait for a later mount. The next tick
  // still comes after a synchronous hydration.
  void nextTick(connect);
}
