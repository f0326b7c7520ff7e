import { AckTimeoutError } from "./ack-timeout-error.ts";
import { callListener } from "./call-listener.ts";
import { Outbox } from "./outbox/outbox.ts";
import type { OutboxEntry, OutboxInput } from "./outbox/outbox-entry.ts";
import { type PendingAck, PendingAcks } from "./pending-acks.ts";
import { type BinaryData, type Packet, PacketType } from "./protocol/index.ts";
import type { SocketOptions } from "./socket-options.ts";
import { setTimer } from "./timer-delay.ts";

type Ack = (...args: unknown[]) => void;
type Frames = Array<string | BinaryData>;

/** Longest a new page's emits wait for a previous page's stored packets to load. */
const RESTORE_WAIT_MS = 3_000;

/** The flags `volatile`, `compress(…)` and `timeout(…)` set for one emit. */
export interface EmitFlags {
  volatile?: boolean;
  compress?: boolean;
  timeout?: number;
}

/** What the outgoing side needs from its socket. */
export interface OutgoingHost {
  /** The namespace, e.g. "/". */
  readonly nsp: string;
  /** `this` of the app's ack callbacks: the socket. */
  readonly self: unknown;
  /** Connected, and the browser does not say offline: emits go out now. */
  live(): boolean;
  /** Whether the transport can write at once (a volatile emit is dropped otherwise). */
  writable(): boolean;
  /**
   * Encodes a packet for sending. Throws a TypeError for circular data, a RangeError for a
   * packet the server would refuse as too large.
   */
  encode(packet: Packet): Frames;
  /** Sends an EVENT packet's frames (telling the outgoing catch-all listeners). */
  send(packet: Packet, frames: Frames, compress?: boolean): void;
  /** An emit that could not be sent and has no ack to tell (the Manager's `error` event). */
  reportError(error: Error): void;
  /** The server's `maxPayload`, once connected. */
  maxPayload(): number | undefined;
  /** The ack of `ackId` timed out (for observers such as the devtools log). */
  ackTimedOut(ackId: number, event: string): void;
}

/** An emit awaiting its ack under `retries`: resent with the same id until acked or out of tries. */
interface RetryEntry {
  packet: Packet;
  tries: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Waiting in the outbox (not sent yet); the outbox's flush sends it. */
  queued: boolean;
  /**
   * Makes a try: sends now (counted, its deadline started) when live, else waits in the outbox.
   * `flushing`: the outbox's flush is sending it.
   */
  send(frames?: Frames, flushing?: boolean): void;
}

/**
 * A socket's outgoing events: sent now when live, else queued in the outbox; acks with their
 * timeouts; `retries` resent with stable ids; flushed in order at connect. Whatever gives up
 * (timeout, drop, expiry) fails its ack once and is never sent late.
 */
export class OutgoingEvents {
  // `declare`d: the constructor sets it, so no empty field definition is bundled before it.
  /** Emits waiting to be sent: see {@link Outbox}. */
  declare readonly outbox: Outbox;
  readonly #host: OutgoingHost;
  readonly #ackTimeout: number | undefined;
  readonly #retries: number;
  /** Emits under `retries` awaiting their ack, by ack id (insertion order is emit order). */
  readonly #retryQueue = new Map<number, RetryEntry>();
  #nextAckId = 0;
  readonly #acks = new PendingAcks();
  /** Outbox ids of sent packets awaiting their ack, by ack id: settled when the ack settles. */
  readonly #stored = new Map<number, string>();
  /** A flush is sending: the outbox's change notifications must not start another one. */
  #flushing = false;
  /** A previous page's packets are loading: this page's emits wait behind them, in order. */
  #restoring = false;
  /** Counts restores, so that only the latest one ends the wait. */
  #restores = 0;
  /** The outbox is this socket's own, with a storage: it loads what other pages left. */
  readonly #persisted: boolean;
  /** Not restoring from storage: before the first connect, and after {@link onStop}. */
  #stopped = true;
  /** Ends the wait for a restore that takes too long. */
  #giveUp: ReturnType<typeof setTimeout> | undefined;

  constructor(host: OutgoingHost, options: SocketOptions, onOutboxChange: () => void) {
    this.#host = host;
    this.#ackTimeout = options.ackTimeout;
    this.#retries = options.retries ?? 0;
    this.outbox =
      options.outbox instanceof Outbox ? options.outbox : new Outbox(options.outbox ?? {});
    this.outbox.on("change", onOutboxChange);
    this.#persisted = !(options.outbox instanceof Outbox) && !!options.outbox?.storage;
  }

  /**
   * The socket connects (a socket made with `autoConnect: false`, as the bindings make theirs
   * while rendering, touches no storage before): a persisted outbox loads what a previous page,
   * or a tab closed since, could not send, and this socket's emits wait behind it.
   */
  onStart(): void {
    if (!this.#persisted || !this.#stopped) return;
    this.#stopped = false;
    const restore = ++this.#restores;
    this.#restoring = true;
    const restored = () => {
      if (restore !== this.#restores) return;
      clearTimeout(this.#giveUp);
      this.#restoring = false;
      if (this.#host.live()) this.flush();
    };
    // A storage that never answers must not hold this page's emits for good.
    this.#giveUp = setTimeout(restored, RESTORE_WAIT_MS);
    this.outbox.restore(this.#host.nsp).then(restored, (error: unknown) => {
      restored();
      throw error;
    });
  }

  /**
   * The socket stopped (disconnected by the app, or the server refused or closed the
   * namespace): its outbox takes no more of what other tabs leave, which it would keep unsent.
   */
  onStop(): void {
    if (!this.#persisted) return;
    this.#stopped = true;
    clearTimeout(this.#giveUp);
    this.outbox.stopRestoring(this.#host.nsp);
  }

  /**
   * Emits go out now: connected, online, nothing older still loading, and no flush under way
   * (an emit from a listener it notifies waits behind the packets it is sending).
   */
  #live(): boolean {
    return !this.#restoring && !this.#flushing && this.#host.live();
  }

  /** Whether acks default to error-first callbacks (a timeout or retries apply). */
  get errorFirstByDefault(): boolean {
    return this.#ackTimeout !== undefined || this.#retries > 0;
  }

  /**
   * Sends or queues one event; `args` may end with the ack callback. Without a timeout the
   * callback takes no error, so `reject` (from `emitWithAck`) receives a drop instead.
   */
  emit(event: string, input: unknown[], flags: EmitFlags, reject?: (error: Error) => void): void {
    const host = this.#host;
    const args = input.slice();
    const callback = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    if (this.#retries > 0 && !flags.volatile) {
      this.#emitWithRetries(event, args, callback, flags);
      return;
    }
    // A volatile emit need not wait for stored packets loading: it may be lost, never late.
    const live = flags.volatile ? !this.#flushing && host.live() : this.#live();
    const timeout = flags.timeout ?? this.#ackTimeout;
    if (flags.volatile && !(live && host.writable())) {
      // Never sent or queued. As in socket.io-client, an ack that can learn of it still waits,
      // to fail at its timeout (or at disconnect, for emitWithAck); a plain callback is dropped.
      if (callback && (timeout !== undefined || reject)) {
        this.#registerAck(this.#nextAckId++, event, callback, timeout, reject);
      }
      return;
    }
    const packet: Packet = { type: PacketType.EVENT, nsp: host.nsp, data: [event, ...args] };
    if (callback) packet.id = this.#nextAckId++;
    // Encoded before its ack is registered, even to wait in the outbox: a payload that cannot
    // go throws now, leaving nothing (not at the next connect, with nobody to hear it).
    const frames = host.encode(packet);
    if (callback) {
      this.#registerAck(packet.id!, event, callback, timeout, reject);
    }
    if (!live) {
      this.#enqueue(packet);
      return;
    }
    host.send(packet, frames, flags.compress);
    if (callback && !flags.volatile) this.#keep(packet);
  }

  /** A live emit awaiting its ack: a persisted outbox keeps a copy until the ack settles. */
  #keep(packet: Packet): void {
    const id = packet.id as number;
    const storedId = this.outbox.keep(packet.nsp, packet.data as unknown[], id);
    if (storedId !== undefined) this.#stored.set(id, storedId);
  }

  /**
   * Sends a packet that was accepted earlier (queued, or resent under `retries`). One that can
   * no longer be encoded fails its ack with the reason, or is reported, rather than throwing.
   */
  #transmit(packet: Packet, compress?: boolean): void {
    let frames: Frames;
    try {
      frames = this.#host.encode(packet);
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (packet.id !== undefined) this.#acks.fail(packet.id, error);
      else this.#host.reportError(error);
      return;
    }
    this.#host.send(packet, frames, compress);
  }

  /** The server acknowledged ack `id` with `args`. */
  reply(id: number, args: unknown[]): void {
    this.#acks.reply(id, args);
  }

  /**
   * The server's reply to ack `id` came but was refused (see DecodeError.packet): an ack that can
   * fail (error-first, `emitWithAck`) fails with `error`; a plain callback is dropped uncalled,
   * as at a disconnect, rather than handed the error as if it were the reply. The packet arrived
   * either way: its stored copy goes.
   */
  refuseReply(id: number, error: Error): void {
    this.#unstore(id);
    this.#acks.failOrForget(id, () => error);
  }

  /** Waits for the ack of `id`; when it settles, the outbox forgets the packet's stored copy. */
  #addAck(id: number, ack: PendingAck): void {
    this.#acks.add(id, {
      ...ack,
      reply: (args) => {
        this.#unstore(id);
        ack.reply(args);
      },
      fail: (error) => {
        this.#unstore(id);
        ack.fail(error);
      },
    });
  }

  /** Forgets the stored copy of the packet awaiting ack `id`, if any. */
  #unstore(id: number): void {
    const storedId = this.#stored.get(id);
    if (storedId === undefined) return;
    this.#stored.delete(id);
    this.outbox.settle(storedId);
  }

  /**
   * Connected: the outbox goes out, before any listener can emit something newer. A try still
   * in flight (a server that repeated the CONNECT, no disconnect between) goes again first.
   */
  onConnect(): void {
    // Taken first: the flush's listeners may flush what waits, and that is no longer in flight.
    const inFlight = [...this.#retryQueue.values()].filter((entry) => !entry.queued);
    // A previous page's packets and those sent again after a drop are the oldest of all.
    this.flush(true);
    for (const entry of inFlight) entry.send();
    this.flush();
  }

  /**
   * Disconnected: a retried emit's try in flight ends (its last one fails the ack); acks that
   * can fail and whose packet will not be sent again fail now.
   */
  onDisconnect(): void {
    const gone = () => new Error("socket has been disconnected");
    const nsp = this.#host.nsp;
    const again: OutboxInput[] = [];
    const waitingAgain: number[] = [];
    for (const [id, entry] of this.#retryQueue) {
      if (entry.queued) continue;
      clearTimeout(entry.timer);
      if (entry.tries > this.#retries) {
        this.#acks.fail(id, gone());
        continue;
      }
      // Tries left: it waits in the outbox again (limits, ttl), its stored copy with it.
      entry.queued = true;
      waitingAgain.push(id);
      again.push(this.#outboxInput(entry.packet));
    }
    this.outbox.requeue(again);
    // The copy made as it waits again is written before the old one is deleted: a page that
    // unloads between the two writes leaves it stored twice (sent again), never not at all.
    for (const id of waitingAgain) this.#unstore(id);
    const queued = new Set(
      this.outbox
        .entries()
        .filter((entry) => entry.nsp === nsp)
        .map((entry) => entry.ackId),
    );
    // socket.io-client's message, which apps may compare.
    this.#acks.failUnsent((id) => this.#retryQueue.has(id) || queued.has(id), gone);
    // Plain callbacks were dropped uncalled: a persisted outbox sends their packets again.
    const released: string[] = [];
    for (const [id, storedId] of this.#stored) {
      if (this.#acks.has(id)) continue;
      this.#stored.delete(id);
      released.push(storedId);
    }
    this.outbox.release(released);
  }

  /**
   * Sends what the outbox holds for this namespace, oldest first, in batches of `maxPayload`;
   * with `orphansOnly`, only the previous page's packets and those sent again after a drop.
   */
  flush(orphansOnly = false): void {
    if (this.#flushing || this.#restoring) return;
    this.#flushing = true;
    const maxPayload = this.#host.maxPayload();
    const sent: OutboxEntry[] = [];
    try {
      for (;;) {
        const batch = this.outbox.drain(maxPayload, this.#host.nsp, orphansOnly, false);
        if (batch.length === 0) break;
        sent.push(...batch);
        for (const entry of batch) {
          const packet = this.#sendable(entry);
          const retry = packet.id === undefined ? undefined : this.#retryQueue.get(packet.id);
          if (retry) {
            // A retried emit's try starts now, its deadline with it.
            retry.queued = false;
            retry.send(undefined, true);
          } else this.#transmit(packet);
        }
      }
    } finally {
      this.#flushing = false;
    }
    // Announced once everything went: what a listener emits now comes after, and goes live.
    if (sent.length === 0) return;
    this.outbox.emitEvent("flush", sent);
    this.outbox.emitEvent("change");
  }

  /**
   * The packet for an outbox entry about to be sent. One that awaits an ack is tracked until
   * the ack settles; a previous page's gets a fresh ack id, whose reply only settles it.
   */
  #sendable(entry: OutboxEntry): Packet {
    const packet = toPacket(entry);
    if (!entry.awaitsAck) return packet;
    if (entry.ackId === undefined) {
      packet.id = this.#nextAckId++;
      // Its sender's callback went with the previous page: nothing to call, only to settle.
      this.#addAck(packet.id, { failsOnDisconnect: false, reply: () => {}, fail: () => {} });
    }
    this.#stored.set(packet.id as number, entry.id);
    return packet;
  }

  #enqueue(packet: Packet): void {
    this.outbox.enqueue(this.#outboxInput(packet));
  }

  /** An EVENT packet as the outbox takes it: one awaiting an ack fails that ack if dropped. */
  #outboxInput(packet: Packet): OutboxInput {
    const [event, ...args] = packet.data as [string, ...unknown[]];
    const id = packet.id;
    const input: OutboxInput = { nsp: this.#host.nsp, event, args };
    if (id === undefined) return input;
    return { ...input, ackId: id, fail: (error) => this.#acks.fail(id, error) };
  }

  /**
   * The ack of `id` did not come in time (after `tries` tries): its packet leaves the outbox, so
   * it is never sent late, and the ack fails.
   */
  #timedOut(id: number, event: string, timeout: number, tries?: number): void {
    const nsp = this.#host.nsp;
    const queued = this.outbox.entries().find((entry) => entry.ackId === id && entry.nsp === nsp);
    if (queued) this.outbox.remove(queued.id);
    this.#host.ackTimedOut(id, event);
    this.#acks.fail(id, new AckTimeoutError(event, nsp, timeout, tries));
  }

  /**
   * A try is a send, and its ack deadline runs from it, as in socket.io-client: nothing is spent
   * while disconnected. The packet waits in the outbox, or (if a try was in flight when the
   * connection dropped) goes first at connect; a drop during the last try fails the ack.
   */
  #emitWithRetries(event: string, args: unknown[], callback: Ack | undefined, flags: EmitFlags) {
    const id = this.#nextAckId++;
    const packet: Packet = {
      type: PacketType.EVENT,
      nsp: this.#host.nsp,
      id,
      data: [event, ...args],
    };
    const timeout = flags.timeout ?? this.#ackTimeout;
    // A payload that cannot go throws now, before anything is registered, even to wait in the
    // outbox; its frames make the first try, so a live emit is encoded once.
    const frames = this.#host.encode(packet);
    const firstFrames = this.#live() ? frames : undefined;
    const send = (frames?: Frames, flushing = false) => {
      if (!flushing && !this.#live()) {
        if (!entry.queued) {
          entry.queued = true;
          this.#enqueue(packet);
        }
        return;
      }
      entry.tries++;
      if (frames) this.#host.send(packet, frames, flags.compress);
      else this.#transmit(packet, flags.compress);
      // Settled already (the packet could not be encoded and its ack failed), or the write
      // found the connection dead and dropped it: the next connect sends this try again.
      if (timeout === undefined || !this.#retryQueue.has(id) || !this.#host.live()) return;
      // One deadline per packet, from its latest try, however the try came about.
      clearTimeout(entry.timer);
      entry.timer = setTimer(() => {
        if (entry.tries <= this.#retries) return send();
        this.#timedOut(id, event, timeout, entry.tries);
      }, timeout);
    };
    const entry: RetryEntry = { packet, tries: 0, timer: undefined, queued: false, send };
    const finish = (error: Error | null, reply: unknown[]) => {
      clearTimeout(entry.timer);
      this.#retryQueue.delete(id);
      if (callback) callListener(callback, this.#host.self, [error, ...reply]);
    };
    this.#retryQueue.set(id, entry);
    this.#addAck(id, {
      failsOnDisconnect: true,
      reply: (reply) => finish(null, reply),
      fail: (error) => finish(error, []),
    });
    send(firstFrames);
    // Not when the write found the connection dead: it waits in the outbox, stored there.
    if (firstFrames && !entry.queued) this.#keep(packet);
  }

  #registerAck(
    id: number,
    event: string,
    ack: Ack,
    timeout: number | undefined,
    reject: ((error: Error) => void) | undefined,
  ): void {
    const errorFirst = timeout !== undefined;
    const timer = errorFirst
      ? setTimer(() => this.#timedOut(id, event, timeout), timeout)
      : undefined;
    this.#addAck(id, {
      // emitWithAck's promise rejects on disconnect too, as socket.io-client's does.
      failsOnDisconnect: errorFirst || reject !== undefined,
      reply: (reply) => {
        clearTimeout(timer);
        callListener(ack, this.#host.self, errorFirst ? [null, ...reply] : reply);
      },
      fail: (error) => {
        clearTimeout(timer);
        if (reject) reject(error);
        else callListener(ack, this.#host.self, [error]);
      },
    });
  }
}

/** The EVENT packet an outbox entry stands for. */
export function toPacket(entry: OutboxEntry): Packet {
  const packet: Packet = {
    type: PacketType.EVENT,
    nsp: entry.nsp,
    data: [entry.event, ...entry.args],
  };
  if (entry.ackId !== undefined) packet.id = entry.ackId;
  return packet;
}
