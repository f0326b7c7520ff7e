import { afterEach, describe, expect, it, vi } from "vitest";
import { cdp } from "vitest/browser";
import { type IndexedDbStorage, indexedDbStorage, Outbox } from "../outbox/index.ts";

const opened: IndexedDbStorage[] = [];
let counter = 0;

/** A fresh database per test, so runs never see each other's entries. */
function databaseName(): string {
  return `wireline-outbox-test-${Date.now()}-${counter++}`;
}

function storage(name: string): IndexedDbStorage {
  const adapter = indexedDbStorage({ name });
  opened.push(adapter);
  return adapter;
}

/** Opens database `name` directly, as another program (or a newer version of the app) would. */
function openDirectly(
  name: string,
  version?: number,
  onblocked?: () => void,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    if (onblocked) request.onblocked = onblocked;
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs `write` on the outbox store of database `name`, opened directly; resolves with its records then. */
async function storeRecords(
  name: string,
  write: (store: IDBObjectStore) => void = () => {},
): Promise<unknown[]> {
  const db = await openDirectly(name);
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction("entries", "readwrite");
      const store = transaction.objectStore("entries");
      write(store);
      const all = store.getAll();
      transaction.oncomplete = () => resolve(all.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

afterEach(async () => {
  const names = new Set<string>();
  for (const adapter of opened.splice(0)) await adapter.close();
  for (const { name } of await indexedDB.databases()) {
    if (name?.startsWith("wireline-outbox-test-")) names.add(name);
  }
  for (const name of names) {
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = resolve;
    });
  }
});

describe("the IndexedDB outbox storage in Chromium", () => {
  it("gives a fresh adapter on the same database the entries in the order they were written", async () => {
    const name = databaseName();
    const first = storage(name);
    const entries = ["a", "b", "c"].map((event, i) => ({
      id: `id-${event}`,
      nsp: "/",
      event,
      args: [i, { nested: [event] }, new Uint8Array([i, 255])],
      bytes: 10,
      enqueuedAt: 1000 + i,
    }));
    // Fire-and-forget writes, as the outbox makes them.
    for (const entry of entries) void first.put(entry);
    await first.close();

    const loaded = await storage(name).load();
    expect(loaded.map((entry) => entry.event)).toEqual(["a", "b", "c"]);
    expect(loaded[2]?.args).toEqual([2, { nested: ["c"] }, new Uint8Array([2, 255])]);
  });

  it("adds its store to a database another opener created without it, and works", async () => {
    const name = databaseName();
    // Opened without a version first (e.g. a script peeking at it): version 1, no store.
    (await openDirectly(name)).close();
    const adapter = storage(name);
    await adapter.put({ id: "a", nsp: "/", event: "a", args: [], bytes: 5, enqueuedAt: 0 });
    expect((await adapter.load()).map(({ id }) => id)).toEqual(["a"]);
  });

  it("lets another tab upgrade the database, and opens it anew for the next write", async () => {
    const name = databaseName();
    const adapter = storage(name);
    await adapter.put({ id: "a", nsp: "/", event: "a", args: [], bytes: 5, enqueuedAt: 0 });
    // A newer version of the app in another tab: its upgrade waits for every open connection.
    const blocked = vi.fn();
    const upgraded = await Promise.race([
      openDirectly(name, 5, blocked),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000)),
    ]);
    expect(blocked).not.toHaveBeenCalled();
    expect(upgraded?.version).toBe(5);
    upgraded?.close();
    await adapter.put({ id: "b", nsp: "/", event: "b", args: [], bytes: 5, enqueuedAt: 0 });
    expect((await adapter.load()).map(({ id }) => id)).toEqual(["a", "b"]);
  });

  it("opens the database again after the browser closed it (site data cleared)", async () => {
    const name = databaseName();
    const adapter = storage(name);
    await adapter.put({ id: "a", nsp: "/", event: "a", args: [], bytes: 5, enqueuedAt: 0 });
    // What a user clearing the site's data does: Chromium closes every connection, deleting it all.
    await cdp().send("Storage.clearDataForOrigin", {
      origin: location.origin,
      storageTypes: "indexeddb",
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await adapter.put({ id: "b", nsp: "/", event: "b", args: [], bytes: 5, enqueuedAt: 0 });
    expect((await adapter.load()).map(({ id }) => id)).toEqual(["b"]);
  });

  it("fails a write with the reason when the page may not hold a Web Lock, and claims it at the next", async () => {
    const adapter = storage(databaseName());
    const refusal = new DOMException("Access to the Locks API is denied", "SecurityError");
    const refused = vi.spyOn(navigator.locks, "request").mockRejectedValueOnce(refusal);
    try {
      const entry = { id: "a", nsp: "/", event: "a", args: [], bytes: 5, enqueuedAt: 0 };
      await expect(adapter.put(entry)).rejects.toBe(refusal);
      refused.mockRestore();
      await adapter.put(entry);
      expect((await adapter.load()).map(({ id }) => id)).toEqual(["a"]);
    } finally {
      refused.mockRestore();
    }
  });

  it("restores the packets of a store that also holds records no outbox wrote, and deletes those", async () => {
    const name = databaseName();
    const previous = storage(name);
    await previous.put({ id: "a", nsp: "/", event: "a", args: [], bytes: 5, enqueuedAt: 0 });
    await previous.close();
    // Another program's writes, or a damaged store: records that are no object, or have no id.
    const added = await storeRecords(name, (store) => {
      for (const junk of [null, 7, { nsp: "/" }]) store.add(junk);
    });
    expect(added).toHaveLength(4);
    const outbox = new Outbox({ storage: storage(name) });
    const errors: Error[] = [];
    outbox.on("error", (error) => errors.push(error));
    expect((await outbox.restore("/")).map(({ id }) => id)).toEqual(["a"]);
    expect(errors).toEqual([]);
    expect(await storeRecords(name)).toEqual([expect.objectContaining({ id: "a" })]);
  });

  it("deletes entries by id and clears them", async () => {
    const name = databaseName();
    const adapter = storage(name);
    for (const event of ["a", "b", "c"]) {
      void adapter.put({ id: event, nsp: "/", event, args: [], bytes: 5, enqueuedAt: 0 });
    }
    void adapter.delete(["b", "missing"]);
    expect((await adapter.load()).map((entry) => entry.id)).toEqual(["a", "c"]);
    await adapter.clear();
    expect(await adapter.load()).toEqual([]);
  });

  it("lets a reloaded page send what the previous page queued, and forgets it once sent and acked", async () => {
    const name = databaseName();
    const previousPage = new Outbox({ storage: storage(name) });
    previousPage.enqueue({ nsp: "/", event: "save", args: [{ title: "draft" }], ackId: 1 });
    previousPage.enqueue({ nsp: "/", event: "save", args: [{ title: "final" }] });
    await opened.at(-1)!.close(); // The page goes away.

    // A new page: new outbox, new adapter instance, same database.
    const storageAfterReload = storage(name);
    const reloadedPage = new Outbox({ storage: storageAfterReload });
    const restored = await reloadedPage.restore();
    expect(restored.map((entry) => entry.args[0])).toEqual([
      { title: "draft" },
      { title: "final" },
    ]);
    expect(restored.every((entry) => entry.ackId === undefined && entry.restored)).toBe(true);

    const [draft] = reloadedPage.drain();
    // The one emitted with an ack stays stored until its ack settles.
    expect((await storageAfterReload.load()).map((entry) => entry.args[0])).toEqual([
      { title: "draft" },
    ]);
    reloadedPage.settle(draft!.id);
    await expect.poll(() => storageAfterReload.load()).toEqual([]);
  });

  it("takes no entries of another page that is still open (a tab), only those of pages gone", async () => {
    const name = databaseName();
    const entry = (id: string) => ({ id, nsp: "/", event: id, args: [], bytes: 5, enqueuedAt: 0 });
    const firstTab = storage(name);
    await firstTab.put(entry("from-first"));
    const secondTab = storage(name);
    await secondTab.put(entry("from-second"));
    // Both tabs alive: each loads only its own.
    expect((await secondTab.load()).map(({ id }) => id)).toEqual(["from-second"]);
    expect((await firstTab.load()).map(({ id }) => id)).toEqual(["from-first"]);

    await firstTab.close(); // The first tab closes: its entries are the second's now.
    expect((await secondTab.load()).map(({ id }) => id)).toEqual(["from-first", "from-second"]);
    // And a third tab opened meanwhile takes nothing the second (alive) now owns.
    expect(await storage(name).load()).toEqual([]);
    // What a page loads carries no owner mark: it is an outbox entry as stored.
    expect(Object.keys((await secondTab.load())[0]!)).not.toContain("owner");
  });

  it("gives a gone page's entries to one of two tabs loading at once, and never a live tab's new ones", async () => {
    const name = databaseName();
    const entry = (id: string) => ({ id, nsp: "/", event: id, args: [], bytes: 5, enqueuedAt: 0 });
    const gone = storage(name);
    await gone.put(entry("left-1"));
    await gone.put(entry("left-2"));
    await gone.close();
    const [first, second] = [storage(name), storage(name)];
    const loading = first.load();
    await second.put(entry("written-while-loading")); // a live tab queues meanwhile
    const [byFirst, bySecond] = await Promise.all([loading, second.load()]);
    const taken = [...byFirst, ...bySecond].map(({ id }) => id).sort();
    // Must: each packet once, and the live tab's own packet stays its own.
    expect(taken).toEqual(["left-1", "left-2", "written-while-loading"]);
    expect(byFirst.map(({ id }) => id)).not.toContain("written-while-loading");
  });

  it("gives an open tab's outbox a tab's entries once that tab closes, and none while it lives", async () => {
    const name = databaseName();
    const entry = (id: string, nsp = "/") => ({
      id,
      nsp,
      event: id,
      args: [],
      bytes: 5,
      enqueuedAt: 0,
    });
    const closingTab = storage(name);
    await closingTab.put(entry("left-behind"));
    await closingTab.put(entry("other-namespace", "/news"));
    const openTab = new Outbox({ storage: storage(name) });
    const restores: string[][] = [];
    openTab.on("restore", (entries) => restores.push(entries.map(({ id }) => id)));
    expect(await openTab.restore("/")).toEqual([]);
    // Still alive: nothing is taken, however long the open tab waits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(openTab.size).toBe(0);

    await closingTab.close();
    // Looked for every 2 s.
    await expect.poll(() => restores, { timeout: 6000 }).toEqual([["left-behind"]]);
    expect(openTab.entries().map(({ id, restored }) => [id, restored])).toEqual([
      ["left-behind", true],
    ]);
  });

  it("also gives it the entries of a tab opened after it, once that tab closes", async () => {
    const name = databaseName();
    const openTab = new Outbox({ storage: storage(name) });
    expect(await openTab.restore()).toEqual([]);
    const laterTab = storage(name);
    await laterTab.put({
      id: "later",
      nsp: "/",
      event: "later",
      args: [],
      bytes: 5,
      enqueuedAt: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(openTab.size).toBe(0);
    await laterTab.close();
    await expect
      .poll(() => openTab.entries().map(({ id }) => id), { timeout: 6000 })
      .toEqual(["later"]);
  });

  it("lets the instance a remount keeps take a closed tab's packets, not the one it closed (StrictMode)", async () => {
    const name = databaseName();
    const otherTab = storage(name);
    await otherTab.put({ id: "queued", nsp: "/", event: "q", args: [], bytes: 5, enqueuedAt: 0 });
    // First mount: the socket starts restoring, and the cleanup closes its storage at once.
    const closedAtOnce = storage(name);
    const abandoned = new Outbox({ storage: closedAtOnce });
    void abandoned.restore("/");
    await closedAtOnce.close();
    // Second mount: the socket the app keeps.
    const kept = new Outbox({ storage: storage(name) });
    await kept.restore("/");
    await otherTab.close();
    await expect
      .poll(() => kept.entries().map(({ id }) => id), { timeout: 6000 })
      .toEqual(["queued"]);
    expect(abandoned.size).toBe(0);
  });

  it("stops watching once closed itself, whether or not it loaded first", async () => {
    const name = databaseName();
    const otherTab = storage(name);
    await otherTab.put({ id: "x", nsp: "/", event: "x", args: [], bytes: 5, enqueuedAt: 0 });
    const [loaded, closedAtOnce] = [storage(name), storage(name)];
    let called = 0;
    loaded.watch(() => called++);
    closedAtOnce.watch(() => called++);
    expect(await loaded.load()).toEqual([]);
    await Promise.all([loaded.close(), closedAtOnce.close()]);
    await otherTab.close();
    // Longer than the 2 s between two looks.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(called).toBe(0);
  });

  it("looks no more at other tabs once its last watcher stopped", async () => {
    const name = databaseName();
    const otherTab = storage(name);
    await otherTab.put({ id: "x", nsp: "/", event: "x", args: [], bytes: 5, enqueuedAt: 0 });
    const thisTab = storage(name);
    const calls: string[] = [];
    const stopFirst = thisTab.watch(() => calls.push("first"));
    const stopSecond = thisTab.watch(() => calls.push("second"));
    // Learns that the other tab, alive, owns entries: looked at every 2 s from now on.
    expect(await thisTab.load()).toEqual([]);
    stopFirst();
    stopSecond();
    const requested = vi.spyOn(navigator.locks, "request");
    try {
      // Longer than the 2 s between two looks: none is made, and no watcher is called.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await otherTab.close();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(requested).not.toHaveBeenCalled();
      expect(calls).toEqual([]);
    } finally {
      requested.mockRestore();
    }
  });

  it("keeps one look at a time when watching stops and starts while a look is asking", async () => {
    const name = databaseName();
    const otherTab = storage(name);
    await otherTab.put({ id: "x", nsp: "/", event: "x", args: [], bytes: 5, enqueuedAt: 0 });
    const thisTab = storage(name);
    const looks: number[] = [];
    const start = performance.now();
    const request = navigator.locks.request.bind(navigator.locks) as (
      ...args: unknown[]
    ) => Promise<unknown>;
    // A look takes 300 ms (a busy lock manager): the window in which a socket stops and starts.
    const slowed = vi.spyOn(navigator.locks, "request").mockImplementation(((
      ...args: unknown[]
    ) => {
      if (!(args[1] as LockOptions | undefined)?.ifAvailable) return request(...args);
      looks.push(performance.now() - start);
      return new Promise((resolve) => setTimeout(resolve, 300)).then(() => request(...args));
    }) as never);
    try {
      const stopFirst = thisTab.watch(() => {});
      expect(await thisTab.load()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 2150)); // the first look is asking
      stopFirst();
      const stopSecond = thisTab.watch(() => {}); // the socket connects again at once
      await new Promise((resolve) => setTimeout(resolve, 2600));
      stopSecond();
      const stoppedAt = performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(looks.filter((at) => at > stoppedAt)).toEqual([]);
      // One chain: looks 2 s apart, never two at once.
      for (let index = 1; index < looks.length; index++)
        expect(looks[index]! - looks[index - 1]!).toBeGreaterThan(1500);
    } finally {
      slowed.mockRestore();
    }
  });

  it("reopens no notice channel at pageshow when watching stopped while the page was cached", async () => {
    const thisTab = storage(databaseName());
    const opened: string[] = [];
    const Channel = BroadcastChannel;
    globalThis.BroadcastChannel = class extends Channel {
      constructor(name: string) {
        super(name);
        opened.push(name);
      }
    };
    try {
      const stop = thisTab.watch(() => {});
      await thisTab.load();
      expect(opened).toHaveLength(1);
      dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
      stop(); // the app's pagehide handler disconnected its socket
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
      expect(opened).toHaveLength(1);
    } finally {
      globalThis.BroadcastChannel = Channel;
    }
  });

  it("lets each namespace's socket take only its own namespace's entries", async () => {
    const name = databaseName();
    const previous = storage(name);
    await previous.put({ id: "c", nsp: "/chat", event: "c", args: [], bytes: 5, enqueuedAt: 0 });
    await previous.put({ id: "n", nsp: "/news", event: "n", args: [], bytes: 5, enqueuedAt: 0 });
    await previous.close();
    const chat = await new Outbox({ storage: storage(name) }).restore("/chat");
    const news = await new Outbox({ storage: storage(name) }).restore("/news");
    expect(chat.map(({ id }) => id)).toEqual(["c"]);
    expect(news.map(({ id }) => id)).toEqual(["n"]);
  });

  it("stores what the parser sends of a value with toJSON(), so a reloaded page sends the same", async () => {
    // As Decimal.js or Luxon: IndexedDB would keep its fields and drop its prototype.
    class Money {
      constructor(readonly cents: number) {}
      toJSON() {
        return `${this.cents / 100} EUR`;
      }
    }
    const name = databaseName();
    const payload = {
      price: new Money(150),
      nested: [{ total: new Money(99) }],
      page: new URL("https://shop.test/cart"), // not cloneable at all: it was not stored
      at: new Date(0), // cloned as a Date, which both parsers send as they would have
      bytes: new Uint8Array([1, 2]),
      plain: { n: 1 },
    };
    const previousStorage = storage(name);
    const previous = new Outbox({ storage: previousStorage });
    const errors: Error[] = [];
    previous.on("error", (error) => errors.push(error));
    previous.enqueue({ nsp: "/", event: "order", args: [payload, new Money(5)] });
    await expect.poll(async () => (await storeRecords(name)).length).toBe(1);
    await previousStorage.close(); // the page was closed
    const [entry] = await new Outbox({ storage: storage(name) }).restore("/");
    expect(errors).toEqual([]);
    expect(entry?.args).toEqual([
      {
        price: "1.5 EUR",
        nested: [{ total: "0.99 EUR" }],
        page: "https://shop.test/cart",
        at: new Date(0),
        bytes: new Uint8Array([1, 2]),
        plain: { n: 1 },
      },
      "0.05 EUR",
    ]);
    // The page's own queued copy is untouched.
    expect(payload.price).toBeInstanceOf(Money);
  });

  it("reports a packet IndexedDB cannot store and keeps it queued in memory", async () => {
    const outbox = new Outbox({ storage: storage(databaseName()) });
    const errors: Error[] = [];
    outbox.on("error", (error) => errors.push(error));
    outbox.enqueue({ nsp: "/", event: "bad", args: [{ callback: () => {} }] });
    outbox.enqueue({ nsp: "/", event: "node", args: [document.body] });
    // Its toJSON() gives the object itself, toJSON function included: never followed twice.
    outbox.enqueue({
      nsp: "/",
      event: "self",
      args: [
        {
          toJSON() {
            return this;
          },
        },
      ],
    });
    await expect.poll(() => errors.length).toBe(3);
    expect(errors.map((error) => error.name)).toEqual([
      "DataCloneError",
      "DataCloneError",
      "DataCloneError",
    ]);
    // Says which packet, what it means, and what to do.
    expect(errors[0]?.message).toMatch(
      /^Wireline: packet for event "bad" not stored, kept in this page only: .*could not be cloned.* Emit no functions or DOM nodes\.$/,
    );
    expect(outbox.size).toBe(3);
  });

  it.each([
    ["its own stores", (db: IDBDatabase) => db.createObjectStore("keyval").put("v", "k")],
    [
      'an "entries" store of another shape',
      (db: IDBDatabase) => {
        const entries = db.createObjectStore("entries", { keyPath: "key" });
        entries.put({ key: "k1", text: "no id" });
        entries.put({ key: "k2", id: "has-id", text: "an id" });
      },
    ],
  ])("leaves another program's database with %s untouched, and says so", async (_label, create) => {
    const name = databaseName();
    const created = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 3);
      request.onupgradeneeded = () => create(request.result);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const snapshot = async (db: IDBDatabase) => {
      const stores = [...db.objectStoreNames];
      const transaction = db.transaction(stores);
      const contents = await Promise.all(
        stores.map(
          (store) =>
            new Promise((resolve) => {
              const all = transaction.objectStore(store).getAll();
              all.onsuccess = () => resolve(all.result);
            }),
        ),
      );
      return { version: db.version, stores, contents };
    };
    const before = await snapshot(created);
    created.close();

    const outbox = new Outbox({ storage: storage(name) });
    const errors: Error[] = [];
    outbox.on("error", (error) => errors.push(error));
    outbox.enqueue({ nsp: "/", event: "a", args: [] });
    expect(await outbox.restore()).toEqual([]);
    await expect.poll(() => errors.length).toBe(2);
    expect(errors[0]?.message).toMatch(
      new RegExp(
        `^Wireline: IndexedDB database "${name}" is another program's \\(stores: .+\\), left untouched; give indexedDbStorage a name of its own$`,
      ),
    );
    expect(outbox.size).toBe(1);
    // Opened at its own version, as that program does: nothing raised, deleted or marked.
    const after = await openDirectly(name, 3);
    try {
      expect(await snapshot(after)).toEqual(before);
    } finally {
      after.close();
    }
  });
});
