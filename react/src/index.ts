// `@wireline/react`: a provider and hooks over @wireline/sdk, safe under StrictMode and SSR.

export { IDLE_SNAPSHOT, shallowEqual } from "@wireline/sdk";
export type { UseSocketOptions } from "./connection-target.ts";
export { EVENT_REPLAY_WINDOW } from "./event-journal.ts";
export type {
  AckDataOf,
  ArgsBeforeAck,
  ListenEventName,
  ListenerOf,
  PayloadOf,
} from "./event-types.ts";
export type { ConnectionOptions } from "./shared-connections.ts";
export { DEFAULT_RELEASE_DELAY } from "./socket-context.ts";
export { SocketDevtools, type SocketDevtoolsProps } from "./socket-devtools.tsx";
export { SocketProvider, type SocketProviderProps } from "./socket-provider.tsx";
export { useConnectionState } from "./use-connection-state.ts";
export {
  type EmitOutcome,
  type EmitStatus,
  type EmitWithAck,
  type UseEmitWithAckOptions,
  useEmitWithAck,
} from "./use-emit-with-ack.ts";
export { useSocket } from "./use-socket.ts";
export { useSocketEvent } from "./use-socket-event.ts";
export { useSocketValue } from "./use-socket-value.ts";
