import type { StoredOutboxEntry } from "./outbox-entry.ts";
import type { OutboxStorage } from "./outbox-storage.ts";

/** Options of {@link indexedDbStorage}. */
export interface IndexedDbStorageOptions {
  /**
   * Database name; use one per server and namespace, e.g. `wireline-outbox:https://api.example.com/chat`.
   * Default "wireline-outbox".
   */
  name?: string;
}

/** An {@link OutboxStorage} that also closes its database (for tests and page teardown). */
export interface IndexedDbStorage extends OutboxStorage {
  /** Closes the database connection; a later call reopens it. */
  close(): Promise<void>;
}

const STORE = "entries";

/** Resolves with a request's result, rejects with its error. */
function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when a transaction commits. */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/**
 * Keeps the outbox in IndexedDB so a reloaded page can send what the previous page queued:
 * create the outbox with this storage and call `outbox.restore()` at startup. Entries are stored
 * by structured clone (ArrayBuffer, typed arrays and Blob survive; functions cannot be stored and
 * fail that one write with an `error` event). A previous page's acks cannot be called: restored
 * packets are sent without an ack id. Writes never block an emit; the database opens on first use.
 *
 * @example
 * const outbox = new Outbox({ storage: indexedDbStorage({ name: "wireline-outbox:/chat" }) });
 * await outbox.restore(); // what the previous page left, sent at the next flush
 */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): IndexedDbStorage {
  const name = options.name ?? "wireline-outbox";
  let opening: Promise<IDBDatabase> | undefined;

  const open = (): Promise<IDBDatabase> => {
    // Looked up now, not at import: the module loads in Node and during SSR.
    const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      return Promise.reject(
        new Error(
          "Wireline: IndexedDB is not available here (Node, SSR or a private mode); use memoryStorage() for the outbox instead.",
        ),
      );
    }
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      // Auto-increment keys keep insertion order; the index finds an entry by its id.
      const store = request.result.createObjectStore(STORE, { autoIncrement: true });
      store.createIndex("id", "id", { unique: true });
    };
    return settle(request);
  };

  /** Runs `work` in one transaction, created in call order so writes apply in call order. */
  const run = async (
    mode: IDBTransactionMode,
    work: (store: IDBObjectStore) => void,
  ): Promise<void> => {
    opening ??= open();
    let db: IDBDatabase;
    try {
      db = await opening;
    } catch (error) {
      opening = undefined; // Let a later call retry.
      throw error;
    }
    const transaction = db.transaction(STORE, mode);
    const done = committed(transaction);
    work(transaction.objectStore(STORE));
    await done;
  };

  return {
    async load() {
      let entries: StoredOutboxEntry[] = [];
      await run("readonly", (store) => {
        const request = store.getAll();
        request.onsuccess = () => {
          entries = request.result as StoredOutboxEntry[];
        };
      });
      return entries;
    },
    put: (entry) => run("readwrite", (store) => store.add(entry)),
    delete: (ids) =>
      run("readwrite", (store) => {
        const index = store.index("id");
        for (const id of ids) {
          const lookup = index.getKey(id);
          lookup.onsuccess = () => {
            if (lookup.result !== undefined) store.delete(lookup.result);
          };
        }
      }),
    clear: () => run("readwrite", (store) => store.clear()),
    async close() {
      const pending = opening;
      opening = undefined;
      if (pending) (await pending.catch(() => undefined))?.close();
    },
  };
}
