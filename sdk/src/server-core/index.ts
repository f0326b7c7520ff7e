// `@wireline/sdk/server-core`: the server-side logic that @wireline/mock-server (Node) and
// @wireline/sdk/testing (MSW, browsers too) share: rooms (socket.io's adapter), middlewares, acknowledgements,
// catch-all listeners.
// Building blocks of those servers, not an API for apps.
export { ackReplier } from "./ack-replier.ts";
export { AwaitedAcks, type ServerAck } from "./awaited-acks.ts";
export { collectBroadcastAcks } from "./broadcast-acks.ts";
export { type CatchAllListener, CatchAllListeners } from "./catch-all-listeners.ts";
export { type Middleware, type MiddlewareError, runMiddlewares } from "./middleware-chain.ts";
export { type NamespaceMatcher, namespaceAllowed } from "./namespace-matcher.ts";
export { type HandshakeAnnouncement, openPacket } from "./open-packet.ts";
export {
  type PacketMiddleware,
  type PacketMiddlewareOutcome,
  runPacketMiddlewares,
} from "./packet-middlewares.ts";
export { RoomAdapter, type RoomAdapterEvents } from "./room-adapter.ts";
export { selectTargets } from "./rooms.ts";
