import { useEmitWithAck, useSocket, useSocketEvent } from "@wireline/vue";
import { shallowRef } from "vue";
import type { DemoClientEvents, DemoServerEvents } from "./demo-events.ts";

/**
 * The chat: lines every page sent (newest first), and `send`, which posts a line to all
 * pages and asks the server to acknowledge it.
 */
export function useChat() {
  const socket = useSocket<DemoServerEvents, DemoClientEvents>();
  const lines = shallowRef<string[]>([]);
  useSocketEvent(socket, "chat", (text) => {
    lines.value = [text, ...lines.value];
  });
  const receipt = useEmitWithAck(socket, "message-with-ack", { timeout: 5000 });

  function send(text: string): boolean {
    const line = text.trim();
    if (!line) return false;
    socket.emit("chat", line);
    void receipt.emit(line);
    return true;
  }

  return { lines, send, receipt };
}
