import { useEmitWithAck, useSocket, useSocketEvent } from "@wireline/react";
import { type FormEvent, useRef, useState } from "react";
import type { DemoClientEvents, DemoServerEvents } from "./demo-events.ts";

/** Chat lines relayed by the server to every page, and a receipt for each line sent. */
export function ChatPanel() {
  const socket = useSocket<DemoServerEvents, DemoClientEvents>();
  const [lines, setLines] = useState<Array<{ id: number; text: string }>>([]);
  const nextId = useRef(0);
  const [draft, setDraft] = useState("");
  useSocketEvent(socket, "chat", (text) => {
    const line = { id: nextId.current++, text };
    setLines((previous) => [line, ...previous].slice(0, 50));
  });
  const receipt = useEmitWithAck(socket, "message-with-ack", { timeout: 5000 });

  function send(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft("");
    socket.emit("chat", text);
    void receipt.emit(text);
  }

  return (
    <section id="chat">
      <form onSubmit={send}>
        <input
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoComplete="off"
          placeholder="Type a message"
          aria-label="Message"
        />
        <button type="submit">Send</button>
      </form>
      <p id="receipt" className="hint">
        {receipt.status === "pending" && "sending…"}
        {receipt.status === "success" && `ack: ${receipt.data}`}
        {receipt.status === "error" && `no ack: ${receipt.error?.message}`}
      </p>
      {/* React renders payloads as text, never as HTML. */}
      <ol id="log" aria-live="polite">
        {lines.map((line) => (
          <li key={line.id}>{line.text}</li>
        ))}
      </ol>
    </section>
  );
}
