import type { Socket } from "@wireline/sdk";
import { RefCount } from "./ref-count.ts";

/**
 * How long, in ms, a socket's incoming events are kept for components that rendered but whose
 * effects have not run yet (a concurrent render yields to the network between the two).
 */
export const EVENT_REPLAY_WINDOW = 1000;
/** A flood of events keeps at most this many. */
const MAX_ENTRIES = 1000;

interface Entry {
  seq: number;
  at: number;
  event: string;
  args: unknown[];
}

const journals = new WeakMap<Socket, EventJournal>();

/**
 * The events a socket received in the last {@link EVENT_REPLAY_WINDOW} ms, numbered. A
 * component notes the number when it renders and, when its effect subscribes, first replays what
 * came after: no event falls between render and effect. It exists only while components using
 * the socket render: it leaves (and stops listening) one window after the last render.
 */
export class EventJournal {
  /** The number of the last event received. */
  seq = 0;
  /** Whether it stopped listening: its numbers mean nothing any more. */
  disposed = false;
  readonly #socket: Socket;
  #entries: Entry[] = [];
  readonly #idle = new RefCount(() => this.#dispose());
  readonly #tap = (event: string, ...args: unknown[]) => {
    this.seq++;
    this.#entries.push({ seq: this.seq, at: Date.now(), event, args });
    this.#prune();
  };

  private constructor(socket: Socket) {
    this.#socket = socket;
    // First of the catch-all listeners: it records before any app listener can throw.
    socket.prependAny(this.#tap);
  }

  /** The journal of `socket`, started if needed; kept for another window. Call while rendering. */
  static touch(socket: Socket): EventJournal {
    let journal = journals.get(socket);
    if (!journal) {
      journal = new EventJournal(socket);
      journals.set(socket, journal);
    }
    journal.#idle.idleAfter(EVENT_REPLAY_WINDOW);
    return journal;
  }

  /** The arguments of each `event` received after number `seq`, oldest first. */
  since(seq: number, event: string): unknown[][] {
    this.#prune();
    return this.#entries
      .filter((entry) => entry.seq > seq && entry.event === event)
      .map((entry) => entry.args);
  }

  #prune(): void {
    const oldest = Date.now() - EVENT_REPLAY_WINDOW;
    let drop = Math.max(0, this.#entries.length - MAX_ENTRIES);
    while (drop < this.#entries.length && this.#entries[drop]!.at < oldest) drop++;
    if (drop > 0) this.#entries = this.#entries.slice(drop);
  }

  #dispose(): void {
    this.disposed = true;
    this.#entries = [];
    this.#socket.offAny(this.#tap);
    if (journals.get(this.#socket) === this) journals.delete(this.#socket);
  }
}
