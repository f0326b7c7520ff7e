import { type Packet, PacketType } from "@wireline/sdk/protocol";
import type { Namespace } from "./namespace.ts";
import type { ServerSocket } from "./server-socket.ts";

/** Targets a set of sockets of one namespace: `io.to(room).except(other).emit(...)`. */
export class BroadcastOperator {
  constructor(
    private readonly nsp: Namespace,
    private readonly rooms: ReadonlySet<string> = new Set(),
    private readonly excepted: ReadonlySet<string> = new Set(),
    private readonly flags: { volatile?: boolean; compress?: boolean } = {},
  ) {}

  /** Adds rooms to target. */
  to(room: string | string[]): BroadcastOperator {
    const rooms = new Set(this.rooms);
    for (const name of Array.isArray(room) ? room : [room]) rooms.add(name);
    return new BroadcastOperator(this.nsp, rooms, this.excepted, this.flags);
  }

  /** Alias of {@link BroadcastOperator.to}. */
  in(room: string | string[]): BroadcastOperator {
    return this.to(room);
  }

  /** Leaves out the sockets in these rooms (or with these ids). */
  except(room: string | string[]): BroadcastOperator {
    const excepted = new Set(this.excepted);
    for (const name of Array.isArray(room) ? room : [room]) excepted.add(name);
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

  /** The targeted sockets. */
  sockets(): ServerSocket[] {
    const targets = new Set<ServerSocket>();
    const candidates =
      this.rooms.size === 0
        ? [...this.nsp.sockets.values()]
        : [...this.rooms].flatMap((room) => [...(this.nsp.rooms.get(room) ?? [])]);
    const excluded = new Set<ServerSocket>();
    for (const room of this.excepted) {
      for (const socket of this.nsp.rooms.get(room) ?? []) excluded.add(socket);
    }
    for (const socket of candidates) if (!excluded.has(socket)) targets.add(socket);
    return [...targets];
  }

  /** Sends an event to every targeted socket (acknowledgements are not supported in broadcasts). */
  emit(event: string, ...args: unknown[]): boolean {
    if (typeof args[args.length - 1] === "function") {
      throw new Error(
        "Wireline mock server: broadcasts with an acknowledgement are not supported yet.",
      );
    }
    const packet: Packet = { type: PacketType.EVENT, nsp: this.nsp.name, data: [event, ...args] };
    const recovery = this.nsp.server.recovery;
    if (recovery && !this.flags.volatile) {
      const data = packet.data as unknown[];
      data.push(recovery.record(this.nsp.name, [...this.rooms], [...this.excepted], data));
    }
    for (const socket of this.sockets())
      this.nsp.server.sendPacket(socket.conn, packet, this.flags);
    return true;
  }

  /** The targeted sockets, as a promise like socket.io's `fetchSockets()`. */
  async fetchSockets(): Promise<ServerSocket[]> {
    return this.sockets();
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
