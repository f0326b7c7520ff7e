/**
 * Takes the first copy of `listener` out of `listeners`, as socket.io removes one per `offAny`
 * call, or every listener when none is given. In place: dispatches iterate over a copy, so one
 * in progress still calls the list it started with.
 */
export function removeListener<L>(listeners: L[], listener: L | undefined): void {
  if (!listener) listeners.length = 0;
  else if (listeners.includes(listener)) listeners.splice(listeners.indexOf(listener), 1);
}
