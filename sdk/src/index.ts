// `@wireline/sdk`: the whole client, with both transports (WebSocket, then HTTP long-polling).
export * from "./api.ts";
export { polling } from "./engine/polling.ts";
export { io, io as connect, io as default, Manager } from "./io-default.ts";
