import type { RoomAdapter } from "./room-adapter.ts";
import { roomNames } from "./room-names.ts";

/**
 * The rooms one server socket is in, kept by its namespace's {@link RoomAdapter}, until the socket
 * leaves for good (disconnected, refused by a middleware, or its client gone while it waited):
 * from then on a join does nothing, as in socket.io, so a late `socket.join()` in an app's
 * listener cannot leave a dead socket in a room.
 */
export class SocketRooms {
  #left = false;

  constructor(
    private readonly adapter: RoomAdapter,
    private readonly id: string,
  ) {}

  /** The rooms (live), the socket's own id among them once it is connected. */
  get current(): Set<string> {
    return this.adapter.sids.get(this.id) ?? new Set();
  }

  /** Joins one or more rooms, unless the socket left for good. Throws for what is no room. */
  join(rooms: string | string[]): void {
    const names = roomNames(rooms);
    if (!this.#left) this.adapter.addAll(this.id, names);
  }

  /** Leaves one room. Throws for what is no room. */
  leave(room: string): void {
    for (const name of roomNames(room)) this.adapter.del(this.id, name);
  }

  /** Leaves every room; later joins do nothing. */
  leaveForGood(): void {
    this.#left = true;
    this.adapter.delAll(this.id);
  }
}
