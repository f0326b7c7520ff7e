import type { OutboxInternals } from "./outbox.ts";
import type { OutboxEntry, StoredOutboxEntry } from "./outbox-entry.ts";
import { createStoredCopies } from "./stored-copies.ts";

/**
 * Where an {@link Outbox} keeps a copy of its entries, so that another instance (a reloaded
 * page) can load and send what this one queued. The outbox never awaits a write: emits stay
 * synchronous, and a failed write is reported as the outbox's `error` event. Made by
 * {@link indexedDbStorage}, {@link memoryStorage}, or {@link defineOutboxStorage} for one's own.
 *
 * Implementations must apply writes in call order, and `load()` must see every earlier write.
 */
export interface OutboxStorage {
  /**
   * The stored entries this instance may send, oldest first: every one, or (an adapter shared
   * by pages open at once, as `indexedDbStorage`) those not owned by another live page. With
   * `nsp`, an adapter that claims entries may claim only that namespace's (the others may
   * return too; the outbox keeps only its own).
   */
  load(nsp?: string): Promise<StoredOutboxEntry[]>;
  /** Stores one new entry after the others. */
  put(entry: StoredOutboxEntry): void | Promise<void>;
  /** Forgets the entries with these ids (sent, dropped or expired). */
  delete(ids: readonly string[]): void | Promise<void>;
  /** Forgets every entry. */
  clear(): void | Promise<void>;
  /**
   * Optional, for an adapter shared by pages open at once: calls `listener` when entries that
   * `load()` left to another live page may be loaded now (that page went), so an open page
   * sends what a closed tab queued. Returns the function that stops it.
   */
  watch?(listener: () => void): () => void;
  /**
   * How an outbox keeps its copies here, added by {@link defineOutboxStorage}: it comes with the
   * storage so that apps without one do not bundle it.
   */
  persist(internals: OutboxInternals): StoredCopies;
}

/** What a storage implements; {@link defineOutboxStorage} makes it an {@link OutboxStorage}. */
export type OutboxStorageMethods = Omit<OutboxStorage, "persist">;

/**
 * What an outbox with a storage does besides queueing: stores a copy of each packet while it
 * waits, and of each sent packet until its ack settles, and loads a previous page's.
 */
export interface StoredCopies {
  /** A packet was queued. */
  store(entry: OutboxEntry): void;
  /** Packets left for good (sent without awaiting an ack, dropped, expired, cleared). */
  forget(entries: OutboxEntry[]): void;
  /** Packets sent that await their ack: their copies stay until {@link settle}. */
  sent(entries: OutboxEntry[]): void;
  /** See {@link Outbox.keep}. */
  keep(nsp: string, data: unknown[], ackId: number): string | undefined;
  /** See {@link Outbox.settle}. */
  settle(id: string): void;
  /** See {@link Outbox.release}. */
  release(ids: readonly string[]): void;
  /** See {@link Outbox.restore}. */
  restore(nsp?: string): Promise<OutboxEntry[]>;
  /** See {@link Outbox.stopRestoring}; with `all`, for every namespace (a disposed outbox). */
  stopRestoring(nsp?: string, all?: boolean): void;
}

/**
 * Makes an object with `load`, `put`, `delete` and `clear` a storage an outbox can use, and
 * returns it (the same object, with `persist` added). Throws a TypeError naming what is missing
 * when one of them (or a `watch` given) is no function, rather than failing every write later.
 *
 * @example
 * const storage = defineOutboxStorage({ load: async () => [...], put(entry) {…}, delete(ids) {…}, clear() {…} });
 * io(url, { outbox: { storage } });
 */
export function defineOutboxStorage<Methods extends OutboxStorageMethods>(
  methods: Methods,
): Methods & OutboxStorage {
  const given = (methods ?? {}) as Record<string, unknown>;
  const wrong = ["load", "put", "delete", "clear", "watch"].filter(
    (name) => typeof given[name] !== "function" && (name !== "watch" || given[name] !== undefined),
  );
  if (wrong.length > 0) {
    throw new TypeError(
      `Wireline: defineOutboxStorage() needs functions load, put, delete, clear (watch optional); not a function: ${wrong.join(", ")}`,
    );
  }
  return Object.assign(methods, {
    // The storage it is called on, so that a copy (`{ ...storage, load }`) keeps its own methods.
    persist(this: OutboxStorageMethods, internals: OutboxInternals) {
      return createStoredCopies(this, internals);
    },
  });
}

/**
 * A storage in memory: entries live only as long as the page. Share one instance between two
 * outboxes to simulate a reload in tests (an outbox without a storage keeps no copies).
 *
 * @example new Outbox({ storage: memoryStorage() })
 */
export function memoryStorage(): OutboxStorage {
  // A Map iterates in insertion order: oldest first.
  const entries = new Map<string, StoredOutboxEntry>();
  return defineOutboxStorage({
    load: async () => [...entries.values()],
    put(entry: StoredOutboxEntry) {
      entries.set(entry.id, entry);
    },
    delete(ids: readonly string[]) {
      for (const id of ids) entries.delete(id);
    },
    clear() {
      entries.clear();
    },
  });
}
