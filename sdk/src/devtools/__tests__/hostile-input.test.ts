// What the event log keeps of what a hostile or careless peer sends: event names that are no
// strings, huge payloads, huge names and messages. The log stays small and every entry stays
// readable by the panel.
import { afterEach, describe, expect, it } from "vitest";
import { FakeWebSocketConstructor, fakeSockets } from "../../__tests__/fake-websocket.ts";
import { io, type Socket } from "../../index.ts";
import type { Parser } from "../../protocol/parser.ts";
import {
  attachEventLog,
  type EventLog,
  type EventLogEntry,
  type EventLogEntryKind,
} from "../index.ts";
import { loggableText, toLoggableValue } from "../loggable-value.ts";
import { PacketReader } from "../packet-reader.ts";
import { EMPTY_PACKET_FILTER, matchesPacketFilter } from "../panel/packet-filter.ts";

const sockets: Socket[] = [];
const logs: EventLog[] = [];

afterEach(() => {
  for (const log of logs.splice(0)) log.detach();
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** A socket on a scripted WebSocket, with a log attached and the server's handshake done. */
function openLogged(options: { parser?: Parser } = {}) {
  const socket = io("http://example.test", {
    forceNew: true,
    WebSocket: FakeWebSocketConstructor,
    transports: ["websocket"],
    reconnection: false,
    ...options,
  });
  sockets.push(socket);
  const log = attachEventLog(socket);
  logs.push(log);
  const fake = fakeSockets.at(-1);
  if (!fake) throw new Error("no WebSocket was created");
  fake.serverOpen();
  return { socket, log, fake };
}

function ofKind<K extends EventLogEntryKind>(log: EventLog, kind: K) {
  return log.entries().filter((entry) => entry.kind === kind) as Array<
    Extract<EventLogEntry, { kind: K }>
  >;
}

/** A parser whose decoder throws `error` on every message. */
function throwingParser(error: Error): Parser {
  return {
    Encoder: class {
      encode = () => [];
    },
    Decoder: class {
      add() {
        throw error;
      }
      on() {}
      destroy() {}
    },
  };
}

const withEvent = (event: string) => ({ ...EMPTY_PACKET_FILTER, event });
const CUT_AT = 10_000;

describe("event names that are no strings", () => {
  it("keeps a numeric event name (which the decoder accepts) as its digits, for the event and the ack answering it", async () => {
    const { socket, log, fake } = openLogged();
    socket.on("7" as never, (_text: string, ack: (reply: string) => void) => ack("ok"));
    fake.serverSend('40{"sid":"s1"}');
    fake.serverSend('425[7,"q"]');
    await expect.poll(() => ofKind(log, "ack").length).toBe(1);

    const event = ofKind(log, "packet").find((p) => p.socketType === "EVENT");
    expect(event).toMatchObject({ event: "7", ackId: 5, payload: ["q"] });
    expect(ofKind(log, "ack")[0]).toMatchObject({ direction: "out", ackId: 5, event: "7" });
    // Must: the panel's Event filter reads both rows without throwing.
    for (const row of [event!, ofKind(log, "ack")[0]!]) {
      expect(matchesPacketFilter(row, withEvent("7"))).toBe(true);
      expect(matchesPacketFilter(row, withEvent("chat"))).toBe(false);
    }
  });

  it("keeps as text the name of an emit an app (in JavaScript) names by a number, queued and timed out", async () => {
    const socket = io("http://example.test", {
      forceNew: true,
      WebSocket: FakeWebSocketConstructor,
      autoConnect: false,
    });
    sockets.push(socket);
    const log = attachEventLog(socket);
    logs.push(log);
    socket.timeout(1).emit(7 as never, () => {});
    // Any other name is refused by emit itself, and leaves nothing to log.
    expect(() => socket.timeout(1).emit({ toString: 1 } as never, () => {})).toThrow(TypeError);
    await expect.poll(() => ofKind(log, "ack").length).toBe(1);
    const queued = ofKind(log, "outbox").filter((entry) => entry.action === "enqueue");
    expect(queued.map((entry) => entry.packets[0]?.event)).toEqual(["7"]);
    expect(ofKind(log, "ack").map((entry) => [entry.event, entry.timedOut])).toEqual([["7", true]]);
    for (const row of ofKind(log, "ack"))
      expect(matchesPacketFilter(row, withEvent("7"))).toBe(row.event === "7");
  });

  it("keeps a name or message that is neither text nor a number as a marker (a custom parser's, a log's from elsewhere)", () => {
    expect([{ toString: 1 }, null, undefined, Symbol("x")].map(loggableText)).toEqual(
      Array(4).fill("[not a string]"),
    );
    expect([7, "chat"].map(loggableText)).toEqual(["7", "chat"]);
  });

  it("gives redact the name as the log keeps it", () => {
    const events: unknown[] = [];
    const reader = new PacketReader("in", (payload, { event }) => {
      events.push(event);
      return payload;
    });
    reader.read({ type: "message", data: '2[7,"a"]' });
    expect(events).toEqual(["7"]);
  });

  it("filters rows of a log from elsewhere whose event name is no string without throwing", () => {
    const row = {
      kind: "packet",
      direction: "in",
      engineType: "message",
      bytes: 9,
      socketType: "EVENT",
      nsp: "/",
      event: 7 as unknown as string,
      seq: 1,
      monotonic: 0,
      wallClock: 0,
    } as const;
    expect(matchesPacketFilter(row, withEvent("7"))).toBe(true);
    expect(matchesPacketFilter(row, withEvent("chat"))).toBe(false);
    const unnamed = { ...row, socketType: "CONNECT", event: undefined } as const;
    expect(matchesPacketFilter(unnamed, withEvent("7"))).toBe(false);
    expect(matchesPacketFilter(unnamed, EMPTY_PACKET_FILTER)).toBe(true);
  });
});

describe("huge names and messages", () => {
  it("cuts an event name and a refusal's message after 10,000 characters", async () => {
    const { socket, log, fake } = openLogged();
    const name = "e".repeat(50_000);
    const refused = new Promise((resolve) => socket.once("connect_error", resolve));
    fake.serverSend(`42${JSON.stringify([name, 1])}`);
    fake.serverSend(`44${JSON.stringify({ message: "m".repeat(50_000) })}`);
    await refused;

    const event = ofKind(log, "packet").find((p) => p.socketType === "EVENT");
    expect(event?.event).toBe(`${"e".repeat(CUT_AT)}…[40000 more characters]`);
    const refusal = ofKind(log, "socket").find((e) => e.action === "connect_error");
    expect(refusal?.message).toBe(`${"m".repeat(CUT_AT)}…[40000 more characters]`);
  });

  it("cuts an error's message, and the status cause and decode error quoting it", async () => {
    const huge = "z".repeat(50_000);
    const { log, fake } = openLogged({ parser: throwingParser(new Error(huge)) });
    fake.serverSend("4anything");
    await expect.poll(() => ofKind(log, "error").length).toBe(1);
    const longest = Math.max(...log.entries().map((entry) => JSON.stringify(entry).length));
    expect(longest).toBeLessThan(CUT_AT + 1000);
    expect(ofKind(log, "error")[0]?.message).toMatch(/z…\[\d+ more characters\]$/);
  });
});

describe("huge payloads", () => {
  it("keeps an ordinary payload exactly", () => {
    const payload = {
      text: "héllo",
      list: [1, 2.5, -0, true, null, "x".repeat(CUT_AT)],
      nested: { deeper: [{ a: 1 }, []], big: 10n },
      when: new Date(0),
      skipped: undefined,
      fn: () => 1,
      inLists: [undefined, () => 1],
      bytes: new Uint8Array(3),
    };
    expect(toLoggableValue(payload)).toEqual({
      text: "héllo",
      list: [1, 2.5, -0, true, null, "x".repeat(CUT_AT)],
      nested: { deeper: [{ a: 1 }, []], big: "10" },
      when: "1970-01-01T00:00:00.000Z",
      inLists: [null, null],
      bytes: { $binary: "Uint8Array", bytes: 3 },
    });
    const items = Array.from({ length: 5000 }, (_, index) => ({ index }));
    expect(toLoggableValue(items)).toEqual(items);
  });

  it("keeps an own __proto__ key of an app's payload as a key, not as the copy's prototype", () => {
    const payload = JSON.parse('{"__proto__":{"admin":true},"name":"x"}') as object;
    const copy = toLoggableValue(payload) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__", "name"]);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"admin":true},"name":"x"}');
  });

  it("keeps 10,000 items of a huge array and says how many it left out", () => {
    const copy = toLoggableValue(new Array(1_000_000).fill(0)) as unknown[];
    expect(copy).toHaveLength(10_001);
    expect(copy.slice(0, 10_000).every((item) => item === 0)).toBe(true);
    expect(copy.at(-1)).toBe("…[990000 more]");
  });

  it("keeps 10,000 keys of a huge object and says how many it left out", () => {
    const keys = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    const copy = toLoggableValue(keys) as Record<string, unknown>;
    const kept = Object.keys(copy);
    expect(kept).toHaveLength(10_001);
    expect(kept.slice(0, 10_000).every((key) => copy[key] === keys[key])).toBe(true);
    expect(kept.at(-1)).toBe("…");
    expect(copy["…"]).toBe("…[190000 more]");
  });

  it('says what it left out under a key of its own when the object has a real "…" key', () => {
    const keys = {
      "…": "mine",
      "……": "mine too",
      ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
    };
    const copy = toLoggableValue(keys) as Record<string, unknown>;
    expect(copy["…"]).toBe("mine");
    expect(copy["……"]).toBe("mine too");
    expect(copy["………"]).toBe("…[10002 more]");
  });

  it("counts items across the whole payload, and accounts for every one it left out", () => {
    const payload = [new Array(6000).fill(1), new Array(6000).fill(1)];
    const copy = toLoggableValue(payload) as unknown[][];
    const kept = copy.flat().filter((item) => item === 1).length;
    const leftOut = copy
      .flat()
      .map((item) => /^…\[(\d+) more\]$/.exec(String(item))?.[1])
      .reduce((sum, count) => sum + Number(count ?? 0), 0);
    expect(kept).toBeLessThanOrEqual(10_000);
    expect(kept + leftOut).toBe(12_000);
    expect(copy[0]).toEqual(payload[0]);
  });

  it("stays small for many long strings, long keys, and a shared object reached by 2^64 paths", () => {
    let shared: object = {};
    for (let level = 0; level < 64; level++) shared = { a: shared, b: shared };
    const longKeys = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`${i}${"k".repeat(50_000)}`, i]),
    );
    for (const payload of [Array(1000).fill("x".repeat(CUT_AT)), longKeys, shared]) {
      expect(JSON.stringify(toLoggableValue(payload)).length).toBeLessThan(500_000);
    }
    const strings = toLoggableValue(Array(1000).fill("x".repeat(CUT_AT))) as string[];
    expect(strings[0]).toBe("x".repeat(CUT_AT));
    expect(strings.at(-1)).toBe("…[10000 more characters]");
  });

  it("keeps a logged packet of a million numbers small", () => {
    const reader = new PacketReader("in", undefined);
    const fields = reader.read({
      type: "message",
      data: `2["big",[${new Array(1_000_000).fill(0).join(",")}]]`,
    });
    expect(JSON.stringify(fields?.payload).length).toBeLessThan(100_000);
    expect(fields?.event).toBe("big");
  });

  it("holds nothing of what it cut, so a full log of huge packets stays small in memory", () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, "run with --expose-gc (the node test project does)").toBeTypeOf("function");
    const heap = () => {
      gc!();
      return process.memoryUsage().heapUsed;
    };
    const reader = new PacketReader("in", undefined);
    const frame = `2["${"e".repeat(2_000_000)}","${"x".repeat(2_000_000)}",[${"0,".repeat(500_000)}0]]`;
    reader.read({ type: "message", data: frame });
    const baseline = heap();
    const kept = Array.from({ length: 10 }, () => reader.read({ type: "message", data: frame }));
    // Each packet parses to over 8 MB; what the log keeps of it is some 100 kB.
    expect(heap() - baseline).toBeLessThan(10_000_000);
    expect(kept.every((fields) => fields?.event?.endsWith("…[1990000 more characters]"))).toBe(
      true,
    );
  });

  it("holds nothing of an undecodable frame beyond the text it logs", () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const reader = new PacketReader("in", undefined);
    // Not JSON after the type: a decode error, whose raw text the log shows.
    const frame = () => `2[${"y".repeat(5_000_000)}`;
    reader.read({ type: "message", data: frame() });
    const baseline = heap();
    const kept = Array.from({ length: 10 }, () => reader.read({ type: "message", data: frame() }));
    expect(kept.every((fields) => typeof fields?.decodeError === "string")).toBe(true);
    // Ten 5 MB frames read; the log keeps about a kilobyte of each.
    expect(heap() - baseline).toBeLessThan(10_000_000);
  });
});
