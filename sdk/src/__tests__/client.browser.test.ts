import { describe, expect, it } from "vitest";
import { io, Manager } from "../index.ts";
import { FakeWebSocketConstructor, fakeSockets } from "./fake-websocket.ts";

describe("the client in Chromium", () => {
  it("uses the browser's own WebSocket when none is passed, and reports a refused connection", async () => {
    // Port 9 (discard) is closed: the real WebSocket fails, which must surface as connect_error.
    const socket = io("http://127.0.0.1:9", { transports: ["websocket"], reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    // socket.io-client's message and type, which apps compare.
    expect(error.message).toBe("websocket error");
    expect((error as Error & { type?: string }).type).toBe("TransportError");
    expect(socket.connected).toBe(false);
    expect(socket.io.getSnapshot().lastError).toBe(error);
    socket.disconnect();
  });

  it("connects io() without a URL to the page's own origin", () => {
    const socket = io({ WebSocket: FakeWebSocketConstructor, transports: ["websocket"] });
    const url = new URL(fakeSockets[fakeSockets.length - 1]?.url ?? "");
    expect(url.host).toBe(location.host);
    expect(url.protocol).toBe(location.protocol === "https:" ? "wss:" : "ws:");
    expect(url.pathname).toBe("/socket.io/");
    socket.disconnect();
  });

  it('takes "host:port/nsp" without a scheme with the page\'s scheme, as socket.io-client', () => {
    const socket = io("example.test:1234/chat", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
    });
    const url = new URL(fakeSockets[fakeSockets.length - 1]?.url ?? "");
    expect(url.host).toBe("example.test:1234");
    expect(url.protocol).toBe(location.protocol === "https:" ? "wss:" : "ws:");
    socket.disconnect();
  });

  it("creates a Manager without a URL for the page's own origin, as socket.io-client", () => {
    const manager = new Manager({ WebSocket: FakeWebSocketConstructor, transports: ["websocket"] });
    const url = new URL(fakeSockets[fakeSockets.length - 1]?.url ?? "");
    expect(url.host).toBe(location.host);
    manager.close();
  });

  it("exchanges events and acks over a scripted WebSocket", () => {
    const socket = io("http://example.test/chat", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      transports: ["websocket"],
    });
    const fake = fakeSockets[fakeSockets.length - 1];
    if (!fake) throw new Error("no WebSocket was created");
    fake.serverOpen();
    expect(fake.sent).toContain("40/chat,");
    fake.serverSend('40/chat,{"sid":"abc"}');
    expect(socket.id).toBe("abc");
    const replies: unknown[] = [];
    socket.emit("hello", "world", (reply: unknown) => replies.push(reply));
    expect(fake.sent.at(-1)).toBe('42/chat,0["hello","world"]');
    fake.serverSend('43/chat,0["hi"]');
    expect(replies).toEqual(["hi"]);
    socket.disconnect();
  });
});
