import type { DefaultEventsMap, EventsMap, Socket } from "@wireline/sdk";
import { useEffect, useInsertionEffect, useLayoutEffect, useRef } from "react";
import { isServer } from "./environment.ts";
import { EventJournal, type JournalCursor } from "./event-journal.ts";
import type { ListenEventName, ListenerOf } from "./event-types.ts";
import { assertEventName, refuse } from "./input-checks.ts";
import { useSocketOf } from "./use-socket.ts";

/**
 * Calls `handler` for every `event` the socket receives while the component is mounted. It
 * subscribes once per socket and event (not per render) and always calls the latest `handler`.
 * Events that arrive after the component rendered but before its effect subscribed are not
 * lost: they are delivered first, in the order they arrived, across all the hooks of a commit
 * (within 1 s; see `EVENT_REPLAY_WINDOW`). So are the events between StrictMode's, a hot
 * reload's or a hidden `<Activity>`'s unmount and remount; after a longer absence, at most those
 * of the last second, and only those that came within a second of the unmount if no other
 * mounted hook listens to the same event name. Each event reaches the handler once.
 * What the handler throws is reported as an uncaught error, as the SDK reports a listener's,
 * and delivery goes on. A handler that is no function, or an event name that is no string,
 * throws a TypeError while rendering (an error boundary catches it).
 *
 * @param socketOrNamespace A socket (e.g. from `useSocket`), whose event maps type `handler`; or
 *   a namespace of the provider's connection, held as by `useSocket(namespace)`. Default "/".
 * @example
 * const socket = useSocket<ServerEvents, ClientEvents>();
 * useSocketEvent(socket, "message", (text) => setLines((lines) => [...lines, text]));
 */
export function useSocketEvent<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  Event extends ListenEventName<ListenEvents>,
>(
  socket: Socket<ListenEvents, EmitEvents>,
  event: Event,
  handler: ListenerOf<ListenEvents, Event>,
): void;
export function useSocketEvent(
  namespace: string | undefined,
  event: string,
  handler: ListenerOf<DefaultEventsMap, string>,
): void;
export function useSocketEvent(
  socketOrNamespace: Socket | string | undefined,
  event: string,
  handler: (...args: never[]) => void,
): void {
  // Else it would listen to an event named "undefined", which never comes.
  assertEventName("useSocketEvent", event);
  // Here, once: stored, it would throw "is not a function" at every event.
  if (typeof handler !== "function") {
    refuse("useSocketEvent's handler must be a function", typeof handler);
  }
  useEventSubscription(socketOrNamespace, event, handler);
}

/** A layout effect, but an effect on the server, where React 18 warns about layout effects. */
function useCommitEffect(effect: () => (() => void) | undefined): void {
  (isServer() ? useEffect : useLayoutEffect)(effect);
}

/** {@link useSocketEvent} without its typed signatures, for the hooks built on it. */
export function useEventSubscription(
  socketOrNamespace: Socket | string | undefined,
  event: string,
  handler: (...args: never[]) => void,
): void {
  const socket = useSocketOf(socketOrNamespace);
  const latest = useRef(handler);
  // Before any effect of this commit runs, so the subscription below sees this render's handler.
  useInsertionEffect(() => {
    latest.current = handler;
  });

  const cursor = useRef<JournalCursor | undefined>(undefined);
  if (!isServer()) {
    const journal = EventJournal.touch(socket);
    const noted = cursor.current;
    // One cursor per socket and event: a re-render must not skip what the effect has not had.
    if (noted && noted.journal === journal && noted.event === event) journal.rendered(noted);
    else cursor.current = journal.open(event);
  }

  // Runs when the render committed, before any effect of the commit: from then on the other hooks
  // wait for this one to subscribe (a render that never commits holds them back only briefly).
  // Its cleanup (unmount, hidden <Activity>) lets them go on. No deps: StrictMode and <Activity>
  // run it again without a render.
  useCommitEffect(() => {
    const noted = cursor.current;
    if (!noted) return;
    noted.journal.committed(noted);
    return () => noted.journal.uncommitted(noted);
  });

  useEffect(() => {
    let noted = cursor.current;
    // Nothing to resume from (the journal went idle while the effect was off, as under a long
    // hidden <Activity>): what the component had is behind it, so it starts from now.
    if (
      !noted ||
      noted.journal.socket !== socket ||
      noted.event !== event ||
      noted.journal.disposed
    ) {
      noted = EventJournal.touch(socket).open(event);
      cursor.current = noted;
    }
    // The cursor outlives this subscription: subscribing again (StrictMode, <Activity>, Fast
    // Refresh) replays only what came after it.
    return noted.journal.subscribe(noted, (...args) =>
      (latest.current as (...a: unknown[]) => void)(...args),
    );
  }, [socket, event]);
}
