import type { Manager } from "../manager.ts";
import { downloadTextFile } from "./download-file.ts";
import {
  EVENT_LOG_FORMAT,
  EVENT_LOG_VERSION,
  type EventLogEntry,
  type EventLogJson,
  type EventLogRecord,
} from "./event-log-entry.ts";
import { RingBuffer } from "./ring-buffer.ts";

/** What a log subscriber hears: a new entry, or that the log was cleared. */
export type EventLogChange = { type: "entry"; entry: EventLogEntry } | { type: "clear" };

/** Starts feeding a log; returns the function that removes every listener it added. */
export type EventLogSource = (record: (entry: EventLogRecord) => void) => () => void;

const now = () => globalThis.performance.now();

/**
 * The recorded history of one connection, newest last, bounded by `capacity` (the oldest
 * entries are evicted first). Created by `attachEventLog()`.
 *
 * @example
 * const log = attachEventLog(socket, { capacity: 500 });
 * const stop = log.subscribe((change) => change.type === "entry" && console.log(change.entry));
 * // later
 * log.download(); // in a browser: saves wireline-event-log-<time>.json
 * log.detach();
 */
export class EventLog {
  /** The Manager (connection) the log records. */
  readonly manager: Manager;
  readonly #buffer: RingBuffer<EventLogEntry>;
  readonly #listeners = new Set<(change: EventLogChange) => void>();
  #seq = 0;
  #stop: (() => void) | undefined;
  #recording = true;

  /** Use `attachEventLog()`; this constructor is how it builds the log. */
  constructor(manager: Manager, capacity: number, source: EventLogSource) {
    this.manager = manager;
    this.#buffer = new RingBuffer(capacity);
    this.#stop = source((entry) => this.#record(entry));
  }

  /** Most entries kept. */
  get capacity(): number {
    return this.#buffer.capacity;
  }

  /** Entries held now. */
  get size(): number {
    return this.#buffer.length;
  }

  /** Whether the log still records (not detached). */
  get attached(): boolean {
    return this.#recording;
  }

  /** The entries, oldest first (a copy; the entries themselves are frozen). */
  entries(): EventLogEntry[] {
    return this.#buffer.toArray();
  }

  /**
   * Calls `listener` after every new entry and after `clear()`; returns the function that
   * stops it. A listener that throws does not disturb the connection: its error is rethrown
   * asynchronously.
   */
  subscribe(listener: (change: EventLogChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Forgets every entry (numbering continues, so `seq` stays unique). */
  clear(): void {
    this.#buffer.clear();
    this.#notify({ type: "clear" });
  }

  /**
   * The log as one JSON document, `{ format: "wireline-event-log", version: 1, entries }`;
   * `JSON.stringify(log)` uses it. Binary payloads were summarized when recorded.
   */
  toJSON(): EventLogJson {
    return { format: EVENT_LOG_FORMAT, version: EVENT_LOG_VERSION, entries: this.entries() };
  }

  /**
   * Saves `toJSON()` as a file through the browser's download prompt. Browser only; throws
   * a clear error elsewhere. Default name: `wireline-event-log-<ISO time>.json`.
   */
  download(filename?: string): void {
    const name =
      filename ?? `wireline-event-log-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    downloadTextFile(name, JSON.stringify(this, null, 2));
  }

  /** Stops recording and removes every listener the log added. The entries stay readable. */
  detach(): void {
    this.#recording = false;
    this.#stop?.();
    this.#stop = undefined;
  }

  #record(record: EventLogRecord): void {
    if (!this.#recording) return;
    const entry = Object.freeze({
      seq: ++this.#seq,
      monotonic: now(),
      wallClock: Date.now(),
      ...record,
    }) as EventLogEntry;
    this.#buffer.push(entry);
    this.#notify({ type: "entry", entry });
  }

  #notify(change: EventLogChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
