// maxPayload is announced in the handshake and enforced on both transports, as engine.io does.
import { io } from "@wireline/sdk";
import { setupServer } from "msw/node";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { mockSocketServer } from "../index.ts";

if (!("WebSocket" in globalThis)) {
  Object.defineProperty(globalThis, "WebSocket", {
    value: NodeWebSocket,
    configurable: true,
    writable: true,
  });
}

const server = mockSocketServer("http://limits.test", { maxPayload: 200 });
const msw = setupServer(...server.handlers);
msw.listen({ onUnhandledRequest: "bypass" });
afterAll(() => msw.close());

// What engine.io describes the "transport error" with: `ws`'s error over a WebSocket; over
// polling, the poll a client abandons after its POST got 413.
describe.each([
  ["websocket", "RangeError: Max payload size exceeded"],
  ["polling", "poll connection closed prematurely"],
])("over %s", (transport, description) => {
  const opened: Array<{ disconnect(): unknown }> = [];
  afterEach(() => {
    for (const socket of opened.splice(0)) socket.disconnect();
    server.reset();
  });

  /** A client over this transport, and its server side once connected. */
  async function connectClient() {
    const client = io("http://limits.test", {
      forceNew: true,
      reconnection: false,
      transports: [transport as "websocket"],
    });
    opened.push(client);
    return { client, socket: await server.waitForConnection() };
  }

  it("closes a connection whose client sends more than maxPayload bytes", async () => {
    const { client, socket } = await connectClient();
    const serverSide = new Promise<unknown[]>((resolve) =>
      socket.on("disconnect", (...args: unknown[]) => resolve(args)),
    );
    const clientSide = new Promise<string>((resolve) => client.on("disconnect", resolve));

    client.emit("small", "x".repeat(100));
    await server.expectEmitted("small", "x".repeat(100));
    // The SDK refuses to send it, so write the frame past that check, as another client would.
    expect(() => client.emit("large", "x".repeat(500))).toThrow(RangeError);
    client.io.sendFrames([`2["large","${"x".repeat(500)}"]`]);

    const [reason, error] = await serverSide;
    expect(reason).toBe("transport error");
    expect(error).toMatchObject({ message: description, type: "TransportError" });
    expect(await clientSide).toMatch(/^transport (close|error)$/);
    expect(server.received.map((entry) => entry.event)).toEqual(["small"]);
  });

  it("counts UTF-8 bytes, as engine.io: 150 characters of 2 bytes each exceed 200", async () => {
    const { client, socket } = await connectClient();
    const serverSide = new Promise<string>((resolve) => socket.on("disconnect", resolve));

    // Past the SDK's own check, as socket.io-client (which has none over WebSocket) would send it.
    client.io.sendFrames([`2["accents","${"é".repeat(150)}"]`]);

    expect(await serverSide).toBe("transport error");
    expect(server.received).toEqual([]);
  });
});
