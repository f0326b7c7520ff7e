/**
 * The sockets a broadcast reaches, by id: every socket when no room is named, else the members
 * of the named rooms, less the members of the excepted rooms (a socket's id is a room too).
 * Each once.
 */
export function selectTargets(
  all: Iterable<string>,
  rooms: ReadonlyMap<string, ReadonlySet<string>>,
  targetRooms: ReadonlySet<string>,
  exceptedRooms: ReadonlySet<string>,
): string[] {
  const candidates =
    targetRooms.size === 0
      ? [...all]
      : [...targetRooms].flatMap((room) => [...(rooms.get(room) ?? [])]);
  const excluded = new Set<string>();
  for (const room of exceptedRooms) {
    for (const member of rooms.get(room) ?? []) excluded.add(member);
  }
  return [...new Set(candidates)].filter((member) => !excluded.has(member));
}
