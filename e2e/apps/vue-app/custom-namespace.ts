import { useSocket, useSocketValue } from "@wireline/vue";
import { computed } from "vue";
import type { DemoServerEvents } from "./demo-events.ts";

/**
 * A socket on the demo server's "/custom" namespace, over the app's one connection: joined
 * once the server greets it, left (after the release delay) when the component unmounts.
 */
export function useCustomNamespace() {
  const socket = useSocket<DemoServerEvents>("/custom");
  const greeting = useSocketValue(socket, "auth", undefined);
  return { joined: computed(() => greeting.value !== undefined) };
}
