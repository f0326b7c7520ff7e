// A broken or hostile server, scripted frame by frame: the client reports what is wrong as a
// connect_error and retries at its backoff pace, never spins a timer, never floods the server
// with requests, and never throws out of its own code.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { io, type Socket } from "../index.ts";
import { fakeIo, fakeSockets } from "./fake-websocket.ts";

const sockets: Socket[] = [];

function open(options = {}): Socket {
  const socket = fakeIo({ reconnectionDelay: 50, reconnectionDelayMax: 50, ...options });
  sockets.push(socket);
  return socket;
}

function lastFake() {
  const fake = fakeSockets.at(-1);
  if (!fake) throw new Error("no WebSocket was created");
  return fake;
}

/** The next connect_error of `socket`. */
const nextConnectError = (socket: Socket) =>
  new Promise<Error & { code?: string }>((resolve) => socket.once("connect_error", resolve));

/** How many timers the code under test sets while `ms` pass. */
async function timersSetDuring(ms: number): Promise<number> {
  const spy = vi.spyOn(globalThis, "setTimeout");
  await new Promise((resolve) => setTimeout(resolve, ms));
  const count = spy.mock.calls.length - 1; // less the test's own
  spy.mockRestore();
  return count;
}

beforeEach(() => {
  fakeSockets.length = 0;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  vi.unstubAllGlobals();
});

describe("a server whose first frame is not a handshake", () => {
  it.each([
    ["a frame that is not Engine.IO", "x", "server error"],
    ["a close packet", "1", "no valid Engine.IO v4 handshake"],
    ["a handshake that is not JSON", "0{sid", "no valid Engine.IO v4 handshake"],
    ["a null handshake", "0null", "no valid Engine.IO v4 handshake"],
    ["a handshake without pingTimeout", '0{"sid":"a","pingInterval":25000}', "no valid"],
    ["a negative pingInterval", '0{"sid":"a","pingInterval":-1,"pingTimeout":1}', "no valid"],
  ])("%s: a connect_error, then another attempt", async (_name, frame, message) => {
    const socket = open();
    const failed = nextConnectError(socket);
    const fake = lastFake();
    fake.readyState = 1;
    (fake.onopen as ((event: unknown) => void) | null)?.({});
    fake.serverSend(frame);
    expect((await failed).message).toContain(message);
    await expect.poll(() => fakeSockets.length).toBe(2);
  });

  it("reports a frame that is not Engine.IO as engine.io-client does: server error, parser error", async () => {
    const socket = open();
    const failed = nextConnectError(socket);
    lastFake().serverSend("x");
    expect(await failed).toMatchObject({ message: "server error", code: "parser error" });
  });
});

describe("a server whose handshake has unusable values", () => {
  it("ignores upgrades that are not a list and a maxPayload too small for a CONNECT", async () => {
    const socket = open();
    const fake = lastFake();
    fake.serverOpen({ upgrades: 5, maxPayload: 1 } as never);
    expect(fake.sent).toContain("40");
    fake.serverSend('40{"sid":"s"}');
    await expect.poll(() => socket.connected).toBe(true);
    // An app's event still meets the limit, with the error that says so.
    expect(() => socket.emit("hello", "world")).toThrow(RangeError);
  });

  it("ignores a maxPayload that is no number, even one that throws when compared", async () => {
    const socket = open();
    const fake = lastFake();
    fake.readyState = 1;
    fake.serverSend(
      '0{"sid":"a","pingInterval":25000,"pingTimeout":20000,"maxPayload":{"valueOf":1,"toString":1}}',
    );
    fake.serverSend('40{"sid":"s"}');
    await expect.poll(() => socket.connected).toBe(true);
    expect(() => socket.emit("hello", "x".repeat(200_000))).not.toThrow();
  });

  it("caps ping timings too long for a timer instead of firing it at once", async () => {
    const socket = open();
    lastFake().serverOpen({ pingInterval: 1e12, pingTimeout: 1e12 });
    lastFake().serverSend('40{"sid":"s"}');
    await expect.poll(() => socket.connected).toBe(true);
    expect(await timersSetDuring(100)).toBeLessThan(3);
  });
});

describe("a polling server that sends a second handshake", () => {
  it("ignores it: one upgrade probe, closed with the session", async () => {
    const handshake = `0${JSON.stringify({ sid: "s1", upgrades: ["websocket"], pingInterval: 25000, pingTimeout: 20000 })}`;
    const answers = [handshake, '40{"sid":"n1"}', handshake];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      if (init.method === "POST") return new Response("ok");
      const body = answers.shift();
      if (body !== undefined) return new Response(body);
      // The next long poll waits until the session ends.
      return new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    });
    const socket = open({ transports: ["polling", "websocket"], reconnection: false });
    await expect.poll(() => answers.length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(socket.connected).toBe(true);
    expect(socket.io.engine.id).toBe("s1");
    expect(fakeSockets).toHaveLength(1);
    socket.disconnect();
    expect(fakeSockets.map((probe) => probe.readyState)).toEqual([3]);
  });
});

describe("a server that answers CONNECT with DISCONNECT", () => {
  it("reports a connect_error and leaves the socket inactive, as a refusal", async () => {
    const socket = open();
    const disconnects: string[] = [];
    socket.on("disconnect", (reason) => disconnects.push(reason));
    const failed = nextConnectError(socket);
    lastFake().serverOpen();
    lastFake().serverSend("41");
    expect((await failed).message).toContain("closed namespace / before accepting it");
    expect(socket.active).toBe(false);
    expect(disconnects).toEqual([]); // disconnect follows only a connect
  });
});

describe("a server that refuses CONNECT with an odd CONNECT_ERROR", () => {
  it.each([
    ["a message that is no string", '44{"message":{"toString":1}}', "connection refused"],
    ["no message", "44{}", "connection refused"],
    ["a numeric message", '44{"message":503}', "connection refused"],
    ["a bare string", '44"not allowed"', "not allowed"],
  ])("%s: a connect_error that says so, nothing thrown", async (_name, frame, message) => {
    const socket = open({ reconnection: false });
    const failed = nextConnectError(socket);
    lastFake().serverOpen();
    lastFake().serverSend(frame);
    expect((await failed).message).toBe(message);
    expect(socket.active).toBe(false);
  });
});

describe("a server that sends CONNECT_ERROR to a namespace already joined", () => {
  it("disconnects the socket (io server disconnect), then reports the connect_error, as a refusal", async () => {
    const socket = open();
    const seen: string[] = [];
    socket.on("connect", () => seen.push("connect"));
    socket.on("disconnect", (reason) => seen.push(`disconnect ${reason}`));
    socket.on("connect_error", (error) => seen.push(`connect_error ${error.message}`));
    lastFake().serverOpen();
    lastFake().serverSend('40{"sid":"x"}');
    lastFake().serverSend('44{"message":"no"}');
    // It stayed "connected" for good, with no disconnect after its connect.
    expect(seen).toEqual(["connect", "disconnect io server disconnect", "connect_error no"]);
    expect(socket.connected).toBe(false);
    expect(socket.active).toBe(false);
    expect(socket.io.getSnapshot().status).toBe("disconnected");
  });
});

describe("a session closed by the app from inside a listener", () => {
  it.each([
    ["open", (socket: Socket) => socket.io.on("open", () => socket.io.engine.close())],
    ["ping", (socket: Socket) => socket.io.on("ping", () => socket.disconnect())],
  ])("closed in the Manager's %s listener: no heartbeat timer is left", async (event, close) => {
    const socket = open({ reconnection: false });
    close(socket);
    const fake = lastFake();
    fake.serverOpen({ pingInterval: 20, pingTimeout: 20 });
    if (event === "ping") {
      fake.serverSend('40{"sid":"s"}');
      fake.serverSend("2");
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await timersSetDuring(100)).toBeLessThan(3);
  });
});

describe("a polling server that answers the first GET without a handshake", () => {
  it("fails the attempt after one request instead of polling again and again", async () => {
    const requests: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      requests.push(url);
      return new Response("6");
    });
    const socket = io("http://example.test", {
      forceNew: true,
      transports: ["polling"],
      reconnection: false,
    });
    sockets.push(socket);
    await nextConnectError(socket);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toHaveLength(1);
  });
});
