export type { ConnectionStateRecoveryOptions } from "@wireline/sdk/server-core";
export { demoScenario } from "./demo-scenario.ts";
export type { CorsOptions, CorsOptionsDelegate } from "./engine/cors.ts";
export { EngineServer, type EngineServerOptions } from "./engine/engine-server.ts";
export type { EngineSocket, EngineSocketOptions } from "./engine/engine-socket.ts";
export { attach, listen } from "./engine/listen.ts";
export type { FaultEndpointOptions } from "./fault-endpoint-guard.ts";
export {
  STORM_FAULTS,
  type Storm,
  type StormFaultName,
  type StormOptions,
  seededRandom,
} from "./fault-storm.ts";
export { type FaultAction, type FaultName, type FaultScope, Faults } from "./faults.ts";
export { type Middleware, Namespace } from "./namespace.ts";
export { Server, type ServerOptions } from "./server.ts";
export {
  type Handshake,
  ServerSocket,
  ServerSocket as Socket,
  type SocketMiddleware,
} from "./server-socket.ts";
