export type { ConnectionStateRecoveryOptions } from "../server-core/connection-recovery.ts";
export type { NamespaceMatcher } from "../server-core/namespace-matcher.ts";
export type { BroadcastOperator } from "./broadcast-operator.ts";
export type {
  ClientConnection,
  ClientConnectionEvents,
  ConnectionTransport,
} from "./client-connection.ts";
export type { MockClient } from "./mock-client.ts";
export type {
  EngineConnectionError,
  EngineRequest,
  MockEngine,
  MockEngineEvents,
} from "./mock-engine.ts";
export {
  MockSocketServer,
  mockSocketServer,
  type WaitForConnectionOptions,
} from "./mock-socket-server.ts";
export type {
  MiddlewareError,
  MockMiddleware,
  MockNamespace,
  MockNamespaceEvents,
  MockNamespaceListeners,
} from "./namespace.ts";
export type { AllowRequest, MockSocketServerOptions } from "./options.ts";
export type { ReceivedEvent } from "./received-events.ts";
export type { MockSocketHandlers } from "./request-handlers.ts";
export type {
  MockHandshake,
  MockServerSocket,
  MockServerSocketReservedEvents,
} from "./server-socket.ts";
