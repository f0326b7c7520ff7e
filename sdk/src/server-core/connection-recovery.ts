/** socket.io's `connectionStateRecovery` server option. */
export interface ConnectionStateRecoveryOptions {
  /** How long a disconnected socket's session can be restored, ms. Default 120000 (2 minutes). */
  maxDisconnectionDuration?: number;
  /** Whether a restored socket skips the namespace's middlewares. Default true. */
  skipMiddlewares?: boolean;
}

/**
 * The disconnect reasons after which socket.io keeps a socket's session for a recovery: the
 * connection was lost or closed by the server, not left on purpose by either side's socket.
 */
export const RECOVERABLE_DISCONNECT_REASONS: ReadonlySet<string> = new Set([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
]);

/** socket.io's in-memory session adapter sweeps expired sessions and packets this often, ms. */
const SWEEP_INTERVAL = 60_000;

interface LoggedPacket {
  offset: string;
  nsp: string;
  /** Rooms targeted; none means every socket of the namespace. */
  rooms: string[];
  except: string[];
  /** `[event, ...args, offset]`. */
  data: unknown[];
  emittedAt: number;
}

/** What a socket that dropped leaves behind for its restore. */
export interface SavedSession {
  /** The private session id the client presents in its CONNECT (`auth.pid`). */
  pid: string;
  /** The socket id, which the restored socket takes again. */
  id: string;
  nsp: string;
  rooms: string[];
  data: unknown;
  disconnectedAt: number;
}

/** What {@link ConnectionRecovery.persist} reads of a server socket. */
export interface RecoverableSocket {
  /** Its private session id: undefined when recovery was off as it connected. */
  readonly pid?: string | undefined;
  readonly id: string;
  readonly nsp: { readonly name: string };
  readonly rooms: Iterable<string>;
  readonly data: unknown;
}

/** A random url-safe id of 20 characters, as socket.io's `base64id`. */
function randomPid(): string {
  const bytes = new Uint8Array(15);
  globalThis.crypto.getRandomValues(bytes);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * Connection state recovery as socket.io's `SessionAwareAdapter` keeps it: each event sent
 * without an acknowledgement and not volatile is logged with an offset (appended to its
 * arguments); a socket that dropped leaves its id, rooms and data for
 * `maxDisconnectionDuration`; a CONNECT presenting `{ pid, offset }` gets them back with the
 * events sent since that offset to its rooms. Works in Node and browsers.
 */
export class ConnectionRecovery {
  readonly maxDisconnectionDuration: number;
  readonly skipMiddlewares: boolean;
  private log: LoggedPacket[] = [];
  private readonly sessions = new Map<string, SavedSession>();
  private counter = 0;
  private readonly prefix = randomPid().slice(0, 8);
  /** When the sweeps are counted from (socket.io starts its timer with the adapter). */
  private readonly createdAt = Date.now();
  private lastSweep = this.createdAt;

  constructor(options: ConnectionStateRecoveryOptions) {
    this.maxDisconnectionDuration = options.maxDisconnectionDuration ?? 120_000;
    this.skipMiddlewares = options.skipMiddlewares ?? true;
  }

  /** A new private session id, sent to the client in the CONNECT reply. */
  newPid(): string {
    return randomPid();
  }

  /**
   * A fresh offset, for an event to carry before {@link ConnectionRecovery.record} logs it: a
   * server encodes the event with it first, so that one which cannot be sent is never replayed.
   */
  nextOffset(): string {
    return `${this.prefix}-${(this.counter++).toString(36)}`;
  }

  /**
   * Logs an event (`data` without its offset) sent to `rooms` (all when empty) but not `except`,
   * with `offset` (a fresh one by default); returns the offset.
   */
  record(
    nsp: string,
    rooms: string[],
    except: string[],
    data: unknown[],
    offset = this.nextOffset(),
  ): string {
    this.sweep();
    this.log.push({ offset, nsp, rooms, except, data: [...data, offset], emittedAt: Date.now() });
    return offset;
  }

  /**
   * Keeps the session of a socket that ended with `reason`, when socket.io would: its connection
   * was lost or closed by the server (see {@link RECOVERABLE_DISCONNECT_REASONS}). Call it while
   * the socket is still in its rooms.
   */
  persist(socket: RecoverableSocket, reason: string): void {
    if (socket.pid === undefined || !RECOVERABLE_DISCONNECT_REASONS.has(reason)) return;
    const { pid, id, nsp, rooms, data } = socket;
    this.save({ pid, id, nsp: nsp.name, rooms: [...rooms], data });
  }

  /** Keeps a dropped socket's state so that it can be restored (replacing an earlier one). */
  private save(session: Omit<SavedSession, "disconnectedAt">): void {
    this.sweep();
    this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
  }

  /**
   * The saved session of `pid` and the events it missed since `offset` (both as a CONNECT's
   * payload carries them), or undefined, as socket.io: when either is not a string, the session
   * expired, or the offset is no longer (or never was) logged. The session stays saved, as
   * there: the socket's next drop saves it anew.
   */
  restore(
    pid: unknown,
    offset: unknown,
    nsp: string,
  ): { session: SavedSession; missed: unknown[][] } | undefined {
    if (typeof pid !== "string" || typeof offset !== "string") return undefined;
    this.sweep();
    const session = this.sessions.get(pid);
    if (!session || session.nsp !== nsp) return undefined;
    if (session.disconnectedAt + this.maxDisconnectionDuration < Date.now()) {
      this.sessions.delete(pid);
      return undefined;
    }
    // An offset of another namespace is unknown here, as in socket.io's per-namespace log.
    const index = this.log.findIndex((entry) => entry.offset === offset && entry.nsp === nsp);
    if (index === -1) return undefined;
    const rooms = session.rooms;
    const missed = this.log
      .slice(index + 1)
      .filter(
        (entry) =>
          entry.nsp === nsp &&
          (entry.rooms.length === 0 || rooms.some((room) => entry.rooms.includes(room))) &&
          rooms.every((room) => !entry.except.includes(room)),
      )
      .map((entry) => entry.data.slice());
    return { session, missed };
  }

  /** Forgets every saved session and logged event (a server restart that loses its state). */
  clear(): void {
    this.log = [];
    this.sessions.clear();
  }

  /**
   * Drops what socket.io's once-a-minute sweep would have dropped by now. Its later sweeps drop
   * all its earlier ones did, so running only the last one due gives the same state, with no
   * timer to keep a test or a page alive.
   */
  private sweep(): void {
    const now = Date.now();
    const due =
      this.createdAt + Math.floor((now - this.createdAt) / SWEEP_INTERVAL) * SWEEP_INTERVAL;
    if (due <= this.lastSweep) return;
    this.lastSweep = due;
    const threshold = due - this.maxDisconnectionDuration;
    for (const [pid, session] of this.sessions)
      if (session.disconnectedAt < threshold) this.sessions.delete(pid);
    // Newer packets are later in the log: drop through the last one that expired.
    let last = -1;
    for (let index = 0; index < this.log.length; index++)
      if (this.log[index]!.emittedAt < threshold) last = index;
    if (last >= 0) this.log = this.log.slice(last + 1);
  }
}
