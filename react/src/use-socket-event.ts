import type { DefaultEventsMap, EventsMap, Socket } from "@wireline/sdk";
import { useEffect, useInsertionEffect, useRef } from "react";
import { isServer } from "./environment.ts";
import { EventJournal } from "./event-journal.ts";
import type { ListenEventName, ListenerOf } from "./event-types.ts";
import { useSocketOf } from "./use-socket.ts";

/** Where a component stood in its socket's journal when it rendered. */
interface JournalMark {
  socket: Socket;
  event: string;
  journal: EventJournal;
  seq: number;
}

/**
 * Calls `handler` for every `event` the socket receives while the component is mounted. It
 * subscribes once per socket and event (not per render) and always calls the latest `handler`.
 * Events that arrive after the component rendered but before its effect subscribed are not
 * lost: they are delivered first, in order (within 1 s; see `EVENT_REPLAY_WINDOW`). So are the
 * events between StrictMode's or a hot reload's unmount and remount. Each event reaches the
 * handler once.
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
  useEventSubscription(socketOrNamespace, event, handler);
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

  const mark = useRef<JournalMark | undefined>(undefined);
  if (!isServer()) {
    const journal = EventJournal.touch(socket);
    const noted = mark.current;
    // Noted once per socket and event: a re-render must not skip what the effect has not seen.
    if (!noted || noted.socket !== socket || noted.event !== event || noted.journal !== journal) {
      mark.current = { socket, event, journal, seq: journal.seq };
    }
  }

  useEffect(() => {
    const listener = (...args: unknown[]) => (latest.current as (...a: unknown[]) => void)(...args);
    const noted = mark.current;
    const replay =
      noted && noted.socket === socket && noted.event === event && !noted.journal.disposed;
    if (replay) for (const args of noted.journal.since(noted.seq, event)) listener(...args);
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
      // Everything until now was delivered: subscribing again replays only newer events.
      if (replay) noted.seq = noted.journal.seq;
    };
  }, [socket, event]);
}
