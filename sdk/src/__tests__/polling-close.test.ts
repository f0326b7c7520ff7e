import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { polling } from "../engine/polling.ts";
import type { Transport, TransportEvents } from "../engine/transport.ts";

// Closing a polling transport while a POST is in flight, against a fetch the test answers by
// hand: what was written still goes out, in order, the close packet alone and last, and the
// long GET goes only once nothing is left to write (a server ends the session when it does).

interface PendingRequest {
  url: string;
  method: string;
  body: string | undefined;
  signal: AbortSignal | undefined;
  answer(body?: string): void;
  fail(error: Error): void;
}

let requests: PendingRequest[] = [];

beforeEach(() => {
  requests = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      requests.push({
        url,
        method: String(init.method),
        body: init.body === undefined ? undefined : String(init.body),
        signal,
        answer: (body = "ok") => resolve(new Response(body)),
        fail: reject,
      });
    });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const posts = () => requests.filter((request) => request.method === "POST");
const longGet = () => requests.find((request) => request.method === "GET")!;
/** Lets the transport's promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A polling transport of session "s1", or before its handshake when `sid` is null. */
function openTransport(sid: string | null = "s1"): {
  transport: Transport;
  closes: unknown[];
  packets: unknown[];
} {
  const closes: unknown[] = [];
  const packets: unknown[] = [];
  const events: TransportEvents = {
    binaryType: () => "arraybuffer",
    onOpen: () => {},
    onPacket: (packet) => packets.push(packet),
    onClose: (reason) => closes.push(reason),
  };
  const query: Record<string, string> = { EIO: "4", transport: "polling" };
  if (sid) query.sid = sid;
  const transport = polling.open({ url: "http://example.test/socket.io/", query }, events);
  return { transport, closes, packets };
}

const HANDSHAKE = `0${JSON.stringify({ sid: "late", upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 })}`;

describe("closing a polling transport with a POST in flight", () => {
  it("sends what was written, then the close packet alone, then aborts the long GET", async () => {
    const { transport, closes } = openTransport();
    transport.send([{ type: "message", data: '2["a"]' }]);
    transport.send([
      { type: "message", data: '2["b"]' },
      { type: "message", data: "1" },
    ]);
    transport.send([{ type: "close" }]);
    transport.close();
    expect(posts().map((post) => post.body)).toEqual(['42["a"]']);
    expect(longGet().signal?.aborted).toBe(false);

    posts()[0]!.answer();
    await settle();
    expect(posts().map((post) => post.body)).toEqual(['42["a"]', '42["b"]\x1e41']);
    posts()[1]!.answer();
    await settle();
    expect(posts()[2]?.body).toBe("1");
    expect(longGet().signal?.aborted).toBe(false);
    posts()[2]!.answer();
    await settle();
    expect(longGet().signal?.aborted).toBe(true);
    // Closed by the app: nothing is reported back, and nothing more is sent.
    transport.send([{ type: "message", data: "late" }]);
    expect(posts()).toHaveLength(3);
    expect(closes).toEqual([]);
  });

  it("gives up what is left and aborts the long GET when a POST fails after the close", async () => {
    const { transport, closes } = openTransport();
    transport.send([{ type: "message", data: "first" }]);
    transport.send([{ type: "close" }]);
    transport.close();
    posts()[0]!.fail(new TypeError("network down"));
    await settle();
    expect(posts()).toHaveLength(1);
    expect(longGet().signal?.aborted).toBe(true);
    expect(closes).toEqual([]);
  });

  it("aborts every request 10 s after the close when a POST never answers (a dead path)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { transport, closes } = openTransport();
      transport.send([{ type: "message", data: "into the void" }]);
      transport.send([{ type: "close" }]);
      transport.close();
      vi.advanceTimersByTime(9_999);
      expect(requests.map((request) => request.signal?.aborted)).toEqual([false, false]);
      vi.advanceTimersByTime(1);
      expect(requests.map((request) => request.signal?.aborted)).toEqual([true, true]);
      vi.useRealTimers();
      await settle();
      expect(posts()).toHaveLength(1); // the close packet waiting behind it is given up
      expect(closes).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves no timer behind once everything written went out", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { transport } = openTransport();
      transport.send([{ type: "close" }]);
      transport.close();
      expect(vi.getTimerCount()).toBe(1);
      posts()[0]!.answer();
      await vi.waitFor(() => expect(longGet().signal?.aborted).toBe(true));
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("aborts the long GET at once when nothing is being written", () => {
    const { transport } = openTransport();
    transport.close();
    expect(longGet().signal?.aborted).toBe(true);
    expect(posts()).toEqual([]);
  });
});

// A transport that lost the race to the handshake is closed with `endSession`: the server
// opens a session for its handshake anyway, which it would keep until its ping timeout.
describe("closing a polling transport before its handshake came", () => {
  it("with endSession, waits for the answer and ends the session it opened with a close packet", async () => {
    const { transport, closes, packets } = openTransport(null);
    transport.close(true);
    expect(longGet().signal?.aborted).toBe(false);
    longGet().answer(HANDSHAKE);
    await settle();
    expect(posts().map((post) => post.body)).toEqual(["1"]);
    expect(new URL(String(requests[1]?.url)).searchParams.get("sid")).toBe("late");
    posts()[0]!.answer();
    await settle();
    expect(requests.filter((request) => request.method === "GET")).toHaveLength(1);
    // Nothing of the abandoned session reaches the engine.
    expect(packets).toEqual([]);
    expect(closes).toEqual([]);
  });

  it("with endSession, sends nothing when the answer opened no session", async () => {
    const { transport, packets } = openTransport(null);
    transport.close(true);
    longGet().answer("not a handshake");
    await settle();
    expect(posts()).toEqual([]);
    expect(packets).toEqual([]);
  });

  it("with endSession, aborts a handshake that never answers 3 s after the close", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { transport } = openTransport(null);
      transport.close(true);
      vi.advanceTimersByTime(2_999);
      expect(longGet().signal?.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(longGet().signal?.aborted).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("without it (an app's disconnect, a timeout), aborts the handshake at once, leaving no timer", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { transport } = openTransport(null);
      transport.close();
      expect(longGet().signal?.aborted).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
