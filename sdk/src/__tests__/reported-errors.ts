import { vi } from "vitest";

/**
 * Collects what the client reports as uncaught (it throws such errors from a microtask, where
 * they would fail the run) into the list returned. `vi.unstubAllGlobals()` stops it.
 */
export function collectReportedErrors(): unknown[] {
  const reported: unknown[] = [];
  const queue = globalThis.queueMicrotask;
  vi.stubGlobal("queueMicrotask", (task: () => void) =>
    queue(() => {
      try {
        task();
      } catch (error) {
        reported.push(error);
      }
    }),
  );
  return reported;
}
