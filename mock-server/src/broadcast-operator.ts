import {
  broadcastThroughChildren,
  checkAckTimeout,
  checkEventName,
  collectBroadcastAcks,
  roomNames,
  selectTargets,
  serverEvent,
} from "@wireline/sdk/server-core";
import type { Namespace } from "./namespace.ts";
import type { ServerSocket } from "./server-socket.ts";

type BroadcastAck = (error: Error | null, responses: unknown[]) => void;

/** Modifiers of one broadcast. */
export interface BroadcastFlags {
  volatile?: boolean;
  compress?: boolean;
  /** Ms to wait for every client's acknowledgement. */
  timeout?: number;
}

/** Targets a set of sockets of one namespace: `io.to(room).except(other).emit(...)`. */
export class BroadcastOperator {
  constructor(
    private readonly nsp: Namespace,
    private readonly rooms: ReadonlySet<string> = new Set(),
    private readonly excepted: ReadonlySet<string> = new Set(),
    private readonly flags: BroadcastFlags = {},
  ) {}

  /** Adds rooms to target. */
  to(room: string | string[]): BroadcastOperator {
    const rooms = new Set(this.rooms);
    for (const name of roomNames(room)) rooms.add(name);
    return new BroadcastOperator(this.nsp, rooms, this.excepted, this.flags);
  }

  /** Alias of {@link BroadcastOperator.to}. */
  in(room: string | string[]): BroadcastOperator {
    return this.to(room);
  }

  /** Leaves out the sockets in these rooms (or with these ids). */
  except(room: string | string[]): BroadcastOperator {
    const excepted = new Set(this.excepted);
    for (const name of roomNames(room)) excepted.add(name);
    return new BroadcastOperator(this.nsp, this.rooms, excepted, this.flags);
  }

  /** The next emit may be lost. */
  get volatile(): BroadcastOperator {
    return new BroadcastOperator(this.nsp, this.rooms, this.excepted, {
      ...this.flags,
      volatile: true,
    });
  }

  /** Whether the emit may be compressed. */
  compress(compress: boolean): BroadcastOperator {
    return new BroadcastOperator(this.nsp, this.rooms, this.excepted, { ...this.flags, compress });
  }

  /**
   * Waits at most `ms` for the acknowledgements of a broadcast; the callback gets
   * `(error | null, responses)`, one response per client.
   *
   * @example
   * io.timeout(1000).emit("poll", (err, answers) => console.log(err, answers));
   */
  timeout(ms: number): BroadcastOperator {
    return new BroadcastOperator(this.nsp, this.rooms, this.excepted, {
      ...this.flags,
      timeout: checkAckTimeout(ms),
    });
  }

  /** This server only; with a single server (always, here) it changes nothing. */
  get local(): BroadcastOperator {
    return this;
  }

  /**
   * The targeted sockets: connected ones only, as in socket.io (one still in its namespace's
   * middlewares may have joined rooms already).
   */
  sockets(): ServerSocket[] {
    const { sockets, adapter } = this.nsp;
    const ids = selectTargets(sockets.keys(), adapter.rooms, this.rooms, this.excepted);
    return ids.flatMap((id) => sockets.get(id) ?? []);
  }

  /**
   * Sends an event to every targeted socket. With a function as last argument, it is called
   * once every client acknowledged, or after the `timeout(ms)` with an error and the responses
   * received so far: `(error | null, responses)`.
   */
  emit(event: string, ...args: unknown[]): boolean {
    checkEventName(event);
    const throughChildren = broadcastThroughChildren(this.nsp, args, (child) =>
      new BroadcastOperator(child, this.rooms, this.excepted, this.flags).emit(event, ...args),
    );
    if (throughChildren) return true;
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (args.pop() as BroadcastAck) : undefined;
    const targets = this.sockets();
    const server = this.nsp.server;
    const ackId = ack ? this.nsp.nextAckId() : undefined;
    const { data, frames, log } = serverEvent(
      this.nsp.name,
      [event, ...args],
      { ackId, volatile: this.flags.volatile, recovery: server.recovery },
      (packet) => server.encode(packet),
    );
    if (ack) collectBroadcastAcks(targets, ackId as number, this.flags.timeout, ack);
    log([...this.rooms], [...this.excepted]);
    for (const socket of targets) {
      // With the recovery offset, if any, as socket.io's listeners see it.
      socket.notifyOutgoing(data);
      server.sendFrames(socket.conn, frames, this.flags);
    }
    return true;
  }

  /** Emits and resolves with every client's acknowledgement; rejects on `timeout(ms)`. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.emit(event, ...args, (error: Error | null, responses: unknown[]) =>
        error ? reject(error) : resolve(responses),
      );
    });
  }

  /** The targeted sockets, as a promise like socket.io's `fetchSockets()`. */
  async fetchSockets(): Promise<ServerSocket[]> {
    return this.sockets();
  }

  /** The ids of the targeted sockets, as socket.io's (deprecated) `allSockets()`. */
  async allSockets(): Promise<Set<string>> {
    return new Set(this.sockets().map((socket) => socket.id));
  }

  /** Makes the targeted sockets join rooms. */
  socketsJoin(room: string | string[]): void {
    for (const socket of this.sockets()) socket.join(room);
  }

  /** Makes the targeted sockets leave a room. */
  socketsLeave(room: string | string[]): void {
    for (const socket of this.sockets())
      for (const name of Array.isArray(room) ? room : [room]) socket.leave(name);
  }

  /** Disconnects the targeted sockets. */
  disconnectSockets(close = false): void {
    for (const socket of this.sockets()) socket.disconnect(close);
  }
}
