export { estimateBytes } from "./estimate-bytes.ts";
export {
  type IndexedDbStorage,
  type IndexedDbStorageOptions,
  indexedDbStorage,
} from "./indexeddb-storage.ts";
export {
  type EnqueueResult,
  Outbox,
  type OutboxEvents,
  type OutboxOptions,
  type OverflowPolicy,
} from "./outbox.ts";
export type { OutboxEntry, OutboxInput, StoredOutboxEntry } from "./outbox-entry.ts";
export { OutboxError, type OutboxErrorCode } from "./outbox-error.ts";
export {
  defineOutboxStorage,
  memoryStorage,
  type OutboxStorage,
  type OutboxStorageMethods,
  type StoredCopies,
} from "./outbox-storage.ts";
