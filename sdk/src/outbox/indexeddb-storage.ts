import { unref } from "../unref.ts";
import type { StoredOutboxEntry } from "./outbox-entry.ts";
import { defineOutboxStorage, type OutboxStorage } from "./outbox-storage.ts";

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
  /**
   * Calls `watcher` when another page that owns stored entries (a tab open at the same time,
   * or opened later) went, seen within about 2 s: a `load()` then takes what it left. An outbox
   * restoring from this storage watches, so an open page sends what a closed tab queued. Needs
   * Web Locks (does nothing without). Returns the function that stops it.
   */
  watch(watcher: () => void): () => void;
  /**
   * Closes the database connection and gives up this page's claim on its entries (another
   * page's `load()` may take them from then on); a later call reopens both.
   */
  close(): Promise<void>;
}

const STORE = "entries";
/** Names the Web Lock each page holds while it owns entries of database `name`. */
const ownerLockPrefix = (name: string) => `wireline-outbox ${name} `;

/** What the database keeps: an entry and the page (storage instance) that owns it. */
type OwnedEntry = StoredOutboxEntry & { owner?: string };

/**
 * How long `load()` waits for a page that owns entries to go: a page being reloaded lets go of
 * its lock a moment after the next page starts, while a tab that stays open keeps it.
 */
const OWNER_GONE_WAIT_MS = 500;

/** How often a watching page looks whether another page that owns entries went. */
const WATCH_INTERVAL_MS = 2000;

/** The browser's Web Locks, where there are any (not in Node). */
function webLocks(): LockManager | undefined {
  return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
}

/** Whether `db`'s entries store has the shape this storage gives it (auto keys, an "id" index). */
function isOurs(db: IDBDatabase): boolean {
  if (!db.objectStoreNames.contains(STORE)) return false;
  const store = db.transaction(STORE).objectStore(STORE);
  return store.autoIncrement && store.keyPath === null && store.indexNames.contains("id");
}

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
 * Pages open at once (tabs) share the database without sending each other's packets: each page
 * holds a Web Lock while it lives, and `load()` takes only the entries of pages that are gone
 * (closed, reloaded, discarded), making them its own in the same transaction; the entries of a
 * page still open are taken when it goes ({@link IndexedDbStorage.watch}). Without Web Locks
 * (Node), `load()` takes every entry.
 *
 * @example
 * const outbox = new Outbox({ storage: indexedDbStorage({ name: "wireline-outbox:/chat" }) });
 * await outbox.restore(); // what the previous page left, sent at the next flush
 */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): IndexedDbStorage {
  const name = options.name ?? "wireline-outbox";
  let opening: Promise<IDBDatabase> | undefined;
  // This page's mark on the entries it writes or takes, and the lock that says it is alive.
  const owner = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  /** The lock claimed (kept across reopening the database), until close(). */
  let owned: Promise<void> | undefined;
  let giveUpOwnership: (() => void) | undefined;

  /** Holds this page's lock until close() (or the page goes away, which releases it). */
  const claimOwnership = (): Promise<void> => {
    const locks = webLocks();
    if (!locks) return Promise.resolve();
    return new Promise((granted, refused) => {
      locks
        .request(ownerLockPrefix(name) + owner, () => {
          granted();
          // Reopened after a close(): watching resumes with it.
          if (watchers.size > 0) listenForStoredNotices();
          return new Promise<void>((release) => {
            giveUpOwnership = release;
          });
        })
        // Refused (a sandboxed frame, a detached document): the read or write waiting on it
        // fails with the reason, as the outbox's `error` event, instead of waiting for good.
        .catch(refused);
    });
  };

  /** Whether page `other` is gone, waiting up to {@link OWNER_GONE_WAIT_MS} for it to go. */
  const ownerGone = async (locks: LockManager, other: string): Promise<boolean> => {
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), OWNER_GONE_WAIT_MS);
    try {
      // Granted only once the owner let go; taken and let go at once.
      await locks.request(ownerLockPrefix(name) + other, { signal: giveUp.signal }, () => {});
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  /** What {@link IndexedDbStorage.watch} calls once another page that owned entries went. */
  const watchers = new Set<() => void>();
  /** Other pages, alive when last seen, that own entries: checked until they go. */
  const livePagesWithEntries = new Set<string>();
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where a page says it stored entries, so the others check on it. */
  let storedNotices: BroadcastChannel | undefined;
  let noticeSent = false;
  /** Counts `close()` calls: a `load()` begun before one takes nothing after it. */
  let closes = 0;

  /**
   * Every {@link WATCH_INTERVAL_MS}, while pages with entries are alive, asks for their locks
   * without waiting, and calls the watchers when one of those pages let go of its own. Only
   * pages that own stored packets are asked about: Chromium evicts a page kept for
   * back/forward whose lock another page asks for (or queries), and such a page's packets are
   * then taken and sent by the open one.
   */
  const checkLater = (): void => {
    const locks = webLocks();
    if (!locks || checkTimer !== undefined || watchers.size === 0) return;
    if (livePagesWithEntries.size === 0) return;
    const timer = setTimeout(async () => {
      // Free now, or held (its page lives): asked without waiting, of these pages' locks only.
      const others = [...livePagesWithEntries];
      const free = await Promise.all(
        others.map((other) =>
          locks.request(ownerLockPrefix(name) + other, { ifAvailable: true }, (lock) => !!lock),
        ),
      );
      // Stopped or closed (both forget the timer) while it asked: this look is over, and one
      // that a later watch started may be under way.
      if (checkTimer !== timer) return;
      checkTimer = undefined;
      let someGone = false;
      others.forEach((other, index) => {
        if (!free[index]) return;
        livePagesWithEntries.delete(other);
        someGone = true;
      });
      // The loads they start note the pages still alive, which are checked again.
      if (someGone) for (const watcher of watchers) watcher();
      checkLater();
    }, WATCH_INTERVAL_MS);
    checkTimer = timer;
    unref(timer);
  };

  let backForwardAware = false;
  /**
   * A page kept for back/forward closes its channel (Chromium evicts one that a message
   * reaches); shown again, it listens anew and loads what it may have missed.
   */
  const listenAcrossBackForward = (): void => {
    if (backForwardAware || typeof addEventListener !== "function") return;
    backForwardAware = true;
    let listenedWhenHidden = false;
    addEventListener("pagehide", (event) => {
      if (!(event as PageTransitionEvent).persisted || !storedNotices) return;
      listenedWhenHidden = true;
      storedNotices.close();
      storedNotices = undefined;
    });
    addEventListener("pageshow", (event) => {
      if (!(event as PageTransitionEvent).persisted || !listenedWhenHidden) return;
      listenedWhenHidden = false;
      if (!owned || watchers.size === 0) return; // closed, or no longer watched, meanwhile
      listenForStoredNotices();
      for (const watcher of watchers) watcher();
    });
  };

  /** Learns, while watched, of the pages that store entries after this one loaded. */
  const listenForStoredNotices = (): void => {
    if (storedNotices || !webLocks()) return;
    listenAcrossBackForward();
    storedNotices = new BroadcastChannel(ownerLockPrefix(name));
    storedNotices.onmessage = ({ data }) => {
      if (typeof data !== "string" || data === owner) return;
      livePagesWithEntries.add(data);
      checkLater();
    };
  };

  /** Ends the looks at other pages and the notice channel (a cached page's would be evicted). */
  const stopLooking = (): void => {
    clearTimeout(checkTimer);
    checkTimer = undefined;
    storedNotices?.close();
    storedNotices = undefined;
  };

  /** Of the pages that own entries (`owners`), those alive now (after a short wait). */
  const liveOwners = async (owners: Set<string>): Promise<Set<string>> => {
    const locks = webLocks();
    const live = new Set<string>();
    if (!locks) return live;
    // Each owner's own lock, not `locks.query()`: Chromium evicts a page kept for back/forward
    // whose lock another page asks about, and a query asks about all of them.
    await Promise.all(
      [...owners].map(async (other) => {
        if (other !== owner && !(await ownerGone(locks, other))) live.add(other);
      }),
    );
    return live;
  };

  /** Opens the database at its version (or `version`, to add the store), creating it if new. */
  const open = async (version?: number): Promise<IDBDatabase> => {
    // Looked up now, not at import: the module loads in Node and during SSR.
    const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      return Promise.reject(
        new Error(
          "Wireline: IndexedDB is not available here (Node, SSR or a private mode); use memoryStorage() for the outbox instead.",
        ),
      );
    }
    const request = factory.open(name, version);
    request.onupgradeneeded = () => {
      if (request.result.objectStoreNames.contains(STORE)) return;
      // Auto-increment keys keep insertion order; the index finds an entry by its id.
      const store = request.result.createObjectStore(STORE, { autoIncrement: true });
      store.createIndex("id", "id", { unique: true });
    };
    const db = await settle(request);
    const stores = [...db.objectStoreNames];
    // Another program's database (its own stores, or an "entries" store of another shape):
    // its records would be deleted as damaged, or its version raised past its own.
    if (stores.length > 0 && !(stores.length === 1 && isOurs(db))) {
      db.close();
      throw new Error(
        `Wireline: IndexedDB database "${name}" is another program's (stores: ${stores}), left untouched; give indexedDbStorage a name of its own`,
      );
    }
    if (stores.length > 0) return db;
    // Created empty by another opener (one that gave no version): add our store.
    db.close();
    return open(db.version + 1);
  };

  /** Runs `work` in one transaction, created in call order so writes apply in call order. */
  const run = async (
    mode: IDBTransactionMode,
    work: (store: IDBObjectStore) => void,
  ): Promise<void> => {
    // Alive before anything is written or taken, so no other page takes it meanwhile. Set
    // synchronously: writes made before close() are in this database when it closes.
    if (!opening) {
      owned ??= claimOwnership().catch((error: unknown) => {
        owned = undefined; // Asked again by a later call.
        throw error;
      });
      const current = owned.then(() => open());
      opening = current;
      // Another tab upgrading the database (a newer version of the app) waits until every
      // connection closes, and the browser closes ours when the site's data is cleared: either
      // way this one is done, and the next call opens the database anew.
      const reopenNextTime = (db: IDBDatabase) => {
        db.onversionchange = db.onclose = () => {
          db.close();
          if (opening === current) opening = undefined;
        };
      };
      current.then(reopenNextTime, () => undefined);
    }
    const awaited = opening;
    let db: IDBDatabase;
    try {
      db = await awaited;
    } catch (error) {
      if (opening === awaited) opening = undefined; // Let a later call retry.
      throw error;
    }
    const transaction = db.transaction(STORE, mode);
    const done = committed(transaction);
    work(transaction.objectStore(STORE));
    await done;
  };

  const storage: Omit<IndexedDbStorage, "persist"> = {
    async load(nsp) {
      const closesBefore = closes;
      const owners = new Set<string>();
      const scan = run("readonly", (store) => {
        const request = store.getAll();
        request.onsuccess = () => {
          for (const record of request.result as (OwnedEntry | null)[]) {
            // Anything may be in the store (another program's records, a damaged one).
            if (typeof record?.owner !== "string") continue;
            if (nsp === undefined || record.nsp === nsp) owners.add(record.owner);
          }
        };
      });
      try {
        await scan;
      } catch (error) {
        // Closed while it read: nothing to take.
        if (closes !== closesBefore) return [];
        throw error;
      }
      const live = await liveOwners(owners);
      // Closed meanwhile: taking entries now would reopen it and keep them from other pages.
      if (closes !== closesBefore) return [];
      for (const other of live) livePagesWithEntries.add(other);
      checkLater();
      const entries: StoredOutboxEntry[] = [];
      await run("readwrite", (store) => {
        const request = store.openCursor();
        request.onsuccess = () => {
          const cursor = request.result;
          if (!cursor) return;
          const value = cursor.value as OwnedEntry | null;
          // No outbox could send a record without an id, nor delete it: it goes now.
          if (typeof value?.id !== "string") {
            cursor.delete();
            cursor.continue();
            return;
          }
          const { owner: holder, ...entry } = value;
          // Ours; stored before owners were marked; or a page found gone. An owner not checked
          // (another page took these since the scan, or wrote them) is alive: not ours to take.
          const gone = holder !== undefined && owners.has(holder) && !live.has(holder);
          const mine = holder === undefined || holder === owner || gone;
          if (mine && (nsp === undefined || entry.nsp === nsp)) {
            if (holder !== owner) cursor.update({ ...entry, owner });
            entries.push(entry);
          }
          cursor.continue();
        };
      });
      return entries;
    },
    put(entry) {
      // Once per page: watching pages check on this one from now on.
      if (!noticeSent && webLocks()) {
        noticeSent = true;
        const notice = new BroadcastChannel(ownerLockPrefix(name));
        notice.postMessage(owner);
        notice.close();
      }
      return run("readwrite", (store) => {
        try {
          store.add({ ...entry, owner });
        } catch (error) {
          // The browser's message names the value, not the packet, nor what it means.
          if ((error as Error)?.name !== "DataCloneError") throw error;
          throw new DOMException(
            `Wireline: packet for event "${String(entry.event)}" not stored, kept in this page only: ${(error as Error).message} Emit no functions or DOM nodes.`,
            "DataCloneError",
          );
        }
      });
    },
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
    watch(watcher) {
      watchers.add(watcher);
      listenForStoredNotices();
      checkLater();
      return () => {
        // The last one gone: no one to tell.
        if (watchers.delete(watcher) && watchers.size === 0) stopLooking();
      };
    },
    async close() {
      closes++;
      stopLooking();
      livePagesWithEntries.clear();
      noticeSent = false;
      const pending = opening;
      opening = undefined;
      if (pending) (await pending.catch(() => undefined))?.close();
      // Closing waits for the transactions under way; another page may take the rest after.
      owned = undefined;
      giveUpOwnership?.();
      giveUpOwnership = undefined;
    },
  };
  return defineOutboxStorage(storage);
}
