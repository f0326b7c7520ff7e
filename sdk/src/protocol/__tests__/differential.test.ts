import fc from "fast-check";
import { Decoder, Encoder } from "socket.io-parser";
import { describe, expect, it } from "vitest";
import { comparable } from "../../__tests__/comparable.ts";
import {
  encodePacket,
  type Packet,
  PacketDecoder,
  PacketType,
  RESERVED_EVENT_NAMES,
} from "../index.ts";

// A generated corpus compared against the official socket.io-parser: same wire output from
// both encoders, same packets from both decoders.

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ unit: "grapheme" }),
    fc.string({ maxLength: 0 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(
      fc
        .string({ unit: "grapheme", maxLength: 8 })
        .filter((key) => key !== "__proto__" && key !== "constructor" && key !== "prototype"),
      tie("value"),
      { maxKeys: 5 },
    ),
  ),
})).value;

const bytes = fc.uint8Array({ maxLength: 16 }).map((array) => Buffer.from(array));
const withBinary = fc.oneof(
  json,
  bytes,
  fc.array(fc.oneof(json, bytes), { maxLength: 4 }),
  fc.record({ file: bytes, meta: json }),
);
const nsp = fc.oneof(fc.constant("/"), fc.constantFrom("/chat", "/a/b", "/ünï", "/x-y_z"));
const ackId = fc.option(fc.nat({ max: 2 ** 31 }), { nil: undefined });
const eventName = fc.oneof(
  fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
    .filter((name) => !RESERVED_EVENT_NAMES.has(name)),
  fc.constant(""),
);

const packet: fc.Arbitrary<Packet> = fc
  .oneof(
    fc.record({
      type: fc.constant(PacketType.CONNECT),
      nsp,
      data: fc.option(
        fc.dictionary(
          fc
            .string({ maxLength: 6 })
            .filter((k) => k !== "__proto__" && k !== "constructor" && k !== "prototype"),
          json,
          { maxKeys: 3 },
        ),
        { nil: undefined },
      ),
    }),
    fc.record({ type: fc.constant(PacketType.DISCONNECT), nsp }),
    fc.record({
      type: fc.constant(PacketType.EVENT),
      nsp,
      id: ackId,
      data: fc
        .tuple(eventName, fc.array(withBinary, { maxLength: 4 }))
        .map(([name, args]) => [name, ...args]),
    }),
    fc.record({
      type: fc.constant(PacketType.ACK),
      nsp,
      id: fc.nat({ max: 2 ** 31 }),
      data: fc.array(withBinary, { maxLength: 4 }),
    }),
    fc.record({
      type: fc.constant(PacketType.CONNECT_ERROR),
      nsp,
      data: fc.oneof(fc.record({ message: fc.string(), data: json }), fc.string()),
    }),
    fc.record({
      type: fc.constant(PacketType.EVENT),
      nsp,
      data: fc.array(json, { minLength: 50, maxLength: 200 }).map((a) => ["big", ...a]),
    }),
  )
  .map((p) => {
    // Drop keys fast-check set to undefined so both sides see the same object shape.
    const clean = { ...p } as Record<string, unknown>;
    for (const key of Object.keys(clean)) if (clean[key] === undefined) delete clean[key];
    return clean as unknown as Packet;
  });

function theirDecode(parts: Array<string | Uint8Array | ArrayBuffer>): unknown {
  const decoder = new Decoder();
  let decoded: unknown;
  decoder.on("decoded", (p: unknown) => {
    decoded = p;
  });
  for (const part of parts) decoder.add(part);
  return decoded;
}

function ourDecode(parts: Array<string | Uint8Array | ArrayBuffer>): unknown {
  const decoder = new PacketDecoder();
  let decoded: unknown;
  for (const part of parts) {
    const outcome = decoder.add(part);
    if (outcome.kind === "error") throw outcome.error;
    if (outcome.kind === "packet") decoded = outcome.packet;
  }
  return decoded;
}

describe("differential tests against socket.io-parser", () => {
  const corpus = fc.sample(packet, { numRuns: 1500, seed: 20261124 });

  it("covers every packet type, namespaces, ack ids and binary in a corpus of 1,500 packets", () => {
    const types = new Set(corpus.map((p) => p.type));
    expect(types).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(corpus.filter((p) => p.nsp !== "/").length).toBeGreaterThan(100);
    expect(corpus.filter((p) => p.id !== undefined).length).toBeGreaterThan(100);
    expect(corpus.filter((p) => encodePacket(p).length > 1).length).toBeGreaterThan(100);
  });

  it("encodes every packet exactly as socket.io-parser does", () => {
    const encoder = new Encoder();
    for (const p of corpus) {
      const ours = encodePacket(structuredClone(p));
      const theirs = encoder.encode(structuredClone(p) as never);
      expect(ours[0]).toBe(theirs[0]);
      expect(comparable(ours.slice(1))).toEqual(comparable(theirs.slice(1)));
    }
  });

  it("decodes every encoded packet to what socket.io-parser decodes", () => {
    const encoder = new Encoder();
    for (const p of corpus) {
      const wire = encoder.encode(structuredClone(p) as never) as Array<string | Uint8Array>;
      expect(comparable(ourDecode(wire))).toEqual(comparable(theirDecode(wire)));
    }
  });
});
