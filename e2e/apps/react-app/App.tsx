import { SocketProvider } from "@wireline/react";
import { useState } from "react";
import { ChatPanel } from "./ChatPanel.tsx";
import { CustomPanel } from "./CustomPanel.tsx";
import { StatusLine } from "./StatusLine.tsx";

/** The page: status, chat and a second namespace, each panel mountable on its own. */
export function App(props: { server: string }) {
  const [chatShown, setChatShown] = useState(true);
  const [customShown, setCustomShown] = useState(true);
  return (
    <SocketProvider url={props.server}>
      <main>
        <h1>React chat</h1>
        <StatusLine />
        {chatShown && <ChatPanel />}
        {customShown && <CustomPanel />}
        <p>
          <button type="button" onClick={() => setCustomShown((shown) => !shown)}>
            {customShown ? "Hide the /custom panel" : "Show the /custom panel"}
          </button>{" "}
          <button type="button" onClick={() => setChatShown((shown) => !shown)}>
            {chatShown ? "Hide the chat" : "Show the chat"}
          </button>
        </p>
        <p className="hint">
          The connection opens with the first panel that uses it and closes 100 ms after the last
          one is hidden. <a href="../">All demos</a>
        </p>
      </main>
    </SocketProvider>
  );
}
