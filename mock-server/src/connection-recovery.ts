import { randomBytes } from "node:crypto";

/** socket.io's `connectionStateRecovery` option. */
export interface ConnectionStateRecoveryOptions {
  /** How long a disconnected session can be restored, ms. Default 120000 (2 minutes). */
  maxDisconnectionDuration?: number;
  /** Whether a restored socket skips the middlewares. Default true. */
  skipMiddlewares?: boolean;
}

interface LoggedPacket {
  offset: string;
  nsp: string;
  /** Rooms targeted; empty means every socket of the namespace. */
  rooms: string[];
  except: string[];
  data: unknown[];
  at: number;
}

/** What a restored socket gets back. */
export interface SavedSession {
  pid: string;
  id: string;
  nsp: string;
  rooms: string[];
  data: Record<string, unknown>;
  disconnectedAt: number;
}

/**
 * Connection state recovery: every event sent is logged with an offset (appended as its last
 * argument); a socket that drops keeps its id, rooms and data for `maxDisconnectionDuration`,
 * and on a reconnect that presents `{ pid, offset }` it gets them back with the events it missed.
 */
export class ConnectionRecovery {
  readonly maxDisconnectionDuration: number;
  readonly skipMiddlewares: boolean;
  private log: LoggedPacket[] = [];
  private readonly sessions = new Map<string, SavedSession>();
  private counter = 0;
  private readonly prefix = randomBytes(4).toString("hex");

  constructor(options: ConnectionStateRecoveryOptions) {
    this.maxDisconnectionDuration = options.maxDisconnectionDuration ?? 120_000;
    this.skipMiddlewares = options.skipMiddlewares ?? true;
  }

  /** A new private session id, sent to the client in the CONNECT reply. */
  newPid(): string {
    return randomBytes(15).toString("base64url");
  }

  /** Logs an event sent to `rooms` (all when empty) and returns its offset. */
  record(nsp: string, rooms: string[], except: string[], data: unknown[]): string {
    this.prune();
    const offset = `${this.prefix}-${(this.counter++).toString(36)}`;
    this.log.push({ offset, nsp, rooms, except, data: data.slice(), at: Date.now() });
    return offset;
  }

  /** Keeps a dropped socket's state so that it can be restored. */
  save(session: SavedSession): void {
    this.prune();
    this.sessions.set(session.pid, session);
  }

  /** Takes back a saved session and the events it missed since `offset`; undefined when it cannot. */
  restore(
    pid: string,
    offset: string,
    nsp: string,
  ): { session: SavedSession; missed: unknown[][] } | undefined {
    this.prune();
    const session = this.sessions.get(pid);
    if (!session || session.nsp !== nsp) return undefined;
    const index = this.log.findIndex((entry) => entry.offset === offset);
    if (index === -1 && offset !== "") return undefined;
    this.sessions.delete(pid);
    const rooms = new Set(session.rooms);
    const missed = this.log
      .slice(index + 1)
      .filter(
        (entry) =>
          entry.nsp === nsp &&
          (entry.rooms.length === 0 || entry.rooms.some((room) => rooms.has(room))) &&
          !entry.except.some((room) => rooms.has(room)),
      )
      .map((entry) => [...entry.data, entry.offset]);
    return { session, missed };
  }

  /** Forgets every saved session and logged event (a server restart that loses its state). */
  clear(): void {
    this.log = [];
    this.sessions.clear();
  }

  private prune(): void {
    const oldest = Date.now() - this.maxDisconnectionDuration;
    if (this.log.length > 0 && this.log[0]!.at < oldest)
      this.log = this.log.filter((entry) => entry.at >= oldest);
    for (const [pid, session] of this.sessions)
      if (session.disconnectedAt < oldest) this.sessions.delete(pid);
  }
}
