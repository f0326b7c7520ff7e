// `@wireline/sdk/server-core`: the server-side logic that @wireline/mock-server (Node) and
// @wireline/sdk/testing (MSW, browsers too) share: rooms, middlewares, acknowledgements.
// Building blocks of those servers, not an API for apps.
export { AwaitedAcks, ackReplier, type ServerAck } from "./awaited-acks.ts";
export { collectBroadcastAcks } from "./broadcast-acks.ts";
export { type Middleware, type MiddlewareError, runMiddlewares } from "./middleware-chain.ts";
export { type HandshakeAnnouncement, openPacket } from "./open-packet.ts";
export { joinRoom, leaveRoom, type RoomMembers, selectTargets } from "./rooms.ts";
