import { useConnectionState } from "@wireline/vue";
import { computed } from "vue";

/** The connection's status, and a detail line: transport, attempt, last error. */
export function useStatusLine() {
  const state = useConnectionState();
  const detail = computed(() => {
    const { transport, attempt, lastError } = state.value;
    const parts: string[] = [];
    if (transport) parts.push(`via ${transport}`);
    if (attempt > 0) parts.push(`attempt ${attempt}`);
    if (lastError) parts.push(`last error: ${lastError.message}`);
    return parts.join(" · ");
  });
  return { status: computed(() => state.value.status), detail };
}
