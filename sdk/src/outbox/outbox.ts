import { type Clock, systemClock, type TimerHandle } from "../clock.ts";
import { Emitter } from "../emitter.ts";
import { MAX_TIMER_DELAY } from "../timer-delay.ts";
import { validateOptions, validateStorage } from "../validate-options.ts";
import { estimateBytes } from "./estimate-bytes.ts";
import type { OutboxEntry, OutboxInput } from "./outbox-entry.ts";
import {
  clearedError,
  expiredError,
  type OutboxError,
  overflowError,
  tooLargeError,
} from "./outbox-error.ts";
import type { OutboxStorage, StoredCopies } from "./outbox-storage.ts";

/**
 * What happens when a new packet does not fit: `drop-oldest` evicts the oldest queued packets,
 * `drop-newest` drops the new one, `reject` refuses the new one (reported as code `rejected`, so
 * the caller can tell "refused" from "lost"). Every dropped packet's `fail` gets an error.
 */
export type OverflowPolicy = "drop-oldest" | "drop-newest" | "reject";

/** Options of an {@link Outbox}. */
export interface OutboxOptions {
  /** Most packets queued at once. Default 1000. */
  maxPackets?: number;
  /** Most estimated bytes queued at once. Default 1_000_000. */
  maxBytes?: number;
  /** What to do with a packet that does not fit. Default "drop-oldest". */
  overflow?: OverflowPolicy;
  /** Ms a packet may wait before it fails with a timeout error and is never sent. Default: no limit. */
  ttl?: number;
  /**
   * Where a copy of the queue is kept, so that a later page (or outbox) sends what this one could
   * not, e.g. `indexedDbStorage(...)`. Default: none, the queue lives only in memory.
   */
  storage?: OutboxStorage | null;
  /** Time and timers. Default the platform's, looked up at call time. */
  clock?: Clock;
}

/** Events of an {@link Outbox}. */
export interface OutboxEvents {
  [event: string]: (...args: never[]) => void;
  /** A packet was queued. */
  enqueue: (entry: OutboxEntry) => void;
  /** A packet was dropped (overflow, rejected, too large, cleared); its `fail` got `error`. */
  drop: (entry: OutboxEntry, error: OutboxError) => void;
  /** A packet's ttl ran out; its `fail` got `error`. */
  expire: (entry: OutboxEntry, error: OutboxError) => void;
  /** Packets were taken by `drain()` to be sent (a socket announces them once it sent them). */
  flush: (entries: OutboxEntry[]) => void;
  /**
   * Packets a previous page left (or, with a storage that watches, a tab that closed since)
   * were loaded into the queue, before this page's.
   */
  restore: (entries: OutboxEntry[]) => void;
  /** `size` or `bytes` changed. */
  change: () => void;
  /** The storage failed to write or load. The in-memory queue is unaffected. */
  error: (error: Error) => void;
}

/** The outcome of {@link Outbox.enqueue}. */
export interface EnqueueResult {
  /** Whether the packet was queued. */
  accepted: boolean;
  /** The packet, as queued (or as refused). */
  entry: OutboxEntry;
  /** Packets that left the queue because of this call (including the new one if refused). */
  dropped: OutboxEntry[];
  /** Why the new packet was refused, when it was. */
  error?: OutboxError;
}

/** A drop or expiry to report once the queue is consistent. */
export type Notice = { kind: "drop" | "expire"; entry: OutboxEntry; error: OutboxError };

/** What an outbox lends its {@link StoredCopies}: enough to build entries and put them back. */
export interface OutboxInternals {
  /** The outbox, for its events and its queue. */
  outbox: Outbox;
  /** Builds the entry for `input`, queued at `now`. */
  entryFor(input: OutboxInput, now: number): OutboxEntry;
  /** Puts older packets before the queue within its limits, then reports `notices` and drops. */
  prepend(older: OutboxEntry[], notices: Notice[]): void;
  /** The outbox's clock. */
  now(): number;
}

let instances = 0;

/**
 * A bounded FIFO of packets emitted while not connected, flushed in order on (re)connect.
 * Bounded by count and bytes with an overflow policy, with an optional ttl after which a packet
 * fails and is never sent. Volatile packets must not be queued: the caller drops them instead.
 * Listeners and `fail` callbacks run after the queue is consistent, so they may enqueue again.
 *
 * @example
 * const outbox = new Outbox({ maxPackets: 100, overflow: "drop-oldest", ttl: 30_000 });
 * outbox.enqueue({ nsp: "/", event: "save", args: [doc], ackId: 3, fail: (e) => ack(e) });
 * // on connect:
 * for (const entry of outbox.drain(maxPayload)) send(entry);
 */
export class Outbox extends Emitter<OutboxEvents> {
  // `declare`d: the constructor sets them, so no empty field definitions are bundled before it.
  /** Most packets queued at once. */
  declare readonly maxPackets: number;
  /** Most estimated bytes queued at once. */
  declare readonly maxBytes: number;
  /** The overflow policy. */
  declare readonly overflow: OverflowPolicy;
  /** Default ttl in ms, if any. */
  declare readonly ttl: number | undefined;

  /** With a storage: what keeps the copies a later page may send. */
  readonly #copies: StoredCopies | undefined;
  readonly #clock: Clock;
  #queue: OutboxEntry[] = [];
  #bytes = 0;
  readonly #idPrefix: string;
  #nextId = 0;
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;

  constructor(options: OutboxOptions = {}) {
    super();
    validateOptions(options);
    validateStorage(options.storage);
    this.maxPackets = Math.max(0, options.maxPackets ?? 1000);
    this.maxBytes = Math.max(0, options.maxBytes ?? 1_000_000);
    this.overflow = options.overflow ?? "drop-oldest";
    this.ttl = options.ttl;
    this.#clock = options.clock ?? systemClock;
    this.#copies = options.storage?.persist({
      outbox: this,
      entryFor: (input, now) => this.#entryFor(input, now),
      prepend: (older, notices) => this.#prependAndNotify(older, notices),
      now: () => this.#clock.now(),
    });
    // Unique across pages and outboxes without needing `crypto`.
    this.#idPrefix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}${(instances++).toString(36)}`;
  }

  /** Packets queued. */
  get size(): number {
    return this.#queue.length;
  }

  /** Estimated bytes queued. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The queued packets, oldest first (a copy). */
  entries(): OutboxEntry[] {
    return this.#queue.slice();
  }

  /**
   * Queues a packet. If it does not fit, the overflow policy decides; each packet dropped gets
   * an {@link OutboxError} through its `fail` and a `drop` event.
   */
  enqueue(input: OutboxInput): EnqueueResult {
    const now = this.#clock.now();
    const notices = this.#sweep(now);
    const entry = this.#entryFor(input, now);
    const refusal = this.#makeRoom(entry, notices);
    if (refusal) {
      // The sweep may have expired packets: the size changed even though this one is refused.
      const changed = notices.length > 0;
      notices.push({ kind: "drop", entry, error: refusal });
      this.#notify(notices);
      if (changed) this.emitEvent("change");
      return { accepted: false, entry, dropped: dropped(notices), error: refusal };
    }
    this.#queue.push(entry);
    this.#bytes += entry.bytes;
    this.#copies?.store(entry);
    if (entry.expiresAt !== undefined && entry.expiresAt < this.#timerAt) this.#schedule();
    this.#notify(notices);
    this.emitEvent("enqueue", entry);
    this.emitEvent("change");
    return { accepted: true, entry, dropped: dropped(notices) };
  }

  /**
   * A packet sent at once that awaits its ack (`data`: its event name and arguments). With a
   * storage the app gave, a copy is stored until {@link settle}, so that a page closed before
   * the ack sends it again, as it would a packet that waited here. Returns the copy's id;
   * undefined without one, as no later page could read it.
   */
  keep(nsp: string, data: unknown[], ackId: number): string | undefined {
    return this.#copies?.keep(nsp, data, ackId);
  }

  #entryFor(input: OutboxInput, now: number): OutboxEntry {
    const ttl = input.ttl ?? this.ttl;
    return {
      id: input.id ?? `${this.#idPrefix}-${(this.#nextId++).toString(36)}`,
      nsp: input.nsp,
      event: input.event,
      args: input.args,
      bytes: estimateBytes([input.event, ...input.args]),
      enqueuedAt: now,
      ...(input.ackId === undefined ? {} : { ackId: input.ackId, awaitsAck: true }),
      ...(ttl === undefined ? {} : { expiresAt: now + ttl }),
      ...(input.fail === undefined ? {} : { fail: input.fail }),
    };
  }

  /**
   * Takes packets to send, oldest first, while their bytes fit in `maxBytes` (the transport's
   * `maxPayload`); the first is always taken so one big packet cannot stall the queue. Expired
   * packets are failed first and never returned. With `nsp`, only that namespace's packets;
   * with `orphansOnly`, only those at the front whose sender's callback is gone (a previous
   * page's, or sent again after a drop), which are older than anything in flight.
   * Taken packets leave the queue; their stored copies go too, except for packets awaiting an
   * ack, which stay stored until {@link settle} so that a page closed first resends them.
   * With `announce` false, the caller emits `flush` and `change` once it sent them.
   */
  drain(maxBytes = Infinity, nsp?: string, orphansOnly = false, announce = true): OutboxEntry[] {
    const notices = this.#sweep(this.#clock.now());
    const taken: OutboxEntry[] = [];
    let budget = maxBytes;
    let open = true;
    const kept = this.#queue.filter((entry) => {
      if (nsp !== undefined && entry.nsp !== nsp) return true;
      const orphan = entry.restored || (entry.awaitsAck && entry.ackId === undefined);
      if (!open || (taken.length > 0 && entry.bytes > budget) || (orphansOnly && !orphan)) {
        open = false; // FIFO: nothing after a packet left here may overtake it.
        return true;
      }
      taken.push(entry);
      budget -= entry.bytes;
      return false;
    });
    if (taken.length > 0) {
      this.#copies?.sent(taken.filter((entry) => entry.awaitsAck));
      this.#remove(
        kept,
        taken,
        taken.filter((entry) => !entry.awaitsAck),
      );
    }
    this.#notify(notices);
    if (taken.length > 0 && announce) this.emitEvent("flush", taken);
    if ((taken.length > 0 && announce) || notices.length > 0) this.emitEvent("change");
    return taken;
  }

  /**
   * A drained packet's ack arrived or gave up (timeout, disconnect): forgets its stored copy, so
   * no later page sends it again.
   */
  settle(id: string): void {
    this.#copies?.settle(id);
  }

  /**
   * Sent packets whose acks this page will never learn (plain callbacks cut off by a
   * disconnect). With a storage the app gave, they go back to the front of the queue, in order,
   * to be sent again at the next connect (at least once; without their ack id, since their
   * callbacks are gone: the reply only settles them). Without one, they are forgotten.
   */
  release(ids: readonly string[]): void {
    this.#copies?.release(ids);
  }

  /**
   * Packets sent and unacknowledged when the connection dropped, to be sent again (under
   * `retries`): they go before everything queued, in order, and wait like any other packet
   * from now on (limits, ttl, storage).
   */
  requeue(inputs: readonly OutboxInput[]): void {
    const now = this.#clock.now();
    const entries = inputs.map((input) => this.#entryFor(input, now));
    for (const entry of entries) this.#copies?.store(entry);
    this.#prependAndNotify(entries, []);
  }

  /** Removes one packet without reporting it (e.g. its ack already timed out); returns whether it was queued. */
  remove(id: string): boolean {
    const entry = this.#queue.find((candidate) => candidate.id === id);
    if (!entry) return false;
    this.#remove(
      this.#queue.filter((candidate) => candidate !== entry),
      [entry],
    );
    this.emitEvent("change");
    return true;
  }

  /**
   * Drops every queued packet, or with `nsp` that namespace's; each one's `fail` gets a
   * `cleared` error. Returns them. Stored packets it does not hold (sent and awaiting an ack,
   * or a previous page's not restored yet) stay stored.
   */
  clear(nsp?: string): OutboxEntry[] {
    const entries = this.#queue.filter((entry) => nsp === undefined || entry.nsp === nsp);
    if (entries.length === 0) return [];
    this.#remove(
      this.#queue.filter((entry) => !entries.includes(entry)),
      entries,
    );
    this.#schedule();
    this.#notify(
      entries.map((entry) => ({
        kind: "drop",
        entry,
        error: clearedError(entry),
      })),
    );
    this.emitEvent("change");
    return entries;
  }

  /**
   * Loads what a previous page left in storage and puts it before this page's packets. Restored
   * packets have no ack id and no `fail` (a previous page's acks cannot be called); expired ones
   * are reported as `expire` and deleted; those that no longer fit are dropped (the oldest under
   * `drop-oldest`, else the newest). With `nsp`, only that namespace's packets are loaded (the
   * others stay stored for their own socket). Stored records that are no packet (another
   * program's, a damaged store) are deleted and reported as one `error`. Resolves with the
   * restored packets. With a storage that watches (`indexedDbStorage`), what other tabs leave
   * as they close is loaded too, from then on until {@link Outbox.stopRestoring}.
   */
  restore(nsp?: string): Promise<OutboxEntry[]> {
    return this.#copies?.restore(nsp) ?? Promise.resolve([]);
  }

  /**
   * Stops loading what other tabs leave for `nsp` (as given to {@link Outbox.restore}); when no
   * namespace is restored any more, the outbox stops watching its storage. A socket disconnected
   * by the app calls it for its own outbox, so that it takes no packets it would keep unsent;
   * `connect()` restores again.
   */
  stopRestoring(nsp?: string): void {
    this.#copies?.stopRestoring(nsp);
  }

  /**
   * Puts packets older than the queue's (restored, released) before it. Those that no longer
   * fit the limits are dropped: the oldest under `drop-oldest`, else the newest of them, since
   * the queue's packets were already accepted. Then reports `notices` (with those drops) and
   * deletes their stored copies. `older` keeps the packets that made it.
   */
  #prependAndNotify(older: OutboxEntry[], notices: Notice[]): void {
    let count = this.#queue.length + older.length;
    let bytes = this.#bytes + older.reduce((sum, entry) => sum + entry.bytes, 0);
    while (older.length > 0 && (count > this.maxPackets || bytes > this.maxBytes)) {
      const byCount = count > this.maxPackets;
      const entry = (this.overflow === "drop-oldest" ? older.shift() : older.pop()) as OutboxEntry;
      count--;
      bytes -= entry.bytes;
      notices.push({ kind: "drop", entry, error: overflowError("overflow", entry, this, byCount) });
    }
    this.#forget(notices.map((notice) => notice.entry));
    this.#queue = [...older, ...this.#queue];
    this.#bytes = bytes;
    this.#schedule(); // a ttl still holds
    this.#notify(notices);
    if (older.length > 0) this.emitEvent("change");
  }

  /**
   * Stops the expiry timer and the watch of its storage, without dropping anything (the queue
   * stays inspectable): a disposed outbox takes no more packets other tabs leave.
   */
  dispose(): void {
    this.#cancelTimer();
    this.#copies?.stopRestoring(undefined, true);
  }

  /** Frees room for `entry` per the policy, or returns why it is refused. */
  #makeRoom(entry: OutboxEntry, notices: Notice[]): OutboxError | undefined {
    if (entry.bytes > this.maxBytes || this.maxPackets === 0) {
      return tooLargeError(entry, this.maxBytes, this.maxPackets);
    }
    const fits = () =>
      this.#queue.length < this.maxPackets && this.#bytes + entry.bytes <= this.maxBytes;
    if (fits()) return undefined;
    const full = this.#queue.length >= this.maxPackets;
    if (this.overflow === "drop-newest") return overflowError("overflow", entry, this, full);
    if (this.overflow === "reject") return overflowError("rejected", entry, this, full);
    const evicted: OutboxEntry[] = [];
    while (!fits() && this.#queue.length > 0) {
      const oldest = this.#queue.shift() as OutboxEntry;
      this.#bytes -= oldest.bytes;
      evicted.push(oldest);
      notices.push({
        kind: "drop",
        entry: oldest,
        error: overflowError("overflow", oldest, this, full),
      });
    }
    this.#forget(evicted);
    return undefined;
  }

  /**
   * Takes out every packet whose ttl ran out by `now` (cheap when none can have); returns their
   * notices, to report once the queue is consistent.
   */
  #sweep(now: number): Notice[] {
    return this.#timerAt <= now ? this.#expire(now) : [];
  }

  #expire(now: number): Notice[] {
    const expiredEntries: OutboxEntry[] = [];
    const kept = this.#queue.filter((entry) => {
      if (entry.expiresAt === undefined || entry.expiresAt > now) return true;
      expiredEntries.push(entry);
      return false;
    });
    if (expiredEntries.length > 0) this.#remove(kept, expiredEntries);
    this.#schedule();
    return expiredEntries.map((entry) => ({ kind: "expire", entry, error: expiredError(entry) }));
  }

  /** Makes `kept` the queue; the stored copies of `forgotten` (by default all `removed`) go. */
  #remove(kept: OutboxEntry[], removed: OutboxEntry[], forgotten = removed): void {
    this.#queue = kept;
    for (const entry of removed) this.#bytes -= entry.bytes;
    if (kept.length === 0) {
      this.#bytes = 0; // No drift from rounding, whatever was added and removed.
      this.#cancelTimer();
    }
    this.#forget(forgotten);
  }

  #forget(entries: OutboxEntry[]): void {
    if (entries.length > 0) this.#copies?.forget(entries);
  }

  /** One timer, for the earliest expiry; a throttled timer that fires late still sweeps by the clock. */
  #schedule(): void {
    let earliest = Infinity;
    for (const entry of this.#queue) {
      if (entry.expiresAt !== undefined && entry.expiresAt < earliest) earliest = entry.expiresAt;
    }
    if (earliest === this.#timerAt) return;
    this.#cancelTimer();
    if (earliest === Infinity) return;
    this.#timerAt = earliest;
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        // Early or late (throttled), the clock decides what expired; the rest is rescheduled.
        const notices = this.#expire(this.#clock.now());
        this.#notify(notices);
        if (notices.length > 0) this.emitEvent("change");
      },
      // A ttl past the longest delay would fire at once, again and again, until it expires.
      Math.min(Math.max(0, earliest - this.#clock.now()), MAX_TIMER_DELAY),
    );
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /**
   * Reports drops and expiries: the event first, then the sender's callback. A throwing
   * callback does not stop the others; the first error is rethrown after all ran.
   */
  #notify(notices: Notice[]): void {
    let thrown: { error: unknown } | undefined;
    for (const { kind, entry, error } of notices) {
      try {
        this.emitEvent(kind, entry, error);
        entry.fail?.(error);
      } catch (caught) {
        thrown ??= { error: caught };
      }
    }
    if (thrown) throw thrown.error;
  }
}

function dropped(notices: Notice[]): OutboxEntry[] {
  return notices.filter((notice) => notice.kind === "drop").map((notice) => notice.entry);
}
