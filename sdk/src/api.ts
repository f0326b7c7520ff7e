// What every entry point of @wireline/sdk exports; each adds its own `io` and `Manager`.
export { AckTimeoutError } from "./ack-timeout-error.ts";
export { type BackoffOptions, computeBackoffDelay } from "./backoff.ts";
export { callListener } from "./call-listener.ts";
export { IDLE_SNAPSHOT } from "./connection-snapshot.ts";
export type { EventsMap } from "./emitter.ts";
export type { Engine, EngineEvents, Handshake, TransportOverrides } from "./engine/engine.ts";
export type {
  NodeWebSocketOptions,
  TransportChoice,
  TransportFactory,
  WebSocketConstructor,
} from "./engine/transport.ts";
export { websocket } from "./engine/websocket.ts";
export {
  createIo,
  type IoFunction,
  type IoOptions,
} from "./io.ts";
export {
  browserLifecycle,
  defaultLifecycle,
  type Lifecycle,
  type LifecycleDetail,
  type LifecycleSignal,
  noopLifecycle,
} from "./lifecycle.ts";
export { createFakeLifecycle, type FakeLifecycle } from "./lifecycle-fake.ts";
export {
  type ConnectionSnapshot,
  type ConnectionStatus,
  Manager as BaseManager,
  type ManagerEvents,
  type ManagerOptions,
  type ManagerReservedEvents,
} from "./manager.ts";
export {
  defineOutboxStorage,
  type EnqueueResult,
  estimateBytes,
  type IndexedDbStorage,
  type IndexedDbStorageOptions,
  indexedDbStorage,
  memoryStorage,
  Outbox,
  type OutboxEntry,
  OutboxError,
  type OutboxErrorCode,
  type OutboxEvents,
  type OutboxOptions,
  type OutboxStorage,
  type OutboxStorageMethods,
  type OverflowPolicy,
  type StoredOutboxEntry,
} from "./outbox/index.ts";
export { type BinaryData, type Packet, PacketType, protocol } from "./protocol/index.ts";
export type { Parser } from "./protocol/parser.ts";
export { shallowEqual } from "./shallow-equal.ts";
export {
  type ConnectError,
  type DefaultEventsMap,
  type DisconnectDescription,
  type DisconnectReason,
  type ExtendedError,
  Socket,
  type SocketOptions,
  type SocketReservedEvents,
} from "./socket.ts";
export type { AckReply, AllButLast, EventParams, Last, WithoutAck } from "./types.ts";
