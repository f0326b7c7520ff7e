export { type BackoffOptions, computeBackoffDelay } from "./backoff.ts";
export type { EventsMap } from "./emitter.ts";
export type { Handshake } from "./engine/engine.ts";
export type { TransportFactory, WebSocketConstructor } from "./engine/transport.ts";
export { websocket } from "./engine/websocket.ts";
export { type IoOptions, io, io as connect, type TransportChoice } from "./io.ts";
export {
  type ConnectionSnapshot,
  type ConnectionStatus,
  Manager,
  type ManagerEvents,
  type ManagerOptions,
} from "./manager.ts";
export { type BinaryData, type Packet, PacketType } from "./protocol/index.ts";
export {
  type ConnectError,
  type DefaultEventsMap,
  type DisconnectReason,
  Socket,
  type SocketOptions,
  type SocketReservedEvents,
} from "./socket.ts";
