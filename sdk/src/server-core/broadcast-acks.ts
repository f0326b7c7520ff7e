import type { AwaitedAcks } from "./awaited-acks.ts";

/**
 * Waits for every target's ack of broadcast `id`, as socket.io does: the callback gets
 * `(null, responses)` once all answered, or `(error, responses so far)` when `timeout` passes.
 * socket.io starts the timer even without `timeout(ms)`: an unset timeout fires at once.
 */
export function collectBroadcastAcks(
  targets: ReadonlyArray<{ acks: AwaitedAcks }>,
  id: number,
  timeout: number | undefined,
  ack: (error: Error | null, responses: unknown[]) => void,
): void {
  const responses: unknown[] = [];
  let done = false;
  const finish = (error: Error | null) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    for (const target of targets) target.acks.delete(id);
    ack(error, responses);
  };
  const timer = setTimeout(() => finish(new Error("operation has timed out")), timeout ?? 0);
  for (const target of targets) {
    target.acks.set(id, (response?: unknown) => {
      responses.push(response);
      if (responses.length === targets.length) finish(null);
    });
  }
  if (targets.length === 0) queueMicrotask(() => finish(null));
}
