// What @mswjs/socket.io-binding (0.2.0) cannot mock, case by case, next to this kit doing it.
// Each binding case asserts the concrete failure, so this file notices when the binding changes.
import { toSocketIo } from "@mswjs/socket.io-binding";
import { io } from "@wireline/sdk";
import { type WebSocketHandlerConnection, ws } from "msw";
import { setupWorker } from "msw/browser";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { mockSocketServer } from "../index.ts";
import type { ClientSocket, Connect } from "./client-kinds.ts";

const OURS = "http://ours.test";
const BINDING = "http://binding.test";
const PINGS = { pingInterval: 200, pingTimeout: 300 };
/** How long a "never arrives" case waits: several times what the mocked round trip takes. */
const NEVER = 600;

const ours = mockSocketServer(OURS, PINGS);

type BindingScript = (
  io: ReturnType<typeof toSocketIo>,
  connection: WebSocketHandlerConnection,
) => void;
let bindingScript: BindingScript = () => {};
const bindingLink = ws.link("ws://binding.test/");
const bindingHandler = bindingLink.addEventListener("connection", (connection) => {
  bindingScript(toSocketIo(connection), connection);
});

const worker = setupWorker(...ours.handlers, bindingHandler);
const { io: socketIoClient } = await worker
  .start({ quiet: true, onUnhandledRequest: "bypass" })
  .then(() => import("socket.io-client"));
afterAll(() => worker.stop());

function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T | "nothing"> {
  return Promise.race([promise, new Promise<"nothing">((r) => setTimeout(r, ms, "nothing"))]);
}

function nextEvent<T extends unknown[]>(socket: ClientSocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.on(event, (...args: unknown[]) => resolve(args as T)));
}

describe.each([
  { name: "socket.io-client", connect: socketIoClient as unknown as Connect },
  { name: "@wireline/sdk", connect: io as unknown as Connect },
])("with $name", ({ connect }) => {
  const opened: ClientSocket[] = [];
  const open = (url: string, options: Record<string, unknown> = {}) => {
    const socket = connect(url, {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
      ...options,
    });
    opened.push(socket);
    return socket;
  };

  afterEach(() => {
    for (const socket of opened.splice(0)) socket.disconnect();
    ours.reset();
    bindingScript = () => {};
  });

  it("namespaces: the binding only ever accepts '/', so a /chat client never connects", async () => {
    const viaBinding = open(`${BINDING}/chat`);
    expect(await settlesWithin(nextEvent(viaBinding, "connect"), NEVER)).toBe("nothing");
    expect(viaBinding.connected).toBe(false);

    ours.of("/chat");
    const viaOurs = open(`${OURS}/chat`);
    await nextEvent(viaOurs, "connect");
    expect((await ours.waitForConnection({ nsp: "/chat" })).nsp.name).toBe("/chat");
  });

  it("acks: the binding hands the handler no callback, so emitWithAck times out", async () => {
    const seen: unknown[][] = [];
    bindingScript = (socketIo) => socketIo.client.on("add", (_event, ...args) => seen.push(args));
    const viaBinding = open(BINDING);
    await nextEvent(viaBinding, "connect");
    await expect(viaBinding.timeout(NEVER).emitWithAck("add", 2, 3)).rejects.toThrow(
      "operation has timed out",
    );
    // The event itself arrived, without any function to answer it with.
    expect(seen).toEqual([[2, 3]]);

    ours.on("connection", (socket) =>
      socket.on("add", (a: number, b: number, ack: (sum: number) => void) => ack(a + b)),
    );
    const viaOurs = open(OURS);
    await nextEvent(viaOurs, "connect");
    expect(await viaOurs.timeout(2000).emitWithAck("add", 2, 3)).toBe(5);
  });

  it("binary: the binding's binary emit is no Socket.IO packet, so the client drops it", async () => {
    bindingScript = (socketIo) => {
      socketIo.client.on("ready", () => socketIo.client.emit("file", new Uint8Array([1, 2, 3])));
    };
    const viaBinding = open(BINDING);
    await nextEvent(viaBinding, "connect");
    const closed = nextEvent<[string]>(viaBinding, "disconnect");
    const file = nextEvent(viaBinding, "file");
    viaBinding.emit("ready");
    // It packs header and attachment into one frame, which no decoder accepts: "parse error".
    expect((await closed)[0]).toBe("parse error");
    expect(await settlesWithin(file, 50)).toBe("nothing");

    ours.on("connection", (socket) => {
      socket.on("upload", (data: ArrayBuffer) => socket.emit("file", data));
    });
    const viaOurs = open(OURS);
    await nextEvent(viaOurs, "connect");
    const echoed = nextEvent<[ArrayBuffer]>(viaOurs, "file");
    viaOurs.emit("upload", new Uint8Array([9, 8]));
    expect([...new Uint8Array((await echoed)[0])]).toEqual([9, 8]);
    await ours.expectEmitted("upload", new Uint8Array([9, 8]));
  });

  it("auth: the binding accepts every CONNECT before its handler can look at the auth", async () => {
    const viaBinding = open(BINDING, { auth: { token: "forged" } });
    const refusal = nextEvent(viaBinding, "connect_error");
    await nextEvent(viaBinding, "connect");
    expect(viaBinding.connected).toBe(true);
    expect(await settlesWithin(refusal, 50)).toBe("nothing");

    ours.use((socket, next) =>
      socket.handshake.auth.token === "forged"
        ? next(Object.assign(new Error("unauthorized"), { data: { reason: "forged token" } }))
        : next(),
    );
    const viaOurs = open(OURS, { auth: { token: "forged" } });
    const [error] = await nextEvent<[Error & { data?: unknown }]>(viaOurs, "connect_error");
    expect(error.message).toBe("unauthorized");
    expect(error.data).toEqual({ reason: "forged token" });
    expect(viaOurs.connected).toBe(false);
  });

  it("pings: the binding never pings, so the client times out after pingInterval + pingTimeout", async () => {
    // The binding announces pingInterval 25000 + pingTimeout 5000; the same short settings as
    // ours are written into its open packet so the wait takes half a second, not thirty.
    const shortenOpenPacket = (connection: WebSocketHandlerConnection) => {
      const send = connection.client.send.bind(connection.client);
      connection.client.send = (data) => {
        if (typeof data === "string" && data.startsWith("0{")) {
          const open = JSON.parse(data.slice(1)) as Record<string, unknown>;
          return send(`0${JSON.stringify({ ...open, ...PINGS })}`);
        }
        return send(data);
      };
    };
    bindingScript = (_socketIo, connection) => shortenOpenPacket(connection);
    // toSocketIo queues its open packet in a microtask, after the script has wrapped send().
    const viaBinding = open(BINDING);
    await nextEvent(viaBinding, "connect");
    const [reason] = await nextEvent<[string]>(viaBinding, "disconnect");
    expect(reason).toBe("ping timeout");

    const viaOurs = open(OURS);
    await nextEvent(viaOurs, "connect");
    const disconnected = vi.fn();
    viaOurs.on("disconnect", disconnected);
    let pings = 0;
    viaOurs.io.on("ping", () => pings++);
    await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    expect(disconnected).not.toHaveBeenCalled();
    expect(viaOurs.connected).toBe(true);
  });

  it("polling: the binding has no HTTP handlers, so a polling client cannot connect", async () => {
    const viaBinding = open(BINDING, { transports: ["polling"] });
    const [error] = await nextEvent<[Error]>(viaBinding, "connect_error");
    expect(error).toBeInstanceOf(Error);
    expect(viaBinding.connected).toBe(false);

    const viaOurs = open(OURS, { transports: ["polling"] });
    await nextEvent(viaOurs, "connect");
    expect((await ours.waitForConnection()).conn.transport.name).toBe("polling");
  });
});

// Last, because it breaks the binding for the rest of the page: its one decoder is shared by
// every connection and waits forever for the attachment it ignores (binary frames are skipped);
// the next text packet from any client then throws "got plaintext data when reconstructing".
describe("a binary emit from the client (socket.io-client)", () => {
  it("never reaches the binding's listener", async () => {
    const uploads: unknown[] = [];
    let connection: WebSocketHandlerConnection | undefined;
    bindingScript = (socketIo, current) => {
      connection = current;
      socketIo.client.on("upload", (_event, data) => uploads.push(data));
    };
    const viaBinding = (socketIoClient as unknown as Connect)(BINDING, {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
    });
    await nextEvent(viaBinding, "connect");

    viaBinding.emit("upload", new Uint8Array([9]));

    await new Promise((resolve) => setTimeout(resolve, NEVER));
    expect(uploads).toEqual([]);
    // Closed from the mocked side: a client disconnect() would send one more text packet.
    const closed = nextEvent<[string]>(viaBinding, "disconnect");
    connection?.client.close();
    expect((await closed)[0]).toBe("transport close");
    bindingScript = () => {};
  });
});
