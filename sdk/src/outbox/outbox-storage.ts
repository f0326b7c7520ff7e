import type { StoredOutboxEntry } from "./outbox-entry.ts";

/**
 * Where an {@link Outbox} keeps a copy of its entries, so that another instance (a reloaded
 * page) can load and send what this one queued. The outbox never awaits a write: emits stay
 * synchronous, and a failed write is reported as the outbox's `error` event.
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
  return {
    load: async () => [...entries.values()],
    put(entry) {
      entries.set(entry.id, entry);
    },
    delete(ids) {
      for (const id of ids) entries.delete(id);
    },
    clear() {
      entries.clear();
    },
  };
}
