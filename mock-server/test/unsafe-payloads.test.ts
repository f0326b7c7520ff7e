// Payloads the Wireline client refuses to hand its app (a `__proto__` key, nesting deeper than
// 32 levels) reach a server's handlers as socket.io's do: its parser refuses neither, and a
// reference server must not differ (it closed the connection with "parse error").
import { describe, expect, it } from "vitest";
import type { Server } from "../src/index.ts";
import { implementations, useSideBySide } from "./side-by-side.ts";

const { start, client } = useSideBySide();

/** A value nested `levels` arrays deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

/** How many arrays deep `value` nests. */
function depth(value: unknown): number {
  return Array.isArray(value) ? 1 + depth(value[0]) : 0;
}

describe.each(implementations)("%s", (_name, make) => {
  it("hands a handler a payload with a __proto__ key, and one nested 40 levels deep", async () => {
    const url = await start(make, (server: Server) => {
      server.on("connection", (socket) => {
        socket.on("keys", (payload: object, ack: (keys: string[]) => void) =>
          ack(Object.keys(payload)),
        );
        socket.on("depth", (payload: unknown, ack: (levels: number) => void) =>
          ack(depth(payload)),
        );
      });
    });
    const socket = client(url);
    const hostile = JSON.parse('{"__proto__":{"admin":true},"text":"hi"}');
    expect(await socket.emitWithAck("keys", hostile)).toEqual(["__proto__", "text"]);
    expect(await socket.emitWithAck("depth", nested(40))).toBe(40);
    expect(socket.connected).toBe(true);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });
});
