// The event log's own bookkeeping at its edges: ack pairing across server restarts, and a ring
// buffer that reserves nothing up front.
import { describe, expect, it } from "vitest";
import { AckTracker } from "../ack-tracker.ts";
import { RingBuffer } from "../ring-buffer.ts";

const question = (event: string, ackId: number) =>
  ({
    kind: "packet",
    direction: "in",
    engineType: "message",
    bytes: 1,
    socketType: "EVENT",
    nsp: "/",
    event,
    ackId,
  }) as const;
const answer = (ackId: number) =>
  ({
    kind: "packet",
    direction: "out",
    engineType: "message",
    bytes: 1,
    socketType: "ACK",
    nsp: "/",
    ackId,
  }) as const;

describe("AckTracker", () => {
  it("pairs our ack with the server's question of the current socket, not one asked before a restart", () => {
    const tracker = new AckTracker();
    tracker.observe(question("ask-old", 0), 0);
    // The server restarted: its new socket counts ack ids from 0 again.
    tracker.forgetIncoming("/");
    tracker.observe(question("ask-new", 0), 1000);
    expect(tracker.observe(answer(0), 1005)).toMatchObject({ event: "ask-new", latencyMs: 5 });
  });
});

describe("RingBuffer", () => {
  it("takes a huge capacity without reserving memory, and still overwrites the oldest when full", () => {
    expect(new RingBuffer(2 ** 32).length).toBe(0);
    const buffer = new RingBuffer<number>(2);
    for (const item of [1, 2, 3]) buffer.push(item);
    expect(buffer.toArray()).toEqual([2, 3]);
    buffer.clear();
    buffer.push(4);
    expect(buffer.toArray()).toEqual([4]);
  });
});
