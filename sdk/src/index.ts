// `@wireline/sdk`: the whole client, with both transports (WebSocket, then HTTP long-polling).
export * from "./api.ts";
// socket.io-client's transport classes, for `io(url, { transports: [WebSocket, Fetch] })`: here
// the two transports this SDK has. (No WebTransport: not implemented.)
export { polling, polling as Fetch, polling as NodeXHR, polling as XHR } from "./engine/polling.ts";
export { websocket as NodeWebSocket, websocket as WebSocket } from "./engine/websocket.ts";
export { io, io as connect, io as default, Manager } from "./io-default.ts";
