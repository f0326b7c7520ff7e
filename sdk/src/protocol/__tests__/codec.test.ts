import { describe, expect, it } from "vitest";
import { encodePacket, hasBinary, type Packet, PacketDecoder, PacketType } from "../index.ts";

function roundTrip(packet: Packet): Packet {
  const decoder = new PacketDecoder();
  let result: Packet | undefined;
  for (const part of encodePacket(packet)) {
    const outcome = decoder.add(part as string | ArrayBuffer);
    if (outcome.kind === "error") throw outcome.error;
    if (outcome.kind === "packet") result = outcome.packet;
  }
  if (!result) throw new Error("no packet decoded");
  return result;
}

describe("encoding Socket.IO packets", () => {
  it("writes each packet type with the namespace only when it is not the main one", () => {
    expect(encodePacket({ type: PacketType.CONNECT, nsp: "/" })).toEqual(["0"]);
    expect(encodePacket({ type: PacketType.CONNECT, nsp: "/admin", data: { token: "t" } })).toEqual(
      ['0/admin,{"token":"t"}'],
    );
    expect(encodePacket({ type: PacketType.DISCONNECT, nsp: "/admin" })).toEqual(["1/admin,"]);
    expect(encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["hello", 1] })).toEqual([
      '2["hello",1]',
    ]);
    expect(encodePacket({ type: PacketType.EVENT, nsp: "/chat", id: 12, data: ["ev"] })).toEqual([
      '2/chat,12["ev"]',
    ]);
    expect(encodePacket({ type: PacketType.ACK, nsp: "/", id: 0, data: [] })).toEqual(["30[]"]);
    expect(
      encodePacket({ type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "no" } }),
    ).toEqual(['4{"message":"no"}']);
  });

  it("promotes an EVENT with binary to BINARY_EVENT with placeholders and attachments", () => {
    const buffer = new Uint8Array([1, 2, 3]);
    const [header, ...attachments] = encodePacket({
      type: PacketType.EVENT,
      nsp: "/",
      id: 4,
      data: ["upload", { file: buffer, parts: [new ArrayBuffer(2)] }],
    });
    expect(header).toBe(
      '52-4["upload",{"file":{"_placeholder":true,"num":0},"parts":[{"_placeholder":true,"num":1}]}]',
    );
    expect(attachments).toHaveLength(2);
    expect(attachments[0]).toBe(buffer);
  });

  it("promotes an ACK with binary to BINARY_ACK", () => {
    const [header] = encodePacket({
      type: PacketType.ACK,
      nsp: "/x",
      id: 9,
      data: [new DataView(new ArrayBuffer(1))],
    });
    expect(header).toBe('61-/x,9[{"_placeholder":true,"num":0}]');
  });

  it("says clearly when a payload is circular", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["x", circular] })).toThrow(
      /circular/,
    );
  });
});

describe("encoding payloads that need care", () => {
  function detached<T extends ArrayBuffer | Uint8Array>(value: T): T {
    const buffer = value instanceof Uint8Array ? value.buffer : value;
    structuredClone(buffer, { transfer: [buffer as ArrayBuffer] }); // as postMessage does
    return value;
  }

  it("refuses a detached ArrayBuffer, or a view on one, saying what to send instead", () => {
    for (const value of [detached(new ArrayBuffer(8)), detached(new Uint8Array(8).subarray(2))]) {
      expect(() =>
        encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["bin", { ok: 1 }, value] }),
      ).toThrow(
        /^Wireline: a binary argument is a detached ArrayBuffer \(transferred\); send a copy\./,
      );
    }
    // An empty buffer that was not transferred is fine.
    expect(
      encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["e", new ArrayBuffer(0)] }),
    ).toHaveLength(2);
  });

  it("sends what toJSON() returns beside binary, and binary it returns as an attachment", () => {
    const url = new URL("https://example.com/doc");
    const bytes = new Uint8Array([7, 8]);
    const [header, ...attachments] = encodePacket({
      type: PacketType.EVENT,
      nsp: "/",
      data: ["x", new Uint8Array([1]), { url, at: new Date(0), chunk: { toJSON: () => bytes } }],
    });
    expect(header).toBe(
      '52-["x",{"_placeholder":true,"num":0},{"url":"https://example.com/doc","at":"1970-01-01T00:00:00.000Z","chunk":{"_placeholder":true,"num":1}}]',
    );
    expect(attachments[1]).toBe(bytes);
  });

  it("sends a plain EVENT when a second look finds no binary, never a binary packet announcing 0", () => {
    let reads = 0;
    const flaky = { toJSON: () => (reads++ === 0 ? new Uint8Array(1) : "gone") };
    expect(encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["x", flaky] })).toEqual([
      '2["x","gone"]',
    ]);
  });

  it("sends a copy of the bytes of a SharedArrayBuffer, or of a view on one", () => {
    const shared = new SharedArrayBuffer(4);
    new Uint8Array(shared).set([1, 2, 3, 4]);
    const [header, whole, part] = encodePacket({
      type: PacketType.EVENT,
      nsp: "/",
      data: ["s", shared, new Uint8Array(shared, 1, 2)],
    });
    expect(header).toBe('52-["s",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    for (const [attachment, bytes] of [
      [whole, [1, 2, 3, 4]],
      [part, [2, 3]],
    ] as const) {
      expect(attachment).toEqual(new Uint8Array(bytes));
      // WebSocket.send refuses shared memory.
      expect((attachment as Uint8Array).buffer).toBeInstanceOf(ArrayBuffer);
    }
  });

  it("wraps what JSON cannot encode in a Wireline TypeError saying what a payload is, keeping the cause", () => {
    const event = () => encodePacket({ type: PacketType.EVENT, nsp: "/", data: ["total", 10n] });
    expect(event).toThrow(TypeError);
    expect(event).toThrow(
      /^Wireline: a payload is JSON data or binary; this one cannot be encoded \(.*BigInt.*\)\./,
    );
    const ack = { type: PacketType.ACK, nsp: "/", id: 3, data: [new Uint8Array(1), 1n] };
    expect(() => encodePacket(ack)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^Wireline: a payload is JSON data or binary/),
        cause: expect.objectContaining({ message: expect.stringMatching(/BigInt/) }),
      }),
    );
  });
});

describe("decoding Socket.IO packets", () => {
  it("round-trips every packet type, namespaces, ack ids, unicode and empty strings", () => {
    const packets: Packet[] = [
      { type: PacketType.CONNECT, nsp: "/" },
      { type: PacketType.CONNECT, nsp: "/chat", data: { token: "é✓🚀" } },
      { type: PacketType.DISCONNECT, nsp: "/chat" },
      { type: PacketType.EVENT, nsp: "/", data: ["", ""] },
      {
        type: PacketType.EVENT,
        nsp: "/a/b",
        id: 123456,
        data: ["こんにちは", { nested: [1, [2, [3]]] }],
      },
      { type: PacketType.ACK, nsp: "/", id: 0, data: [] },
      { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "denied", data: { code: 7 } } },
      { type: PacketType.CONNECT_ERROR, nsp: "/", data: "plain string" },
    ];
    for (const packet of packets) expect(roundTrip(packet)).toEqual(packet);
  });

  it("reassembles binary attachments in placeholder order, nested anywhere", () => {
    const a = new Uint8Array([1]).buffer;
    const b = new Uint8Array([2, 2]).buffer;
    const decoded = roundTrip({
      type: PacketType.EVENT,
      nsp: "/",
      id: 1,
      data: ["bin", { a, list: [b, a] }],
    });
    expect(decoded.type).toBe(PacketType.EVENT);
    const [, payload] = decoded.data as [string, { a: ArrayBuffer; list: ArrayBuffer[] }];
    expect(new Uint8Array(payload.a)).toEqual(new Uint8Array([1]));
    expect(new Uint8Array(payload.list[0]!)).toEqual(new Uint8Array([2, 2]));
    expect(new Uint8Array(payload.list[1]!)).toEqual(new Uint8Array([1]));
  });

  it("reports pending while attachments are missing", () => {
    const decoder = new PacketDecoder();
    expect(decoder.add('51-["x",{"_placeholder":true,"num":0}]')).toEqual({ kind: "pending" });
    expect(decoder.isReassembling).toBe(true);
    decoder.reset();
    expect(decoder.isReassembling).toBe(false);
  });

  it("accepts Node Buffers as attachments", () => {
    const decoded = roundTrip({ type: PacketType.EVENT, nsp: "/", data: ["b", Buffer.from("hi")] });
    expect(Buffer.from((decoded.data as [string, Uint8Array])[1]).toString()).toBe("hi");
  });
});

describe("finding binary", () => {
  it("looks through arrays, objects and toJSON results, but not primitives", () => {
    expect(hasBinary([1, "a", { b: null }])).toBe(false);
    expect(hasBinary({ deep: [{ x: new Uint16Array(1) }] })).toBe(true);
    expect(hasBinary({ toJSON: () => ({ b: new ArrayBuffer(1) }) })).toBe(true);
    expect(hasBinary(new Date())).toBe(false);
  });
});
