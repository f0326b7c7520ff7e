import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { polling } from "../polling.ts";
import type { TransportEvents } from "../transport.ts";

// What a polling transport's requests carry, over fetch and over XMLHttpRequest (where there is
// no fetch): method, URL, headers, credentials, body, and how an error status fails them.

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function openTransport(
  options: { withCredentials?: boolean; extraHeaders?: Record<string, string> } = {},
) {
  const closes: unknown[][] = [];
  const packets: unknown[] = [];
  const events: TransportEvents = {
    binaryType: () => "arraybuffer",
    onOpen: () => {},
    onPacket: (packet) => packets.push(packet),
    onClose: (...args) => closes.push(args),
  };
  const transport = polling.open(
    {
      url: "https://example.com/socket.io/",
      query: { EIO: "4", transport: "polling", sid: "s1" },
      timestampRequests: false,
      ...options,
    },
    events,
  );
  return { transport, closes, packets };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("polling requests over fetch", () => {
  let calls: Array<{ url: string; init: RequestInit; answer(response: Response): void }>;
  beforeEach(() => {
    calls = [];
    vi.stubGlobal(
      "fetch",
      (url: string, init: RequestInit) =>
        new Promise<Response>((resolve) => calls.push({ url, init, answer: resolve })),
    );
  });

  it("sends a GET without body and a POST with its text, headers and credentials", async () => {
    const { transport } = openTransport({ withCredentials: true, extraHeaders: { "x-a": "1" } });
    transport.send([{ type: "message", data: '2["x"]' }]);
    await settle();
    const [get, post] = calls;
    expect(get!.url).toBe("https://example.com/socket.io/?EIO=4&transport=polling&sid=s1");
    expect(get!.init).toMatchObject({
      method: "GET",
      headers: { "x-a": "1" },
      credentials: "include",
      cache: "no-store",
    });
    expect(get!.init.body).toBeUndefined();
    expect(get!.init.headers).not.toHaveProperty("content-type");
    expect(post!.init).toMatchObject({
      method: "POST",
      body: '42["x"]',
      headers: { "x-a": "1", "content-type": "text/plain;charset=UTF-8" },
    });
    transport.close();
  });

  it("asks for same-origin credentials by default, and fails on an error status", async () => {
    const { transport, closes } = openTransport();
    await settle();
    expect(calls[0]!.init.credentials).toBe("same-origin");
    calls[0]!.answer(new Response("nope", { status: 400 }));
    await settle();
    await settle();
    expect(closes).toHaveLength(1);
    const error = closes[0]![1] as Error & { status: number; responseText: string };
    expect(error.message).toBe("Wireline: polling GET answered HTTP 400 (nope)");
    expect(error).toMatchObject({ status: 400, responseText: "nope" });
    transport.close();
  });
});

describe("polling requests over XMLHttpRequest (no fetch)", () => {
  class FakeXhr {
    static made: FakeXhr[] = [];
    opened: unknown[] = [];
    headers: Record<string, string> = {};
    sent: unknown = "unsent";
    withCredentials = false;
    status = 0;
    responseText = "";
    aborted = false;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    onloadend: (() => void) | null = null;
    constructor() {
      FakeXhr.made.push(this);
    }
    open(...args: unknown[]) {
      this.opened = args;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    send(body: unknown) {
      this.sent = body;
    }
    abort() {
      this.aborted = true;
      this.onabort?.();
      this.onloadend?.();
    }
    answer(status: number, text: string) {
      this.status = status;
      this.responseText = text;
      this.onload?.();
      this.onloadend?.();
    }
  }

  beforeEach(() => {
    FakeXhr.made = [];
    vi.stubGlobal("fetch", undefined);
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
  });

  it("opens a GET with null body and a POST with its text, headers and credentials", async () => {
    const { transport } = openTransport({ withCredentials: true, extraHeaders: { "x-a": "1" } });
    transport.send([{ type: "message", data: '2["x"]' }]);
    await settle();
    const [get, post] = FakeXhr.made;
    expect(get!.opened).toEqual([
      "GET",
      "https://example.com/socket.io/?EIO=4&transport=polling&sid=s1",
      true,
    ]);
    expect(get!.sent).toBeNull();
    expect(get!.withCredentials).toBe(true);
    expect(get!.headers).toEqual({ "x-a": "1" });
    expect(post!.opened[0]).toBe("POST");
    expect(post!.sent).toBe('42["x"]');
    expect(post!.headers).toEqual({ "x-a": "1", "content-type": "text/plain;charset=UTF-8" });
    transport.close();
    // Closed with nothing left to write once the POST is answered: every request is aborted.
    post!.answer(200, "ok");
    await settle();
    expect(get!.aborted).toBe(true);
  });

  it("fails on an error status and on a network error, as fetch does", async () => {
    const first = openTransport();
    await settle();
    const get = FakeXhr.made[0]!;
    expect(get.withCredentials).toBe(false);
    get.answer(503, "busy");
    await settle();
    const error = first.closes[0]![1] as Error & { status: number; responseText: string };
    expect(error.message).toBe("Wireline: polling GET answered HTTP 503 (busy)");
    expect(error).toMatchObject({ status: 503, responseText: "busy" });

    const second = openTransport();
    await settle();
    FakeXhr.made[1]!.onerror?.();
    await settle();
    expect((second.closes[0]![1] as Error).message).toBe("Wireline: polling GET failed");
  });
});
