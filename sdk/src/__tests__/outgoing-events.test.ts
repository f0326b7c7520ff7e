import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OutgoingEvents, type OutgoingHost } from "../outgoing-events.ts";
import type { Packet } from "../protocol/index.ts";

// The emit path below the Socket, against a host that records what it sends: what a retried
// emit's deadline does however its tries come about.

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function connectedHost(): OutgoingHost & { sent: Packet[] } {
  const sent: Packet[] = [];
  return {
    sent,
    nsp: "/",
    self: undefined,
    live: () => true,
    writable: () => true,
    encode: (packet) => [JSON.stringify(packet)],
    send: (packet) => sent.push(packet),
    reportError: (error) => {
      throw error;
    },
    maxPayload: () => undefined,
    ackTimedOut: () => {},
  };
}

describe("a retried emit's deadline", () => {
  it("stays one timer when a try is resent by a second connect that no disconnect preceded", () => {
    const host = connectedHost();
    const outgoing = new OutgoingEvents(host, { retries: 3, ackTimeout: 100 }, () => {});
    const replies: unknown[][] = [];
    outgoing.emit("save", [1, (...reply: unknown[]) => replies.push(reply)], {});
    expect(vi.getTimerCount()).toBe(1);
    // A server (or a proxy) that repeats the namespace's CONNECT: the try in flight goes again.
    outgoing.onConnect();
    expect(host.sent.map((packet) => packet.id)).toEqual([0, 0]);
    expect(vi.getTimerCount()).toBe(1);
    // One deadline, from the latest try: one resend when it passes, not one per timer armed.
    vi.advanceTimersByTime(100);
    expect(host.sent).toHaveLength(3);
    outgoing.reply(0, ["saved"]);
    expect(replies).toEqual([[null, "saved"]]);
    expect(vi.getTimerCount()).toBe(0);
  });
  it("is not armed when the try's own write found the connection dead and dropped it", () => {
    const host = connectedHost();
    let live = true;
    host.live = () => live;
    const outgoing = new OutgoingEvents(host, { retries: 3, ackTimeout: 100 }, () => {});
    // The engine checks the wall clock as it writes: past the heartbeat deadline, the write
    // closes the connection there and then, before the emit returns.
    host.send = (packet) => {
      host.sent.push(packet);
      live = false;
      outgoing.onDisconnect();
    };
    outgoing.emit("save", [1, () => {}], {});
    expect(host.sent).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    // The try in flight goes again at the next connect, with its deadline from then.
    live = true;
    host.send = (packet) => host.sent.push(packet);
    outgoing.onConnect();
    expect(host.sent.map((packet) => packet.id)).toEqual([0, 0]);
    expect(vi.getTimerCount()).toBe(1);
  });
});
