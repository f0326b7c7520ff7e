import { useSocket, useSocketValue } from "@wireline/react";
import type { DemoServerEvents } from "./demo-events.ts";

/** A second namespace over the same connection: joined while shown, left once hidden. */
export function CustomPanel() {
  const custom = useSocket<DemoServerEvents>("/custom");
  // The server greets each socket as it joins; a socket still joined from before is joined too.
  const greeting = useSocketValue(custom, "auth", null);
  const joined = greeting !== null || custom.connected;
  return <p id="custom-panel">{joined ? "joined /custom" : "joining /custom…"}</p>;
}
