import { describe, expectTypeOf, it } from "vitest";
import {
  defineOutboxStorage,
  indexedDbStorage,
  io,
  memoryStorage,
  type OutboxStorage,
  type StoredOutboxEntry,
} from "../index.ts";

describe("outbox storage types", () => {
  it("makes a storage of one's own with defineOutboxStorage, its own methods kept", () => {
    const storage = defineOutboxStorage({
      load: async (nsp?: string): Promise<StoredOutboxEntry[]> => (nsp ? [] : []),
      put(_entry: StoredOutboxEntry) {},
      delete(_ids: readonly string[]) {},
      clear() {},
      flush: () => Promise.resolve(),
    });
    expectTypeOf(storage).toMatchTypeOf<OutboxStorage>();
    expectTypeOf(storage.flush).toEqualTypeOf<() => Promise<void>>();
    io("https://example.com", { outbox: { storage } });
  });

  it("refuses a plain object as a storage, which would not persist anything", () => {
    const plain = { load: async () => [], put() {}, delete() {}, clear() {} };
    // @ts-expect-error: made without defineOutboxStorage, it has no `persist`.
    io("https://example.com", { outbox: { storage: plain } });
  });

  it("takes the built-in storages and null", () => {
    io("https://example.com", { outbox: { storage: memoryStorage() } });
    io("https://example.com", { outbox: { storage: indexedDbStorage({ name: "x" }) } });
    io("https://example.com", { outbox: { storage: null } });
  });
});
