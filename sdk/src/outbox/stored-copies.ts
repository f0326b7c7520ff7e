import { isBinary } from "../protocol/binary.ts";
import { estimateBytes } from "./estimate-bytes.ts";
import type { Notice, OutboxInternals } from "./outbox.ts";
import type { OutboxEntry, StoredOutboxEntry } from "./outbox-entry.ts";
import { expiredError } from "./outbox-error.ts";
import type { OutboxStorageMethods, StoredCopies } from "./outbox-storage.ts";

/**
 * The copies an outbox keeps in `storage`: every packet while it waits, and a sent one that
 * awaits its ack until the ack settles, so that a page closed in between has the next one send
 * it; and what a previous page left, loaded back into the queue. Only outboxes given a storage
 * build one (through the storage's `persist`), so apps without one do not bundle this.
 */
export function createStoredCopies(
  storage: OutboxStorageMethods,
  { outbox, entryFor, prepend, now }: OutboxInternals,
): StoredCopies {
  /** Ids sent and awaiting their ack: still stored, and never restored by this page. */
  const awaitingAck = new Map<string, OutboxEntry>();
  /** Ids that left the queue while a restore was loading, so it does not bring them back. */
  let goneDuringRestore: Set<string> | undefined;
  /** The namespaces restored so far (undefined: all), restored again when storage says so. */
  const restoredNamespaces = new Set<string | undefined>();
  /** The restore under way, if any: the next waits, as each must see what the other took. */
  let restoring: Promise<unknown> | undefined;
  /** Ends the storage's watch: set while it watches for this outbox. */
  let stopWatching: (() => void) | undefined;

  /**
   * Runs a write now without waiting for it; a failure (thrown or rejected) becomes the
   * outbox's `error` event. Whatever else it returns is ignored (`(e) => map.set(e.id, e)`).
   */
  const write = (run: () => void | Promise<void>): void => {
    new Promise<void>((resolve) => resolve(run())).catch((error: unknown) =>
      outbox.emitEvent("error", asError(error)),
    );
  };
  const forget = (ids: string[]): void => {
    for (const id of ids) goneDuringRestore?.add(id);
    write(() => storage.delete(ids));
  };
  const store = (entry: OutboxEntry): void => write(() => storage.put(stored(entry)));

  const copies: StoredCopies = {
    store,
    forget: (entries) => forget(entries.map((entry) => entry.id)),
    sent(entries) {
      for (const entry of entries) awaitingAck.set(entry.id, entry);
    },
    keep(nsp, data, ackId) {
      const [event, ...args] = data as [string, ...unknown[]];
      const entry = entryFor({ nsp, event, args, ackId }, now());
      awaitingAck.set(entry.id, entry);
      store(entry);
      return entry.id;
    },
    settle(id) {
      if (awaitingAck.delete(id)) forget([id]);
    },
    release(ids) {
      const back: OutboxEntry[] = [];
      for (const id of ids) {
        const entry = awaitingAck.get(id);
        if (!entry) continue;
        awaitingAck.delete(id);
        const { ackId: _ackId, fail: _fail, ...resend } = entry;
        back.push(resend);
      }
      prepend(back, []);
    },
    restore(nsp) {
      restoredNamespaces.add(nsp);
      if (!stopWatching && storage.watch) {
        // Set first: a watch that calls its listener at once must not start another watch.
        stopWatching = () => {};
        try {
          // Another page's packets became ours to send (a tab closed): loaded as at startup.
          const stop = storage.watch(() => {
            for (const namespace of restoredNamespaces)
              copies.restore(namespace).catch((error) => outbox.emitEvent("error", asError(error)));
          });
          // A custom watch that returns no stop function (or a chained object) still watches.
          if (typeof stop === "function") stopWatching = stop;
        } catch (error) {
          // The load below still runs; the next restore after a stopRestoring tries again.
          outbox.emitEvent("error", asError(error));
        }
      }
      // Started now when none is under way: a storage closed right after (a component's
      // cleanup) then knows this load was asked for before, and gives nothing.
      const run = restoring ? restoring.then(() => load(nsp)) : load(nsp);
      const done = run
        .catch(() => undefined)
        .then(() => {
          if (restoring === done) restoring = undefined;
        });
      restoring = done;
      return run;
    },
    stopRestoring(nsp, all) {
      if (all) restoredNamespaces.clear();
      else restoredNamespaces.delete(nsp);
      if (restoredNamespaces.size > 0) return;
      stopWatching?.();
      stopWatching = undefined;
    },
  };

  /** Loads the stored packets of `nsp` (all without) into the queue, before this page's. */
  async function load(nsp: string | undefined): Promise<OutboxEntry[]> {
    const gone = new Set<string>();
    goneDuringRestore = gone;
    let loaded: StoredOutboxEntry[];
    try {
      loaded = await storage.load(nsp);
    } catch (error) {
      outbox.emitEvent("error", asError(error));
      return [];
    } finally {
      if (goneDuringRestore === gone) goneDuringRestore = undefined;
    }
    if (!Array.isArray(loaded)) {
      // A custom load() that forgot to return its entries: say so rather than restore nothing.
      outbox.emitEvent(
        "error",
        new Error(`Wireline: outbox storage load() gave ${typeof loaded}, not an array of entries`),
      );
      loaded = [];
    }
    const present = new Set([...outbox.entries().map((entry) => entry.id), ...awaitingAck.keys()]);
    const time = now();
    const notices: Notice[] = [];
    const restored: OutboxEntry[] = [];
    const damaged: string[] = [];
    let nameless = 0;
    // Read back from storage: anything may be there.
    for (const raw of loaded as Partial<StoredOutboxEntry>[]) {
      if (!isStoredEntry(raw)) {
        if (typeof raw?.id === "string") damaged.push(raw.id);
        else nameless++;
        continue;
      }
      if (present.has(raw.id) || gone.has(raw.id) || (nsp !== undefined && raw.nsp !== nsp))
        continue;
      // A storage that holds an id twice must not have the packet sent twice.
      present.add(raw.id);
      const { ackId, ...rest } = raw;
      // Entries stored before `awaitsAck` existed tell it by their ack id.
      const awaitsAck = rest.awaitsAck ?? ackId !== undefined;
      const entry: OutboxEntry = {
        ...rest,
        // Recomputed: the limits must not rest on a number read back from storage.
        bytes: estimateBytes([rest.event, ...rest.args]),
        ...(awaitsAck ? { awaitsAck } : {}),
        restored: true,
      };
      if (entry.expiresAt !== undefined && entry.expiresAt <= time)
        notices.push({ kind: "expire", entry, error: expiredError(entry) });
      else restored.push(entry);
    }
    if (damaged.length > 0) forget(damaged);
    if (damaged.length + nameless > 0) {
      // Records without an id cannot be deleted by the outbox: the storage must not return them.
      outbox.emitEvent(
        "error",
        new Error(
          `Wireline: deleted ${damaged.length} stored outbox record(s) that are no packet${nameless ? `, skipped ${nameless} without an id` : ""}`,
        ),
      );
    }
    prepend(restored, notices);
    if (restored.length > 0) outbox.emitEvent("restore", restored);
    return restored;
  }
  return copies;
}

/** Whether a record read back from storage is a packet an outbox can send. */
function isStoredEntry(entry: Partial<StoredOutboxEntry> | null): entry is StoredOutboxEntry {
  return (
    typeof entry?.nsp === "string" &&
    typeof entry.id === "string" &&
    // socket.io takes number event names too, e.g. `socket.emit(7, data)`.
    (typeof entry.event === "string" || typeof entry.event === "number") &&
    Array.isArray(entry.args)
  );
}

function stored(entry: OutboxEntry): StoredOutboxEntry {
  const { fail: _fail, args, ...rest } = entry;
  return { ...rest, args: args.map((arg) => sentForm(arg)) as unknown[] };
}

/**
 * `value` as a parser sends it, for storages that clone (IndexedDB): a value with `toJSON()` is
 * stored as what that gives (as `JSON.stringify` and msgpack's encoder use it), since a clone
 * would keep its fields without its prototype (Decimal, Luxon: sent as raw fields after a
 * reload) or fail (`URL`). Dates and binary are cloned as they are; what `JSON.stringify` would
 * skip, and class instances without `toJSON()`, are left for the storage to clone or refuse.
 * Payloads were checked to encode before they were queued, so they hold no cycle.
 */
function sentForm(value: unknown, key = ""): unknown {
  const toJSON = isCloneable(value) ? undefined : (value as { toJSON?: unknown }).toJSON;
  // As JSON.stringify: what toJSON() gives is not asked for its own (one returning `this` would
  // never end).
  return contentsOf(typeof toJSON === "function" ? toJSON.call(value, key) : value);
}

/** A value the storage clones as it is: no object, a Date, or binary. */
function isCloneable(value: unknown): boolean {
  return typeof value !== "object" || value === null || value instanceof Date || isBinary(value);
}

/** An array's items and a plain object's fields in their sent form. */
function contentsOf(value: unknown): unknown {
  if (isCloneable(value)) return value;
  if (Array.isArray(value)) return value.map((item, index) => sentForm(item, String(index)));
  const prototype = Object.getPrototypeOf(value);
  // Class instances, Maps and the like: cloned as they are.
  if (prototype !== Object.prototype && prototype !== null) return value;
  // fromEntries keeps an own "__proto__" key a key, where assigning it would set the prototype.
  return Object.fromEntries(
    Object.keys(value as object).map((name) => [
      name,
      sentForm((value as Record<string, unknown>)[name], name),
    ]),
  );
}

function asError(error: unknown): Error {
  return error instanceof Error
    ? error
    : new Error(`Wireline: outbox storage failed: ${String(error)}`);
}
