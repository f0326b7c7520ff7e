/**
 * Lets a Node process exit even though `handle` (a timer, a socket) is pending, as `autoUnref`
 * asks. Browsers' timer ids are numbers without `unref`: nothing happens there.
 */
export function unref(handle: unknown): void {
  (handle as { unref?: () => void } | undefined)?.unref?.();
}
