import { callListener, type Socket } from "@wireline/sdk";
import { RefCount } from "./ref-count.ts";

/**
 * How long, in ms, a socket's incoming events are kept for components that rendered but whose
 * effects have not run yet (a concurrent render yields to the network between the two).
 */
export const EVENT_REPLAY_WINDOW = 1000;
/**
 * How long, in ms, a hook that rendered but has not committed holds back the events it is still
 * to get from the other hooks: a render that never commits (a discarded or suspended one, a
 * hidden `<Activity>`) delays their live delivery by at most this much.
 */
const UNCOMMITTED_HOLD = 100;
/** A flood of events keeps at most this many for replay (those a subscribed hook still needs stay). */
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
  /**
   * Until when, while rendered and not subscribed, it holds back the other hooks' events: briefly
   * after a render, a window after a commit (its effect is sure to subscribe), 0 once uncommitted.
   */
  holdUntil: number;
  /** Its handler, while subscribed. */
  listener: ((...args: unknown[]) => void) | undefined;
}

const journals = new WeakMap<Socket, EventJournal>();

/**
 * The events a socket received in the last {@link EVENT_REPLAY_WINDOW} ms, numbered, and the
 * one listener per event name through which every hook of the socket gets them. A component
 * takes a cursor when it renders; when its effect subscribes, it first gets what came after,
 * so no event falls between render and effect. Replays go out in arrival order across all the
 * hooks of a commit: one that subscribes while another rendered hook still waits for an earlier
 * event holds back until that hook subscribed too: for {@link UNCOMMITTED_HOLD} ms after its
 * render, or, once its render committed, until its effect runs (a window at most). It listens per
 * event name, never through the app's catch-all `onAny` list, stops listening to an event name
 * one window after no hook uses it, and leaves one window after the last render once no hook is
 * subscribed.
 */
export class EventJournal {
  readonly socket: Socket;
  /** The number of the last event received. */
  seq = 0;
  /** Whether it stopped listening: its cursors mean nothing any more. */
  disposed = false;
  #entries: Entry[] = [];
  readonly #taps = new Map<string, (...args: unknown[]) => void>();
  /** When a hook last rendered, committed or unsubscribed for each event name. */
  readonly #lastUse = new Map<string, number>();
  /** Subscribed cursors by event name, in subscription order. */
  readonly #subscribed = new Map<string, Set<JournalCursor>>();
  /** Rendered, not yet subscribed: their events hold back later replays. */
  readonly #rendered = new Set<JournalCursor>();
  readonly #users = new RefCount(() => this.#dispose());
  #draining = false;
  /** Something to deliver turned up during a drain: the drain goes round once more. */
  #again = false;
  /** Ends holds and lets go of unused taps: the earliest time either is due. */
  #wakeTimer: ReturnType<typeof setTimeout> | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;

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
    this.#used(event);
    const cursor: JournalCursor = {
      journal: this,
      event,
      seen: this.seq,
      holdUntil: Date.now() + UNCOMMITTED_HOLD,
      listener: undefined,
    };
    this.#rendered.add(cursor);
    return cursor;
  }

  /** Notes that `cursor`'s component rendered again; one not subscribed holds back replays again. */
  rendered(cursor: JournalCursor): void {
    if (cursor.listener) return;
    this.#used(cursor.event);
    // Not shorter: a commit's hold lasts until its effect ran.
    cursor.holdUntil = Math.max(cursor.holdUntil, Date.now() + UNCOMMITTED_HOLD);
    this.#rendered.add(cursor);
  }

  /**
   * Notes that `cursor`'s render committed (call from a layout effect): its effect will subscribe,
   * so the other hooks wait for it, a window at most.
   */
  committed(cursor: JournalCursor): void {
    if (cursor.listener || this.disposed) return;
    this.#used(cursor.event);
    cursor.holdUntil = Date.now() + EVENT_REPLAY_WINDOW;
    this.#rendered.add(cursor);
  }

  /** Undoes {@link EventJournal.committed} (the layout effect's cleanup): unmounted or hidden. */
  uncommitted(cursor: JournalCursor): void {
    cursor.holdUntil = 0;
    if (cursor.listener || !this.#rendered.delete(cursor)) return;
    this.#used(cursor.event);
    // What it held back goes to the others now.
    this.#drain();
  }

  /**
   * Delivers `cursor`'s events to `listener`: first those it missed since it rendered (or since
   * it last unsubscribed), then each as it arrives. Returns the function that unsubscribes.
   */
  subscribe(cursor: JournalCursor, listener: (...args: unknown[]) => void): () => void {
    this.#listenTo(cursor.event);
    // Before it counts: it resumes only from what is kept for replay.
    this.#prune();
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
      this.#used(cursor.event);
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

  /** Notes that a hook used `event` now: its tap stays at least a window. */
  #used(event: string): void {
    const now = Date.now();
    this.#lastUse.set(event, now);
    this.#wakeUpAt(now + EVENT_REPLAY_WINDOW);
  }

  /** Drains (ending the holds due) and sweeps the taps at `at`, unless a wake-up comes earlier. */
  #wakeUpAt(at: number): void {
    if (this.#wakeAt <= at || this.disposed) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAt = at;
    // Looked up at call time, so tests may install fake timers after import.
    this.#wakeTimer = setTimeout(
      () => {
        this.#wakeAt = Number.POSITIVE_INFINITY;
        this.#drain();
        this.#sweepTaps();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /**
   * Stops listening to the event names no hook has used for a window (as with a room id in the
   * name): until then a remount (StrictMode, `<Activity>`) still finds their events kept.
   */
  #sweepTaps(): void {
    const now = Date.now();
    for (const [event, tap] of this.#taps) {
      if ((this.#subscribed.get(event)?.size ?? 0) > 0) continue;
      let usedUntil = (this.#lastUse.get(event) ?? 0) + EVENT_REPLAY_WINDOW;
      // A rendered hook that has not subscribed yet uses it as long as it holds back.
      for (const cursor of this.#rendered) {
        if (cursor.event === event) usedUntil = Math.max(usedUntil, cursor.holdUntil);
      }
      if (usedUntil > now) {
        this.#wakeUpAt(usedUntil);
        continue;
      }
      this.socket.off(event as never, tap as never);
      this.#taps.delete(event);
      this.#lastUse.delete(event);
      this.#subscribed.delete(event);
    }
  }

  #receive(event: string, args: unknown[]): void {
    if (RESERVED_EVENTS.has(event)) {
      for (const cursor of [...(this.#subscribed.get(event) ?? [])]) {
        if (cursor.listener) callListener(cursor.listener, undefined, args);
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
    const from = this.#prune();
    const first = this.#entries[0]?.seq ?? this.seq + 1;
    // Entries are numbered without gaps: the one after `from` sits at a known index.
    for (let index = Math.max(0, from + 1 - first); index < this.#entries.length; index++) {
      const entry = this.#entries[index]!;
      const holder = this.#holderOf(entry);
      if (holder) {
        this.#wakeUpAt(holder.holdUntil);
        return false;
      }
      for (const cursor of [...(this.#subscribed.get(entry.event) ?? [])]) {
        if (!cursor.listener || cursor.seen >= entry.seq) continue;
        cursor.seen = entry.seq;
        // As the SDK calls a listener: what it throws is reported, the others still get theirs.
        callListener(cursor.listener, undefined, entry.args);
      }
    }
    return true;
  }

  /** A rendered hook, not subscribed yet and still holding back, that is still to get `entry`. */
  #holderOf(entry: Entry): JournalCursor | undefined {
    for (const cursor of this.#rendered) {
      if (cursor.event === entry.event && cursor.seen < entry.seq) return cursor;
    }
    return undefined;
  }

  /**
   * Drops what is kept only for replay beyond the bounds (a window, {@link MAX_ENTRIES}), never an
   * event a subscribed hook has not had yet, and the rendered hooks that stopped holding back.
   * Returns the number of the last event every subscribed hook has had.
   */
  #prune(): number {
    const now = Date.now();
    // Those whose hold ended no longer keep the others waiting.
    for (const cursor of this.#rendered) {
      if (cursor.holdUntil <= now) this.#rendered.delete(cursor);
    }
    let needed = this.seq;
    for (const cursors of this.#subscribed.values()) {
      for (const cursor of cursors) needed = Math.min(needed, cursor.seen);
    }
    const oldest = now - EVENT_REPLAY_WINDOW;
    const entries = this.#entries;
    let drop = Math.max(0, entries.length - MAX_ENTRIES);
    while (drop < entries.length && entries[drop]!.at < oldest) drop++;
    // Entries are numbered without gaps: those up to `needed` come first.
    drop = Math.min(drop, Math.max(0, needed + 1 - (entries[0]?.seq ?? needed + 1)));
    if (drop > 0) entries.splice(0, drop);
    return needed;
  }

  #dispose(): void {
    this.disposed = true;
    this.#entries = [];
    this.#rendered.clear();
    clearTimeout(this.#wakeTimer);
    for (const [event, tap] of this.#taps) this.socket.off(event as never, tap as never);
    this.#taps.clear();
    this.#lastUse.clear();
    if (journals.get(this.socket) === this) journals.delete(this.socket);
  }
}
