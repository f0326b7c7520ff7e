import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PacketDecoder } from "../index.ts";

const VALID = [
  '0{"token":"abc"}',
  "0/chat,",
  "1/chat,",
  '2["hello",1,{"a":[true,null]}]',
  '2/chat,42["event","é✓"]',
  "31[]",
  '4{"message":"denied","data":{"code":1}}',
  '51-["bin",{"_placeholder":true,"num":0}]',
];

/** A valid packet with a few characters inserted, deleted or replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom("insert", "delete", "replace"),
        fc.string({ maxLength: 3 }),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
  )
  .map(([base, edits]) => {
    let text = base;
    for (const [position, kind, chunk] of edits) {
      const at = text.length === 0 ? 0 : position % text.length;
      if (kind === "insert") text = text.slice(0, at) + chunk + text.slice(at);
      else if (kind === "delete") text = text.slice(0, at) + text.slice(at + 1);
      else text = text.slice(0, at) + chunk + text.slice(at + chunk.length);
    }
    return text;
  });

const chunk = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 64 }),
  mutated,
  fc.uint8Array({ maxLength: 16 }).map((bytes) => bytes.buffer as ArrayBuffer),
);

// Thousands of runs each: the default 5 s per test is too tight on a loaded 2-core machine.
describe("the decoder under random and mutated input", { timeout: 60_000 }, () => {
  it("never throws and always answers packet, pending or error", () => {
    fc.assert(
      fc.property(fc.array(chunk, { minLength: 1, maxLength: 12 }), (chunks) => {
        const decoder = new PacketDecoder();
        for (const input of chunks) {
          const outcome = decoder.add(input);
          expect(["packet", "pending", "error"]).toContain(outcome.kind);
        }
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it("never touches Object.prototype", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(mutated, fc.constant('2["x",{"__proto__":{"polluted":1}}]')), {
          maxLength: 8,
        }),
        (inputs) => {
          const decoder = new PacketDecoder();
          for (const input of inputs) decoder.add(input);
          expect(Object.prototype).not.toHaveProperty("polluted");
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });

  it("decodes the next valid packet after any garbage", () => {
    fc.assert(
      fc.property(chunk, (garbage) => {
        const decoder = new PacketDecoder();
        decoder.add(garbage);
        decoder.reset();
        expect(decoder.add('2["ok"]').kind).toBe("packet");
      }),
      { numRuns: 1000, seed: 13 },
    );
  });
});
