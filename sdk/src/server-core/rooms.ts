/** Room members by room name, as a namespace keeps them. */
export type RoomMembers<S> = Map<string, Set<S>>;

/** Puts `member` in `room`, creating the room. */
export function joinRoom<S>(rooms: RoomMembers<S>, room: string, member: S): void {
  let members = rooms.get(room);
  if (!members) {
    members = new Set();
    rooms.set(room, members);
  }
  members.add(member);
}

/** Takes `member` out of `room`; an empty room ceases to exist, as in socket.io's adapter. */
export function leaveRoom<S>(rooms: RoomMembers<S>, room: string, member: S): void {
  const members = rooms.get(room);
  if (!members) return;
  members.delete(member);
  if (members.size === 0) rooms.delete(room);
}

/**
 * The sockets a broadcast reaches: every socket when no room is named, else the members of the
 * named rooms, less the members of the excepted rooms (a socket's id is a room too). Each once.
 */
export function selectTargets<S>(
  all: Iterable<S>,
  rooms: RoomMembers<S>,
  targetRooms: ReadonlySet<string>,
  exceptedRooms: ReadonlySet<string>,
): S[] {
  const candidates =
    targetRooms.size === 0
      ? [...all]
      : [...targetRooms].flatMap((room) => [...(rooms.get(room) ?? [])]);
  const excluded = new Set<S>();
  for (const room of exceptedRooms) {
    for (const member of rooms.get(room) ?? []) excluded.add(member);
  }
  return [...new Set(candidates)].filter((member) => !excluded.has(member));
}
