import type { Socket } from "@wireline/sdk";
import { RefCount } from "./ref-count.ts";

/**
 * How long, in ms, a socket's incoming events are kept for components that rendered but whose
 * effects have not run yet (a concurrent render yields to the network between the two).
 */
export const EVENT_REPLAY_WINDOW = 1000;
/** A flood of events keeps at most this many. */
const MAX_ENTRIES = 1000;
/** The socket's own events: delivered as they happen, never kept (`useConnectionState` has them). */
const RESERVED_EVENTS = new Set(["connect", "connect_error", "disconnect"]);

interface Entry {
  seq: number;
  at: number;
  event: string;
  args: unknown[];
}

/**
 * One hook's place in its socket's journal: taken when the component renders, subscribed by its
 * effect, kept across the effect's cleanup so that subscribing again resumes where it stopped.
 */
export interface JournalCursor {
  readonly journal: EventJournal;
  readonly event: string;
  /** The number of the last event it has had, or of the last one before it rendered. */
  seen: number;
  /** When it last rendered unsubscribed: a cursor whose render never commits expires after a window. */
  renderedAt: number;
  /** Its handler, while subscribed. */
  listener: ((...args: unknown[]) => void) | undefined;
}

const journals = new WeakMap<Socket, EventJournal>();

/**
 * Calls a hook's handler. What it throws is reported from a microtask, as the SDK reports a
 * listener's error, so the other hooks, the replay and the subscription go on.
 */
function deliver(listener: (...args: unknown[]) => void, args: unknown[]): void {
  try {
    listener(...args);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * The events a socket received in the last {@link EVENT_REPLAY_WINDOW} ms, numbered, and the
 * one listener per event name through which every hook of the socket gets them. A component
 * takes a cursor when it renders; when its effect subscribes, it first gets what came after,
 * so no event falls between render and effect. Replays go out in arrival order across all the
 * hooks of a commit: one that subscribes while another rendered hook still waits for an earlier
 * event holds back until that hook subscribed too (at the latest until the effects are done).
 * It listens per event name, never through the app's catch-all `onAny` list, and leaves (stops
 * listening) one window after the last render once no hook is subscribed.
 */
export class EventJournal {
  readonly socket: Socket;
  /** The number of the last event received. */
  seq = 0;
  /** Whether it stopped listening: its cursors mean nothing any more. */
  disposed = false;
  #entries: Entry[] = [];
  readonly #taps = new Map<string, (...args: unknown[]) => void>();
  /** Subscribed cursors by event name, in subscription order. */
  readonly #subscribed = new Map<string, Set<JournalCursor>>();
  /** Rendered, not yet subscribed: their events hold back later replays. */
  readonly #rendered = new Set<JournalCursor>();
  readonly #users = new RefCount(() => this.#dispose());
  #draining = false;
  /** Something to deliver turned up during a drain: the drain goes round once more. */
  #again = false;
  #releaseQueued = false;

  private constructor(socket: Socket) {
    this.socket = socket;
  }

  /** The journal of `socket`, started if needed; kept for another window. Call while rendering. */
  static touch(socket: Socket): EventJournal {
    let journal = journals.get(socket);
    if (!journal) {
      journal = new EventJournal(socket);
      journals.set(socket, journal);
    }
    journal.#users.idleAfter(EVENT_REPLAY_WINDOW);
    return journal;
  }

  /** A cursor for a component rendering now that listens to `event`: it gets what comes next. */
  open(event: string): JournalCursor {
    this.#listenTo(event);
    const cursor: JournalCursor = {
      journal: this,
      event,
      seen: this.seq,
      renderedAt: Date.now(),
      listener: undefined,
    };
    this.#rendered.add(cursor);
    return cursor;
  }

  /** Notes that `cursor`'s component rendered again; one not subscribed holds back replays again. */
  rendered(cursor: JournalCursor): void {
    if (cursor.listener) return;
    cursor.renderedAt = Date.now();
    this.#rendered.add(cursor);
  }

  /**
   * Delivers `cursor`'s events to `listener`: first those it missed since it rendered (or since
   * it last unsubscribed), then each as it arrives. Returns the function that unsubscribes.
   */
  subscribe(cursor: JournalCursor, listener: (...args: unknown[]) => void): () => void {
    this.#listenTo(cursor.event);
    this.#rendered.delete(cursor);
    cursor.listener = listener;
    let cursors = this.#subscribed.get(cursor.event);
    if (!cursors) {
      cursors = new Set();
      this.#subscribed.set(cursor.event, cursors);
    }
    cursors.add(cursor);
    this.#users.retain();
    this.#drain();
    return () => {
      cursors.delete(cursor);
      cursor.listener = undefined;
      this.#users.release(EVENT_REPLAY_WINDOW);
    };
  }

  #listenTo(event: string): void {
    let tap = this.#taps.get(event);
    // Again if the app took it off (`socket.off(event)`): a remount gets its events back.
    if (tap && this.socket.listeners(event as never).includes(tap as never)) return;
    tap ??= (...args: unknown[]) => this.#receive(event, args);
    this.#taps.set(event, tap);
    this.socket.on(event as never, tap as never);
  }

  #receive(event: string, args: unknown[]): void {
    if (RESERVED_EVENTS.has(event)) {
      for (const cursor of [...(this.#subscribed.get(event) ?? [])]) {
        if (cursor.listener) deliver(cursor.listener, args);
      }
      return;
    }
    this.seq++;
    this.#entries.push({ seq: this.seq, at: Date.now(), event, args });
    // Behind what is still held back, if anything: it came earlier.
    this.#drain();
  }

  /** Delivers, in arrival order, every kept event a subscribed cursor has not had yet. */
  #drain(): void {
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    try {
      do {
        this.#again = false;
        if (!this.#deliverPending()) return;
      } while (this.#again);
      // Caught up: no kept event concerns a subscribed cursor any more.
      for (const cursors of this.#subscribed.values()) {
        for (const cursor of cursors) cursor.seen = this.seq;
      }
    } finally {
      this.#draining = false;
    }
  }

  /** One pass of {@link EventJournal.#drain}; false if it stopped at a held-back event. */
  #deliverPending(): boolean {
    this.#prune();
    let from = this.seq;
    for (const cursors of this.#subscribed.values()) {
      for (const cursor of cursors) from = Math.min(from, cursor.seen);
    }
    const first = this.#entries[0]?.seq ?? this.seq + 1;
    // Entries are numbered without gaps: the one after `from` sits at a known index.
    for (let index = Math.max(0, from + 1 - first); index < this.#entries.length; index++) {
      const entry = this.#entries[index]!;
      if (this.#heldBack(entry)) {
        this.#releaseAfterEffects();
        return false;
      }
      for (const cursor of [...(this.#subscribed.get(entry.event) ?? [])]) {
        if (!cursor.listener || cursor.seen >= entry.seq) continue;
        cursor.seen = entry.seq;
        deliver(cursor.listener, entry.args);
      }
    }
    return true;
  }

  /** Whether a rendered hook that has not subscribed yet is still to get `entry`. */
  #heldBack(entry: Entry): boolean {
    for (const cursor of this.#rendered) {
      if (cursor.event === entry.event && cursor.seen < entry.seq) return true;
    }
    return false;
  }

  /**
   * React runs a commit's effects in one go: a hook that has not subscribed by the next microtask
   * belongs to a render that did not commit (yet), so the others stop waiting for it.
   */
  #releaseAfterEffects(): void {
    if (this.#releaseQueued) return;
    this.#releaseQueued = true;
    queueMicrotask(() => {
      this.#releaseQueued = false;
      this.#rendered.clear();
      this.#drain();
    });
  }

  #prune(): void {
    const oldest = Date.now() - EVENT_REPLAY_WINDOW;
    let drop = Math.max(0, this.#entries.length - MAX_ENTRIES);
    while (drop < this.#entries.length && this.#entries[drop]!.at < oldest) drop++;
    if (drop > 0) this.#entries.splice(0, drop);
    for (const cursor of this.#rendered) {
      if (cursor.renderedAt < oldest) this.#rendered.delete(cursor);
    }
  }

  #dispose(): void {
    this.disposed = true;
    this.#entries = [];
    this.#rendered.clear();
    for (const [event, tap] of this.#taps) this.socket.off(event as never, tap as never);
    this.#taps.clear();
    if (journals.get(this.socket) === this) journals.delete(this.socket);
  }
}
