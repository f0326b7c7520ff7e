// For SSR tests: replaces browser globals with getters that record every read, so a test can
// prove that importing a module touches none of them.

const saved = new Map<string, PropertyDescriptor | undefined>();

/**
 * Makes each of `names` read as `undefined` on `globalThis` and records the reads. Returns the
 * list of names read so far (it grows as code runs); {@link restoreGlobals} puts them back.
 */
export function trapGlobals(names: readonly string[]): string[] {
  const touched: string[] = [];
  for (const name of names) {
    if (!saved.has(name)) saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  return touched;
}

/** Puts back every global {@link trapGlobals} replaced (an `afterEach`). */
export function restoreGlobals(): void {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  saved.clear();
}
