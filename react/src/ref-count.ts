/**
 * Counts the users of something and calls `onIdle` once it has had none for a while: `release`
 * waits `delay` ms before giving up, so a user that comes back in the meantime (React
 * StrictMode's mount→unmount→mount, a hot-module reload) finds it still there.
 */
export class RefCount {
  #users = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onIdle: () => void;

  constructor(onIdle: () => void) {
    this.#onIdle = onIdle;
  }

  /** How many users hold it now. */
  get users(): number {
    return this.#users;
  }

  /** Whether `onIdle` is scheduled. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** Adds a user and cancels a scheduled `onIdle`; returns whether it is the first user. */
  retain(): boolean {
    this.#cancel();
    this.#users++;
    return this.#users === 1;
  }

  /** Removes a user; after the last one, `onIdle` runs in `delay` ms (at once for 0) unless retained again. */
  release(delay: number): void {
    if (this.#users === 0) {
      throw new Error(
        "Wireline: released more often than retained; pair every release with a retain.",
      );
    }
    this.#users--;
    if (this.#users === 0) this.idleAfter(delay);
  }

  /** Schedules `onIdle` in `delay` ms (again) if nobody holds it then. */
  idleAfter(delay: number): void {
    this.#cancel();
    if (this.#users > 0) return;
    if (delay <= 0) {
      this.#onIdle();
      return;
    }
    // Looked up at call time, so tests may install fake timers after import.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#users === 0) this.#onIdle();
    }, delay);
  }

  #cancel(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
