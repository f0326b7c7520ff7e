/**
 * `listeners` without the first copy of `listener`, as socket.io removes one per `offAny` call,
 * or empty when no listener is given (remove them all). A new array, so that a dispatch in
 * progress keeps calling the list it started with.
 */
export function withoutListener<L>(listeners: readonly L[], listener: L | undefined): L[] {
  if (!listener) return [];
  const index = listeners.indexOf(listener);
  return listeners.filter((_, at) => at !== index);
}
