// What the React binding costs an app, measured by the size budget test and `npm run bench`.

/** Left out of React measurements: the app has them anyway. */
export const REACT_PEERS = ["react", "react-dom"];

/** Every export of `@wireline/react`, the binding alone (`@wireline/sdk` left out too). */
export const reactBindingEntry = `import * as binding from "@wireline/react";
console.log(binding);`;

/** A small React app: a socket, one listener, the status, one emit with an ack. */
export const reactHooksApp = `import { useConnectionState, useSocket, useSocketEvent } from "@wireline/react";
export function Chat() {
  const socket = useSocket();
  useSocketEvent(socket, "message", (text) => console.log(text));
  const status = useConnectionState((state) => state.status);
  socket.emit("hello", "world", (reply) => console.log(reply));
  return status;
}
console.log(Chat);`;
