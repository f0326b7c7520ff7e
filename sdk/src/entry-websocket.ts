// `@wireline/sdk/websocket`: the same API as the main entry, with an `io()` that carries only
// the WebSocket transport, for apps that never need HTTP long-polling.
export * from "./api.ts";
// socket.io-client's WebSocket transport classes, for `io(url, { transports: [WebSocket] })`.
export { websocket as NodeWebSocket, websocket as WebSocket } from "./engine/websocket.ts";
export { io, io as connect, io as default, Manager } from "./io-websocket.ts";
