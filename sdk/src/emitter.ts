/** Listener signatures by event name. */
// biome-ignore lint/suspicious/noExplicitAny: as socket.io's, so that app interfaces (no index signature) fit.
export type EventsMap = { [event: string]: any };

type StoredListener = (...args: unknown[]) => void;

/**
 * A small synchronous event emitter with typed event names and arguments. Listeners added
 * or removed while an event is being emitted take effect from the next emit.
 */
export class Emitter<Events extends EventsMap> {
  // Keyed by any property key, not `keyof Events`: typed emitters stay assignable to untyped ones.
  readonly #table = new Map<PropertyKey, StoredListener[]>();

  /** Adds `listener` for `event`. */
  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    const list = this.#table.get(event);
    if (list) list.push(listener as unknown as StoredListener);
    else this.#table.set(event, [listener as unknown as StoredListener]);
    return this;
  }

  /** Adds `listener` for the next `event` only. */
  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    const wrapper = (...args: unknown[]) => {
      this.off(event, wrapper as unknown as Events[E]);
      (listener as unknown as StoredListener).apply(this, args);
    };
    (wrapper as { original?: unknown }).original = listener;
    return this.on(event, wrapper as unknown as Events[E]);
  }

  /** Removes `listener` for `event`; all listeners of `event` without one; every listener without arguments. */
  off<E extends keyof Events>(event?: E, listener?: Events[E]): this {
    if (event === undefined) {
      this.#table.clear();
      return this;
    }
    const list = this.#table.get(event);
    if (!list) return this;
    if (listener === undefined) {
      this.#table.delete(event);
      return this;
    }
    const index = list.findIndex(
      (stored) =>
        stored === (listener as unknown) ||
        (stored as { original?: unknown }).original === listener,
    );
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) this.#table.delete(event);
    return this;
  }

  /** Alias of {@link Emitter.off}, as in Node's EventEmitter. */
  removeListener<E extends keyof Events>(event?: E, listener?: Events[E]): this {
    return this.off(event, listener);
  }

  /** Alias of {@link Emitter.off}. */
  removeAllListeners<E extends keyof Events>(event?: E): this {
    return this.off(event);
  }

  /** Calls every listener of `event` with `args`; returns whether there was any. */
  emitEvent<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean {
    return this.emitUnchecked(event as string, args as unknown[]);
  }

  /** Emits an event whose name and arguments are only known at run time. */
  protected emitUnchecked(event: string, args: unknown[]): boolean {
    const list = this.#table.get(event as keyof Events);
    if (!list) return false;
    // One listener (the usual case) needs no copy: nothing after it could be skipped.
    if (list.length === 1) (list[0] as StoredListener).apply(this, args);
    else for (const listener of list.slice()) listener.apply(this, args);
    return true;
  }

  /** The listeners of `event`. */
  listeners<E extends keyof Events>(event: E): Array<Events[E]> {
    return (this.#table.get(event)?.slice() ?? []) as unknown as Array<Events[E]>;
  }

  /** Whether `event` has any listener. */
  hasListeners(event: keyof Events): boolean {
    return (this.#table.get(event)?.length ?? 0) > 0;
  }
}
