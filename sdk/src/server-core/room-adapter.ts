import { Emitter } from "../emitter.ts";

/** What a room registry announces, as socket.io's in-memory adapter does. */
export interface RoomAdapterEvents {
  "create-room": (room: string) => void;
  "join-room": (room: string, id: string) => void;
  "leave-room": (room: string, id: string) => void;
  "delete-room": (room: string) => void;
}

/**
 * The rooms of one namespace, as socket.io's in-memory adapter keeps them: `rooms` (room →
 * socket ids; each socket's own id is a room too) and `sids` (socket id → its rooms), live, and
 * the events scripts listen to: `create-room` (room), `join-room` (room, id), `leave-room`
 * (room, id), `delete-room` (room).
 *
 * @example
 * io.of("/").adapter.on("join-room", (room, id) => console.log(`${id} joined ${room}`));
 * const players = io.of("/").adapter.rooms.get("game")?.size ?? 0;
 */
export class RoomAdapter extends Emitter<RoomAdapterEvents> {
  readonly rooms = new Map<string, Set<string>>();
  readonly sids = new Map<string, Set<string>>();

  /** Puts socket `id` in each of `rooms`, creating those that do not exist. */
  addAll(id: string, rooms: Iterable<string>): void {
    let joined = this.sids.get(id);
    if (!joined) {
      joined = new Set();
      this.sids.set(id, joined);
    }
    for (const room of rooms) {
      joined.add(room);
      let members = this.rooms.get(room);
      if (!members) {
        members = new Set();
        this.rooms.set(room, members);
        this.emitEvent("create-room", room);
      }
      if (members.has(id)) continue;
      members.add(id);
      this.emitEvent("join-room", room, id);
    }
  }

  /** Takes socket `id` out of `room`; an emptied room ceases to exist. */
  del(id: string, room: string): void {
    this.sids.get(id)?.delete(room);
    this.#leave(room, id);
  }

  /** Takes socket `id` out of every room it is in. */
  delAll(id: string): void {
    const joined = this.sids.get(id);
    if (!joined) return;
    for (const room of joined) this.#leave(room, id);
    this.sids.delete(id);
  }

  #leave(room: string, id: string): void {
    const members = this.rooms.get(room);
    if (!members?.delete(id)) return;
    this.emitEvent("leave-room", room, id);
    if (members.size > 0) return;
    this.rooms.delete(room);
    this.emitEvent("delete-room", room);
  }
}
