// Engine.IO framing against engine.io-parser 5 (what socket.io 4.8 and engine.io-client use):
// the same packets encode to the same frames and polling bodies, and any text, valid or not,
// decodes to the same packets, a malformed one included. Run in Node, with engine.io-parser's
// Node build; binary is compared by its bytes.
import {
  type Packet as TheirPacket,
  decodePacket as theirDecodePacket,
  decodePayload as theirDecodePayload,
  encodePacket as theirEncodePacket,
  encodePayload as theirEncodePayload,
} from "engine.io-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparable } from "../../__tests__/comparable.ts";
import {
  decodeEnginePacket,
  decodeEnginePayload,
  type EnginePacket,
  encodeEnginePacket,
  encodeEnginePayload,
} from "../index.ts";

const TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"] as const;

/** Packets as an app or a server sends them: text of any Unicode, or bytes for a message. */
const packet: fc.Arbitrary<EnginePacket> = fc.oneof(
  fc.record({ type: fc.constantFrom(...TYPES) }),
  fc.record({ type: fc.constantFrom(...TYPES), data: fc.string({ unit: "binary" }) }),
  fc.record({
    type: fc.constant("message" as const),
    data: fc.uint8Array({ maxLength: 64 }).map((bytes) => bytes.buffer as ArrayBuffer),
  }),
);

/** Text frames: valid ones with a few characters changed, and anything at all. */
const frameText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom("0{}", "1", "2", "3probe", "4hello", "5", "6", "bAQID", "b", "7", "9x"),
      fc.string({ unit: "binary", maxLength: 8 }),
      fc.nat(10),
    )
    .map(([valid, insert, at]) => valid.slice(0, at) + insert + valid.slice(at)),
);

const ours = (packet: EnginePacket, binary: boolean) =>
  new Promise<unknown>((resolve) => encodeEnginePacket(packet, binary, resolve));
const theirs = (packet: EnginePacket, binary: boolean) =>
  new Promise<unknown>((resolve) => theirEncodePacket(packet as TheirPacket, binary, resolve));

/**
 * Ours is the same as theirs, or stricter on one point only: a "b" frame whose text is not
 * base64 is a parse error here (atob), where Node's Buffer skips the characters it cannot read.
 */
function sameOrStricter(text: string, our: EnginePacket[], their: TheirPacket[]): void {
  const refused = our.findIndex((decoded) => decoded.type === "error");
  const frames = text.split("\x1e");
  if (refused !== -1 && their[refused]?.type !== "error") {
    expect(frames[refused]?.startsWith("b")).toBe(true);
    expect(() => atob(frames[refused]!.slice(1))).toThrow();
    expect(our.slice(0, refused).map(shape)).toEqual(their.slice(0, refused).map(shape));
    return;
  }
  expect(our.map(shape)).toEqual(their.map(shape));
}

/** Decoded packets comparable across implementations: binary as bytes, no undefined data key. */
const shape = (decoded: EnginePacket | TheirPacket) =>
  comparable(
    decoded.data === undefined
      ? { type: decoded.type }
      : { type: decoded.type, data: decoded.data },
  );

describe("Engine.IO framing against engine.io-parser", () => {
  it("encodes every packet to the same frame, binary or as base64 text", async () => {
    await fc.assert(
      fc.asyncProperty(packet, fc.boolean(), async (given, binary) => {
        expect(comparable(await ours(given, binary))).toEqual(
          comparable(await theirs(given, binary)),
        );
      }),
      { numRuns: 500, seed: 20261126 },
    );
  });

  it("encodes a polling body the same, and decodes it back the same", async () => {
    await fc.assert(
      // engine.io-parser never calls back for no packets; a transport never sends an empty body.
      fc.asyncProperty(fc.array(packet, { minLength: 1, maxLength: 6 }), async (packets) => {
        const body = await new Promise<string>((resolve) => encodeEnginePayload(packets, resolve));
        const theirBody = await new Promise<string>((resolve) =>
          theirEncodePayload(packets as TheirPacket[], resolve),
        );
        expect(body).toBe(theirBody);
        expect(decodeEnginePayload(body, "arraybuffer").map(shape)).toEqual(
          theirDecodePayload(theirBody, "arraybuffer").map(shape),
        );
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it("decodes any text frame as engine.io-parser does, a malformed one to the same error (base64 stricter)", () => {
    fc.assert(
      fc.property(frameText, (text) => {
        if (text.includes("\x1e")) return;
        sameOrStricter(
          text,
          [decodeEnginePacket(text, "arraybuffer")],
          [theirDecodePacket(text, "arraybuffer")],
        );
      }),
      { numRuns: 3000, seed: 20261126 },
    );
  });

  it("decodes any polling body as engine.io-parser does, stopping at the first malformed packet (base64 stricter)", () => {
    const body = fc
      .array(frameText, { minLength: 1, maxLength: 5 })
      .map((texts) => texts.join("\x1e"));
    fc.assert(
      fc.property(body, (text) => {
        sameOrStricter(
          text,
          decodeEnginePayload(text, "arraybuffer"),
          theirDecodePayload(text, "arraybuffer"),
        );
      }),
      { numRuns: 2000, seed: 20261126 },
    );
  });
});
