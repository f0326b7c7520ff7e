// The recovery store keeps what socket.io's SessionAwareAdapter keeps, and drops it when that
// adapter would: sessions and logged events expire only at its once-a-minute sweep, or a session
// when it is asked for after maxDisconnectionDuration.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionRecovery } from "../connection-recovery.ts";

const socket = { pid: "p1", id: "s1", nsp: { name: "/" }, rooms: ["s1", "red"], data: { n: 1 } };

describe("ConnectionRecovery", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("replays what the session's rooms missed after the offset, and keeps the session", () => {
    const recovery = new ConnectionRecovery({ maxDisconnectionDuration: 1000 });
    const offset = recovery.record("/", [], [], ["seen"]);
    recovery.persist(socket, "transport close");
    recovery.record("/", ["red"], [], ["to red", 1]);
    recovery.record("/", ["blue"], [], ["to blue"]);
    recovery.record("/", [], ["red"], ["all but red"]);
    recovery.record("/chat", [], [], ["other namespace"]);
    const last = recovery.record("/", ["s1"], [], ["direct"]);

    const restored = recovery.restore("p1", offset, "/");
    expect(restored?.session).toMatchObject({ id: "s1", rooms: ["s1", "red"], data: { n: 1 } });
    expect(restored?.missed).toEqual([
      ["to red", 1, expect.any(String)],
      ["direct", last],
    ]);
    // As socket.io: a restore leaves the session, so the same pid restores again.
    expect(recovery.restore("p1", last, "/")?.missed).toEqual([]);
    expect(recovery.restore("p1", "unknown offset", "/")).toBeUndefined();
    expect(recovery.restore("p1", offset, "/chat")).toBeUndefined();
  });

  it("knows no offset logged in another namespace, as socket.io's per-namespace log", () => {
    const recovery = new ConnectionRecovery({});
    recovery.record("/", [], [], ["seen"]);
    const elsewhere = recovery.record("/chat", [], [], ["in /chat"]);
    recovery.persist(socket, "transport close");
    recovery.record("/", [], [], ["missed"]);
    expect(recovery.restore("p1", elsewhere, "/")).toBeUndefined();
  });

  it("keeps no session for a socket that left on purpose, or connected without recovery", () => {
    const recovery = new ConnectionRecovery({});
    const offset = recovery.record("/", [], [], ["seen"]);
    recovery.persist(socket, "client namespace disconnect");
    recovery.persist({ ...socket, pid: undefined }, "transport close");
    expect(recovery.restore("p1", offset, "/")).toBeUndefined();
  });

  it("expires a session asked for after maxDisconnectionDuration", () => {
    const recovery = new ConnectionRecovery({ maxDisconnectionDuration: 1000 });
    const offset = recovery.record("/", [], [], ["seen"]);
    recovery.persist(socket, "ping timeout");
    vi.setSystemTime(1000);
    expect(recovery.restore("p1", offset, "/")).toBeDefined();
    vi.setSystemTime(1001);
    expect(recovery.restore("p1", offset, "/")).toBeUndefined();
  });

  it("keeps an old offset until socket.io's minute sweep, then drops it", () => {
    const recovery = new ConnectionRecovery({ maxDisconnectionDuration: 1000 });
    const offset = recovery.record("/", [], [], ["long ago"]);
    vi.setSystemTime(59_500);
    recovery.persist(socket, "transport close");
    // Older than maxDisconnectionDuration, but no sweep ran yet: socket.io still restores.
    vi.setSystemTime(59_900);
    expect(recovery.restore("p1", offset, "/")).toBeDefined();
    // The sweep at 60 s dropped every event older than 59 s: the offset is gone.
    vi.setSystemTime(60_100);
    expect(recovery.restore("p1", offset, "/")).toBeUndefined();
  });
});
