// `@wireline/sdk/server-core`: the server-side logic that @wireline/mock-server (Node) and
// @wireline/sdk/testing (MSW, browsers too) share: rooms (socket.io's adapter), middlewares, acknowledgements,
// catch-all listeners, dynamic namespaces, connection state recovery.
// Building blocks of those servers, not an API for apps.
export { callListener, reportUncaught } from "../call-listener.ts";
export { checkEventName } from "../protocol/reserved-event-names.ts";
export { MAX_TIMER_DELAY } from "../timer-delay.ts";
export { ackReplier } from "./ack-replier.ts";
export { checkAckTimeout } from "./ack-timeout.ts";
export { AwaitedAcks, type ServerAck } from "./awaited-acks.ts";
export { collectBroadcastAcks } from "./broadcast-acks.ts";
export {
  type CatchAllListener,
  CatchAllListeners,
  SocketCatchAll,
} from "./catch-all-listeners.ts";
export {
  ConnectionRecovery,
  type ConnectionStateRecoveryOptions,
  RECOVERABLE_DISCONNECT_REASONS,
  type RecoverableSocket,
  type SavedSession,
} from "./connection-recovery.ts";
export {
  adoptChild,
  broadcastThroughChildren,
  type DynamicNamespace,
  DynamicNamespaces,
  type NamespaceRegistry,
} from "./dynamic-namespaces.ts";
export { ENGINE_ERRORS, type EngineError } from "./engine-errors.ts";
export {
  connectErrorData,
  type Middleware,
  type MiddlewareError,
  runMiddlewares,
} from "./middleware-chain.ts";
export { type NamespaceMatcher, namespaceAllowed } from "./namespace-matcher.ts";
export { type HandshakeAnnouncement, openPacket } from "./open-packet.ts";
export {
  type PacketMiddleware,
  type PacketMiddlewareOutcome,
  runPacketMiddlewares,
} from "./packet-middlewares.ts";
export { RoomAdapter, type RoomAdapterEvents } from "./room-adapter.ts";
export { roomNames } from "./room-names.ts";
export { selectTargets } from "./rooms.ts";
export { type ServerEvent, serverEvent } from "./server-event.ts";
export { type ErrorReportingSocket, reportSocketError } from "./socket-error.ts";
export { SocketRooms } from "./socket-rooms.ts";
