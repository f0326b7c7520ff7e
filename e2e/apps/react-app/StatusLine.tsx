import { useConnectionState } from "@wireline/react";
import type { ConnectionSnapshot } from "@wireline/sdk";

// Only the fields shown: other changes (outbox size, ids) do not re-render the line.
function shown(state: ConnectionSnapshot) {
  return {
    status: state.status,
    transport: state.transport,
    attempt: state.attempt,
    error: state.lastError?.message,
  };
}

/** The live connection status, with its transport, attempt and last error. */
export function StatusLine() {
  const { status, transport, attempt, error } = useConnectionState(shown);
  const detail = [
    transport && `via ${transport}`,
    attempt > 0 && `attempt ${attempt}`,
    error && `last error: ${error}`,
  ].filter(Boolean);
  return (
    <p>
      Status:{" "}
      <span id="status" className="status" data-status={status}>
        {status}
      </span>{" "}
      <span id="detail" className="hint">
        {detail.join(" · ")}
      </span>
    </p>
  );
}
