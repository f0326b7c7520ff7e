import { expect, test } from "@playwright/test";
import { type RunningServer, SERVER_KINDS, startServer } from "./servers.ts";

for (const kind of SERVER_KINDS) {
  test.describe(`first connection in Chromium against ${kind}`, () => {
    let server: RunningServer;

    test.beforeEach(async () => {
      server = await startServer(kind, (io) => {
        io.on("connection", (socket) => {
          socket.emit("welcome", { id: socket.id, auth: socket.handshake.auth });
          socket.on("message-with-ack", (text: string, ack: (reply: string) => void) => {
            ack(`server got: ${text}`);
          });
        });
      });
    });

    test.afterEach(async () => {
      await server.close();
    });

    test("connects over WebSocket, gets an ack with the server's reply and a server-pushed event", async ({
      page,
    }) => {
      await page.goto("/fixtures/sdk.html");
      await expect(page.locator("#ready")).toHaveText("ready");

      const result = await page.evaluate(async (url) => {
        const socket = window.wireline.io(url, {
          transports: ["websocket"],
          auth: { user: "ada" },
        });
        const welcome = new Promise<{ id: string; auth: unknown }>((resolve) =>
          socket.on("welcome", resolve),
        );
        await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
        const reply = await new Promise<string>((resolve) =>
          socket.emit("message-with-ack", "hello", resolve),
        );
        const pushed = await welcome;
        const summary = { connected: socket.connected, id: socket.id, reply, pushed };
        socket.disconnect();
        return { ...summary, connectedAfterDisconnect: socket.connected };
      }, server.url);

      // Must: the ack carries the server's reply, and the server-pushed event arrived.
      expect(result.connected).toBe(true);
      expect(result.reply).toBe("server got: hello");
      expect(result.pushed.id).toBe(result.id);
      expect(result.pushed.auth).toEqual({ user: "ada" });
      expect(result.connectedAfterDisconnect).toBe(false);
    });
  });
}
