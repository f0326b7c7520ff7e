import { describe, expect, it } from "vitest";
import { type DecodeErrorCode, PacketDecoder } from "../index.ts";

function decodeError(input: string, options?: ConstructorParameters<typeof PacketDecoder>[0]) {
  const outcome = new PacketDecoder(options).add(input);
  if (outcome.kind !== "error")
    throw new Error(`expected an error for ${input}, got ${outcome.kind}`);
  return outcome.error;
}

const cases: Array<[string, string, DecodeErrorCode, RegExp]> = [
  ["an unknown packet type", '7["x"]', "UNKNOWN_TYPE", /packet type must be a digit 0-6, got "7"/],
  ["an empty message", "", "UNKNOWN_TYPE", /packet type/],
  ["a non-digit type", 'x["x"]', "UNKNOWN_TYPE", /got "x"/],
  [
    "a namespace without a leading slash",
    '2chat,["x"]',
    "INVALID_NAMESPACE",
    /must start with "\/"/,
  ],
  [
    "a namespace with a control character",
    '2/ch\u0001at,["x"]',
    "INVALID_NAMESPACE",
    /control character/,
  ],
  [
    "an absurdly long namespace",
    `2/${"a".repeat(300)},["x"]`,
    "INVALID_NAMESPACE",
    /longer than 256/,
  ],
  [
    "an ack id longer than a safe integer",
    `2${"9".repeat(17)}["x"]`,
    "INVALID_ACK_ID",
    /more than 16 digits/,
  ],
  [
    "an ack id beyond the safe integer range",
    '29999999999999999["x"]',
    "INVALID_ACK_ID",
    /safe integer/,
  ],
  ["an ACK without an ack id", "3[1]", "INVALID_ACK_ID", /must carry an ack id/],
  ["invalid JSON", '2["x",', "INVALID_JSON", /not valid JSON/],
  ["an EVENT payload that is an empty array", "2[]", "INVALID_PAYLOAD", /non-empty array/],
  ["an EVENT payload that is an object", '2{"a":1}', "INVALID_PAYLOAD", /non-empty array/],
  ["an EVENT payload that is a string", '2"x"', "INVALID_PAYLOAD", /non-empty array/],
  ["an EVENT whose name is not a string", "2[null]", "INVALID_PAYLOAD", /must be a string/],
  ["an EVENT with a reserved name", '2["disconnect"]', "INVALID_PAYLOAD", /reserved event name/],
  [
    "an ACK payload that is not an array",
    '31{"a":1}',
    "INVALID_PAYLOAD",
    /ACK payload must be an array/,
  ],
  [
    "a CONNECT payload that is not an object",
    "0[1]",
    "INVALID_PAYLOAD",
    /CONNECT data must be an object/,
  ],
  ["a DISCONNECT with a payload", '1["x"]', "INVALID_PAYLOAD", /must not carry a payload/],
  ["a CONNECT_ERROR payload that is a number", "412", "INVALID_PAYLOAD", /CONNECT_ERROR/],
  [
    "too many attachments",
    '511-["x"]',
    "TOO_MANY_ATTACHMENTS",
    /11 attachments announced, at most 10/,
  ],
  [
    "a binary packet without an attachment count",
    '5-["x"]',
    "INVALID_ATTACHMENTS",
    /attachment count/,
  ],
  ["a binary packet without the dash", '51["x"]', "INVALID_ATTACHMENTS", /attachment count/],
  [
    "a binary packet announcing zero attachments",
    '50-["x"]',
    "INVALID_ATTACHMENTS",
    /at least one/,
  ],
  [
    "nesting deeper than allowed",
    `2["x",${"[".repeat(40)}${"]".repeat(40)}]`,
    "TOO_DEEP",
    /deeper than 32/,
  ],
  ["a __proto__ key", '2["x",{"__proto__":{"polluted":true}}]', "FORBIDDEN_KEY", /"__proto__"/],
  [
    "a constructor key holding a prototype",
    '2["x",{"a":[{"constructor":{"prototype":{}}}]}]',
    "FORBIDDEN_KEY",
    /"constructor" key that could reach a prototype/,
  ],
];

describe("decoding malformed packets", () => {
  it.each(cases)(
    "rejects %s with its own code and a message that says what was wrong",
    (_, input, code, message) => {
      const error = decodeError(input);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/^Wireline: malformed Socket\.IO packet/);
    },
  );

  it("refuses every control character in a namespace, and only those", () => {
    for (const control of ["\u0000", "\u001f", "\u007f"]) {
      expect(decodeError(`2/a${control},["x"]`).code).toBe("INVALID_NAMESPACE");
    }
    for (const nsp of ["/a b", "/a~", "/\u0080", "/é", "/\u{1F600}"]) {
      const outcome = new PacketDecoder().add(`2${nsp},["x"]`);
      expect(outcome.kind === "packet" && outcome.packet.nsp).toBe(nsp);
    }
  });

  it("reads an attachment count of 1 to 6 digits before the first '-', and an ack id after", () => {
    for (const input of ['5-["x"]', '51["x"]', '5x-["x"]', '51234567-["x"]', '5-1-["x"]']) {
      expect(decodeError(input).code).toBe("INVALID_ATTACHMENTS");
    }
    const decoder = new PacketDecoder({ maxAttachments: 1 });
    expect(decoder.add('61-/chat,12[{"_placeholder":true,"num":0}]').kind).toBe("pending");
    const outcome = decoder.add(new Uint8Array([1]).buffer);
    expect(outcome.kind === "packet" && outcome.packet).toMatchObject({ nsp: "/chat", id: 12 });
    expect(decodeError('5000011-["x"]').code).toBe("TOO_MANY_ATTACHMENTS");
  });

  it("reads a namespace that runs to the end of the packet, with nothing after it", () => {
    const outcome = new PacketDecoder().add("1/chat");
    expect(outcome.kind === "packet" && outcome.packet).toEqual({ type: 1, nsp: "/chat" });
    expect(decodeError("3/chat").code).toBe("INVALID_ACK_ID");
    expect(decodeError("2/chat").code).toBe("INVALID_PAYLOAD");
    expect(decodeError("2/chat12").code).toBe("INVALID_PAYLOAD");
  });

  it("honours a lower maxAttachments and a lower maxDepth", () => {
    expect(decodeError('53-["x"]', { maxAttachments: 2 }).code).toBe("TOO_MANY_ATTACHMENTS");
    expect(decodeError('2["x",[[[1]]]]', { maxDepth: 3 }).code).toBe("TOO_DEEP");
  });

  it("rejects binary data that no binary packet announced", () => {
    const outcome = new PacketDecoder().add(new Uint8Array([1, 2]).buffer);
    expect(outcome.kind === "error" && outcome.error.code).toBe("UNEXPECTED_BINARY");
  });

  it("rejects a text packet that arrives while attachments are still expected", () => {
    const decoder = new PacketDecoder();
    expect(
      decoder.add('52-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]').kind,
    ).toBe("pending");
    decoder.add(new Uint8Array([1]).buffer);
    const outcome = decoder.add('2["y"]');
    expect(outcome.kind === "error" && outcome.error.code).toBe("INVALID_ATTACHMENTS");
    expect(outcome.kind === "error" && outcome.error.message).toMatch(
      /1 binary attachment\(s\) were still expected/,
    );
  });

  it("rejects placeholders that point outside the attachments", () => {
    const decoder = new PacketDecoder();
    decoder.add('51-["x",{"_placeholder":true,"num":3}]');
    const outcome = decoder.add(new Uint8Array([1]).buffer);
    expect(outcome.kind === "error" && outcome.error.code).toBe("INVALID_ATTACHMENTS");
  });

  it("rejects an attachment no placeholder refers to", () => {
    const decoder = new PacketDecoder();
    decoder.add('52-["x",{"_placeholder":true,"num":0}]');
    decoder.add(new Uint8Array([1]).buffer);
    const outcome = decoder.add(new Uint8Array([2]).buffer);
    expect(outcome.kind === "error" && outcome.error.code).toBe("INVALID_ATTACHMENTS");
  });

  it("is ready for the next packet after an error", () => {
    const decoder = new PacketDecoder();
    decoder.add('51-["x",{"_placeholder":true,"num":0}]');
    expect(decoder.add("garbage").kind).toBe("error");
    expect(decoder.isReassembling).toBe(false);
    expect(decoder.add('2["ok"]')).toEqual({
      kind: "packet",
      packet: { type: 2, nsp: "/", data: ["ok"] },
    });
  });

  it("never pollutes Object.prototype, whatever the payload", () => {
    const decoder = new PacketDecoder();
    decoder.add('2["x",{"__proto__":{"polluted":true}}]');
    decoder.add('2["x",{"constructor":{"prototype":{"polluted":true}}}]');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("accepts constructor and prototype fields of ordinary data, as socket.io does", () => {
    const decoder = new PacketDecoder();
    const payload = { prototype: true, constructor: "Ford", model: { prototype: { v: 2 } } };
    expect(decoder.add(`2["car",${JSON.stringify(payload)}]`)).toEqual({
      kind: "packet",
      packet: { type: 2, nsp: "/", data: ["car", payload] },
    });
  });

  it("keeps only a short excerpt of a huge malformed input", () => {
    const error = decodeError(`2["x",${"1,".repeat(100_000)}`);
    expect(error.input.length).toBeLessThanOrEqual(81);
  });
});

describe("a well-framed packet refused for its content", () => {
  it("names the event or ack it was, so the connection can go on without it", () => {
    expect(decodeError('2/chat,7["x",{"__proto__":{}}]').packet).toEqual({
      type: 2,
      nsp: "/chat",
      id: 7,
    });
    expect(decodeError('312[{"__proto__":{}}]').packet).toEqual({ type: 3, nsp: "/", id: 12 });
    expect(decodeError('2["x",[[1]]]', { maxDepth: 2 }).packet).toEqual({ type: 2, nsp: "/" });
  });

  it("leaves a CONNECT or CONNECT_ERROR fatal: the namespace could not be joined without it", () => {
    expect(decodeError('0{"__proto__":{}}').packet).toBeUndefined();
    expect(decodeError('4{"message":"no","data":{"__proto__":{}}}').packet).toBeUndefined();
    expect(decodeError('2["x",{"a":1}').packet).toBeUndefined(); // not even JSON
  });

  it("reads a refused binary packet's attachments before reporting it, then decodes on", () => {
    const decoder = new PacketDecoder({ maxDepth: 3 });
    expect(decoder.add('52-["x",[[[{"_placeholder":true,"num":0}]]],1]').kind).toBe("pending");
    expect(decoder.add(new Uint8Array([1]).buffer).kind).toBe("pending");
    const outcome = decoder.add(new Uint8Array([2]).buffer);
    expect(outcome.kind === "error" && outcome.error.code).toBe("TOO_DEEP");
    expect(outcome.kind === "error" && outcome.error.packet).toEqual({ type: 2, nsp: "/" });
    expect(decoder.isReassembling).toBe(false);
    const next = new Uint8Array([3]).buffer;
    expect(decoder.add('51-["y",{"_placeholder":true,"num":0}]').kind).toBe("pending");
    expect(decoder.add(next)).toEqual({
      kind: "packet",
      packet: { type: 2, nsp: "/", data: ["y", next] },
    });
  });
});

describe("refuseUnsafePayloads: false (a server mirroring socket.io)", () => {
  it("hands on __proto__ keys and deep nesting, as socket.io's parser does", () => {
    const decoder = new PacketDecoder({ refuseUnsafePayloads: false });
    const outcome = decoder.add('2["x",{"__proto__":{"a":1}},[[[[1]]]]]');
    expect(outcome.kind).toBe("packet");
    const [, payload] = (outcome as { packet: { data: [string, object] } }).packet.data;
    expect(Object.keys(payload)).toEqual(["__proto__"]);
    expect(
      new PacketDecoder({ refuseUnsafePayloads: false, maxDepth: 2 }).add('2["x",[[[1]]]]').kind,
    ).toBe("packet");
    expect(({} as { a?: unknown }).a).toBeUndefined();
  });
});

describe("the fast path for short payloads", () => {
  it("still refuses a forbidden key spelled with JSON escapes", () => {
    expect(decodeError('2["x",{"__pr\\u006fto__":{}}]').code).toBe("FORBIDDEN_KEY");
    expect(decodeError('2["x",{"c\\u006fnstructor":{"pr\\u006ftotype":{}}}]').code).toBe(
      "FORBIDDEN_KEY",
    );
  });

  it("still refuses short payloads nested one level too deep", () => {
    expect(decodeError('2["x",[[1]]]', { maxDepth: 2 }).code).toBe("TOO_DEEP");
  });
});
