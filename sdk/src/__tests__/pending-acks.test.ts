import { describe, expect, it } from "vitest";
import { PendingAcks } from "../pending-acks.ts";

describe("PendingAcks at a disconnect", () => {
  it("fails the acks that can fail, drops plain callbacks uncalled, keeps what will be resent", () => {
    const acks = new PendingAcks();
    const calls: string[] = [];
    const ack = (name: string, failsOnDisconnect: boolean) => ({
      failsOnDisconnect,
      reply: () => calls.push(`${name} replied`),
      fail: (error: Error) => calls.push(`${name} failed: ${error.message}`),
    });
    acks.add(1, ack("with timeout", true));
    acks.add(2, ack("plain", false));
    acks.add(3, ack("queued", true));
    acks.failUnsent(
      (id) => id === 3,
      () => new Error("socket has been disconnected"),
    );
    expect(calls).toEqual(["with timeout failed: socket has been disconnected"]);
    // Nothing is left for the two whose reply cannot come: no leak across reconnections.
    expect(acks.size).toBe(1);
    acks.reply(2, ["late"]);
    acks.reply(3, ["ok"]);
    expect(calls).toEqual(["with timeout failed: socket has been disconnected", "queued replied"]);
    expect(acks.size).toBe(0);
  });

  it("leaves an ack added by a failing callback to wait: it was made after the disconnect", () => {
    const acks = new PendingAcks();
    const failed: number[] = [];
    let nextId = 0;
    // Each failure emits again (a retry from the callback), which adds the next ack.
    const retrying = (id: number): void =>
      acks.add(id, {
        failsOnDisconnect: true,
        reply: () => undefined,
        fail: () => {
          failed.push(id);
          if (id < 5) retrying(++nextId);
        },
      });
    retrying(nextId);
    acks.failUnsent(
      () => false,
      () => new Error("socket has been disconnected"),
    );
    expect(failed).toEqual([0]);
    expect(acks.has(1)).toBe(true);
  });
});
