import type { EventsMap } from "../emitter.ts";
import { encodePacket } from "../protocol/encode.ts";
import { checkEventName } from "../protocol/reserved-event-names.ts";
import { checkAckTimeout } from "../server-core/ack-timeout.ts";
import { collectBroadcastAcks } from "../server-core/broadcast-acks.ts";
import { broadcastThroughChildren } from "../server-core/dynamic-namespaces.ts";
import { roomNames } from "../server-core/room-names.ts";
import { selectTargets } from "../server-core/rooms.ts";
import { serverEvent } from "../server-core/server-event.ts";
import type { AckReply, AllButLast, EventParams, Last } from "../types.ts";
import type { MockNamespace } from "./namespace.ts";
import type { MockServerSocket } from "./server-socket.ts";

type BroadcastAck = (error: Error | null, responses: unknown[]) => void;

/** Modifiers of one emit or broadcast. */
export interface BroadcastFlags {
  /** Ms to wait for every client's acknowledgement. */
  timeout?: number;
  /** Dropped for a client whose transport cannot write at once. */
  volatile?: boolean;
  /** Whether it may be compressed (the mock sends as is). */
  compress?: boolean;
}

/**
 * Arguments with each callback turned into a broadcast's ack: `(error | null, responses)`, each
 * response a client's first reply argument (after the error a socket's `timeout(ms)` put first:
 * `socket.timeout(ms).to(room)` broadcasts with it).
 */
type WithBroadcastAcks<Args extends unknown[]> = {
  [I in keyof Args]: Args[I] extends (...reply: never[]) => unknown
    ? (error: Error | null, responses: Array<AckReply<Args[I]>>) => void
    : Args[I];
};

/** An event's arguments as a broadcast sends them: its ack gets `(error | null, responses)`. */
export type BroadcastParams<Events, E extends keyof Events> = WithBroadcastAcks<
  EventParams<Events, E>
>;

/**
 * Targets a set of sockets of one namespace: `server.to(room).except(other).emit(...)`.
 * `EmitEvents` types what `emit` sends and `SocketData` the `data` of the sockets
 * `fetchSockets()` resolves with, as in socket.io's `BroadcastOperator<EmitEvents, SocketData>`;
 * both default to untyped (`SocketData` to `any`).
 */
export class BroadcastOperator<
  EmitEvents extends EventsMap = EventsMap,
  // biome-ignore lint/suspicious/noExplicitAny: untyped by default, as socket.io's `SocketData`.
  SocketData = any,
> {
  constructor(
    private readonly nsp: MockNamespace,
    private readonly rooms: ReadonlySet<string> = new Set(),
    private readonly excepted: ReadonlySet<string> = new Set(),
    private readonly flags: BroadcastFlags = {},
  ) {}

  /** This broadcast with more flags (a socket's `timeout/volatile/compress` set before `to()`). */
  withFlags(flags: BroadcastFlags): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(this.nsp, this.rooms, this.excepted, { ...this.flags, ...flags });
  }

  /** Adds rooms to target. */
  to(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.rooms);
    for (const name of roomNames(room)) rooms.add(name);
    return new BroadcastOperator(this.nsp, rooms, this.excepted, this.flags);
  }

  /** Alias of {@link BroadcastOperator.to}. */
  in(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Leaves out the sockets in these rooms (or with these ids). */
  except(room: string | string[]): BroadcastOperator<EmitEvents, SocketData> {
    const excepted = new Set(this.excepted);
    for (const name of roomNames(room)) excepted.add(name);
    return new BroadcastOperator(this.nsp, this.rooms, excepted, this.flags);
  }

  /** Waits at most `ms` for the acknowledgements of the broadcast: the callback gets `(error | null, responses)`. */
  timeout(ms: number): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ timeout: checkAckTimeout(ms) });
  }

  /** The broadcast may be dropped for clients whose transport cannot write it at once. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ volatile: true });
  }

  /** Whether the broadcast may be compressed (accepted for socket.io's API). */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.withFlags({ compress });
  }

  /** The targeted sockets on this server: all of them, the mock being a single server. */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this;
  }

  /**
   * The targeted sockets: connected ones only, as in socket.io (one still in its namespace's
   * middlewares may have joined rooms already).
   */
  sockets(): MockServerSocket[] {
    const { sockets, adapter } = this.nsp;
    const ids = selectTargets(sockets.keys(), adapter.rooms, this.rooms, this.excepted);
    return ids.flatMap((id) => sockets.get(id) ?? []);
  }

  /**
   * Sends an event to every targeted socket. A function as the last argument is called once
   * every client acknowledged, or when the `timeout(ms)` fires, with `(error | null, responses)`.
   */
  emit<E extends keyof EmitEvents & string>(
    event: E,
    ...input: BroadcastParams<EmitEvents, E>
  ): boolean {
    checkEventName(event);
    const args = input as unknown[];
    const throughChildren = broadcastThroughChildren(this.nsp, args, (child) =>
      new BroadcastOperator(child, this.rooms, this.excepted, this.flags).emit(
        event,
        ...(args as never[]),
      ),
    );
    if (throughChildren) return true;
    const last = args[args.length - 1];
    const ack = typeof last === "function" ? (args.pop() as BroadcastAck) : undefined;
    const ackId = ack ? this.nsp.nextAckId() : undefined;
    const { data, frames, log } = serverEvent(
      this.nsp.name,
      [event, ...args],
      { ackId, volatile: this.flags.volatile, recovery: this.nsp.recovery },
      encodePacket,
    );
    const targets = this.sockets();
    if (ack) collectBroadcastAcks(targets, ackId as number, this.flags.timeout, ack);
    // As socket.io: logged for a recovery, with the offset as last argument, which the client
    // keeps and the `onAnyOutgoing` listeners see.
    log([...this.rooms], [...this.excepted]);
    for (const socket of targets) socket.sendEvent(data, frames, this.flags.volatile);
    return true;
  }

  /**
   * Emits and resolves with every client's acknowledgement; rejects when `timeout(ms)` fires
   * first, with the acknowledgements that came in time as the error's `responses`, as socket.io.
   */
  emitWithAck<E extends keyof EmitEvents & string>(
    event: E,
    ...args: AllButLast<EventParams<EmitEvents, E>>
  ): Promise<Array<AckReply<Last<EventParams<EmitEvents, E>>>>> {
    return new Promise((resolve, reject) => {
      const ack: BroadcastAck = (error, responses) =>
        error ? reject(Object.assign(error, { responses })) : resolve(responses as never);
      (this as BroadcastOperator).emit(event, ...(args as unknown[]), ack);
    });
  }

  /**
   * The targeted sockets, as a promise like socket.io's `fetchSockets()`: their `data` is
   * typed by `SocketData` and their `emit` by `EmitEvents` (their listeners stay untyped, as
   * socket.io's `RemoteSocket` has none).
   */
  async fetchSockets(): Promise<
    Array<MockServerSocket<EventsMap, EmitEvents, EventsMap, SocketData>>
  > {
    // Typed for the test; the namespace stores sockets untyped.
    return this.sockets() as never;
  }

  /**
   * The ids of the sockets in the `to`/`in` rooms (all, without any), as socket.io's deprecated
   * `allSockets()`, which reads only those: `except` is ignored there, and so here.
   */
  async allSockets(): Promise<Set<string>> {
    const inRooms = new BroadcastOperator(this.nsp, this.rooms);
    return new Set(inRooms.sockets().map((socket) => socket.id));
  }

  /** Makes the targeted sockets join rooms. */
  socketsJoin(room: string | string[]): void {
    for (const socket of this.sockets()) socket.join(room);
  }

  /** Makes the targeted sockets leave rooms. */
  socketsLeave(room: string | string[]): void {
    const rooms = Array.isArray(room) ? room : [room];
    for (const socket of this.sockets()) for (const name of rooms) socket.leave(name);
  }

  /** Disconnects the targeted sockets. */
  disconnectSockets(close = false): void {
    for (const socket of this.sockets()) socket.disconnect(close);
  }
}
