import { describe, expect, it } from "vitest";
import { utf8Length } from "../utf8-length.ts";

describe("utf8Length", () => {
  it("counts what TextEncoder encodes, lone surrogates (first, last, alone) as U+FFFD", () => {
    const cases = [
      "",
      "a",
      "é",
      "€",
      "😀",
      "\ud83d",
      "a\ud83d",
      "\ude00",
      "\ude00a",
      "\ud83d\ud83d",
      "\ud83d\ude00\ud83d",
      "x\udbff\udfff",
      "\ud800\udc00\udc00",
    ];
    for (const text of cases) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
