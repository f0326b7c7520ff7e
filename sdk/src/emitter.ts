import { callListener } from "./call-listener.ts";

/** Listener signatures by event name. */
// biome-ignore lint/suspicious/noExplicitAny: as socket.io's, so that app interfaces (no index signature) fit.
export type EventsMap = { [event: string]: any };

type StoredListener = (...args: unknown[]) => void;

/** Event names compare as strings, as socket.io-client's: a server's event 1 reaches `on("1")`. */
const keyOf = (event: PropertyKey) => String(event);

/**
 * Throws a TypeError unless `listener` is a function: one stored as a listener would throw at
 * every event, far from the call that added it.
 */
export function assertListener(listener: unknown): void {
  if (typeof listener !== "function") {
    throw new TypeError(`Wireline: a listener is a function, got ${typeof listener}.`);
  }
}

/**
 * Adds `listener` for `event` on `emitter`; returns the function that removes it, for code
 * that keeps a list of subscriptions to undo at once.
 */
export function listen<Events extends EventsMap, E extends keyof Events>(
  emitter: Emitter<Events>,
  event: E,
  listener: Events[E],
): () => void {
  emitter.on(event, listener);
  return () => emitter.off(event, listener);
}

/**
 * A small synchronous event emitter with typed event names and arguments. Listeners added
 * or removed while an event is being emitted take effect from the next emit. What a listener
 * throws is reported from a microtask ({@link callListener}): the others still run.
 */
export class Emitter<Events extends EventsMap> {
  // Keyed by any property key, not `keyof Events`: typed emitters stay assignable to untyped ones.
  readonly #table = new Map<PropertyKey, StoredListener[]>();

  /** Adds `listener` for `event`. */
  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    assertListener(listener);
    const key = keyOf(event);
    const list = this.#table.get(key);
    if (list) list.push(listener as unknown as StoredListener);
    else this.#table.set(key, [listener as unknown as StoredListener]);
    return this;
  }

  /** Adds `listener` for the next `event` only. */
  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    assertListener(listener);
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
    const key = keyOf(event);
    const list = this.#table.get(key);
    if (!list) return this;
    if (listener === undefined) {
      this.#table.delete(key);
      return this;
    }
    const index = list.findIndex(
      (stored) =>
        stored === (listener as unknown) ||
        (stored as { original?: unknown }).original === listener,
    );
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) this.#table.delete(key);
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
    const list = this.#table.get(keyOf(event));
    if (!list) return false;
    // One listener (the usual case) needs no copy: nothing after it could be skipped.
    if (list.length === 1) callListener(list[0] as StoredListener, this, args);
    else for (const listener of list.slice()) callListener(listener, this, args);
    return true;
  }

  /** The listeners of `event`. */
  listeners<E extends keyof Events>(event: E): Array<Events[E]> {
    return (this.#table.get(keyOf(event))?.slice() ?? []) as unknown as Array<Events[E]>;
  }

  /** Whether `event` has any listener. */
  hasListeners(event: keyof Events): boolean {
    // No list is kept empty: `off` deletes the one it empties.
    return this.#table.has(keyOf(event));
  }
}
