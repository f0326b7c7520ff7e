import type { DefaultEventsMap, EventsMap, Socket, SocketReservedEvents } from "@wireline/sdk";
import { type MaybeRef, unref } from "vue";
import { assertEventName, assertSocket, refuse } from "./input-checks.ts";
import { onScopeEnd, warnOutsideScope } from "./scope-end.ts";
import { useSocket } from "./use-socket.ts";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

/** The events a socket with these listen events can receive, its own included. */
export type ReceivedEvents<ListenEvents extends EventsMap> = ListenEvents & SocketReservedEvents;

/**
 * Listens to `event` on a socket (or on `useSocket(namespace)`) until the effect scope ends:
 * the listener is removed on dispose, in a component or any `effectScope()`. The handler may
 * be a ref; each event calls its current value. Returns the function that stops listening
 * early. A handler that is no function, an event name that is no string or a socket that is
 * none (null, a ref of one) throws a TypeError here, before anything is held.
 *
 * @example
 * const socket = useSocket<{ chat: (msg: { text: string }) => void }>();
 * useSocketEvent(socket, "chat", (msg) => messages.value.push(msg.text));
 */
export function useSocketEvent<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  Event extends keyof ReceivedEvents<ListenEvents> & string,
>(
  socket: Socket<ListenEvents, EmitEvents>,
  event: Event,
  handler: MaybeRef<ReceivedEvents<ListenEvents>[Event]>,
): () => void;
export function useSocketEvent<
  ListenEvents extends EventsMap = DefaultEventsMap,
  Event extends keyof ReceivedEvents<ListenEvents> & string = keyof ReceivedEvents<ListenEvents> &
    string,
>(
  namespace: string | undefined,
  event: Event,
  handler: MaybeRef<ReceivedEvents<ListenEvents>[Event]>,
): () => void;
export function useSocketEvent(
  socketOrNamespace: Socket | string | undefined,
  event: string,
  handler: MaybeRef<(...args: never[]) => void>,
): () => void {
  assertEventName("useSocketEvent", event);
  // Here, once: as a listener, it would throw "is not a function" at every event.
  if (typeof unref(handler) !== "function") {
    refuse("useSocketEvent's handler must be a function", typeof unref(handler));
  }
  if (typeof socketOrNamespace === "object") assertSocket(socketOrNamespace);
  const socket =
    typeof socketOrNamespace === "object" ? socketOrNamespace : useSocket(socketOrNamespace);
  const listener = (...args: unknown[]) => {
    (unref(handler) as (...args: unknown[]) => void)(...args);
  };
  socket.on(event, listener);
  let listening = true;
  const stop = () => {
    if (!listening) return;
    listening = false;
    socket.off(event, listener);
  };
  if (!onScopeEnd(stop)) {
    // Inline, so that production builds drop the warning; no `process` (no bundler) warns.
    try {
      if (process.env.NODE_ENV !== "production") warnListenerStays(event);
    } catch {
      warnListenerStays(event);
    }
  }
  return stop;
}

function warnListenerStays(event: string): void {
  warnOutsideScope(
    `useSocketEvent("${event}")`,
    "its listener stays until you call the function it returns",
  );
}
