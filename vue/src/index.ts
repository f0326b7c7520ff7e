// `@wireline/vue`: the Vue 3 plugin and composables of @wireline/sdk.

export {
  createWireline,
  type WirelineClient,
  type WirelineOptions,
  wirelineKey,
} from "./plugin.ts";
export { SocketDevtools } from "./socket-devtools.ts";
export {
  createSocketRegistry,
  DEFAULT_RELEASE_DELAY,
  type SocketLease,
  type SocketRegistry,
  type SocketRegistryOptions,
  sharedRegistry,
} from "./socket-registry.ts";
export { type ConnectionSource, useConnectionState } from "./use-connection-state.ts";
export {
  type AckReplyOf,
  DEFAULT_ACK_TIMEOUT,
  type EmitArgs,
  type EmitOutcome,
  type EmitStatus,
  type EmitWithAck,
  type UseEmitWithAckOptions,
  useEmitWithAck,
} from "./use-emit-with-ack.ts";
export { type UseSocketOptions, useSocket } from "./use-socket.ts";
export { type ReceivedEvents, useSocketEvent } from "./use-socket-event.ts";
export { type PayloadOf, useSocketValue } from "./use-socket-value.ts";
