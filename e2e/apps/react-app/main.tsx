// The React demo: one shared connection from <SocketProvider>, under StrictMode on purpose.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";

const params = new URLSearchParams(location.search);
const server = params.get("server") ?? `${location.protocol}//${location.hostname}:3000`;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App server={server} />
  </StrictMode>,
);
