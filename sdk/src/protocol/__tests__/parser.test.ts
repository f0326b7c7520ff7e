// ParserDecoder: the `parser` option's decoder (here socket.io-msgpack-parser, or a small custom
// parser where msgpack's own checks would answer first) behind the built-in decoder's interface.
import * as msgpackParser from "socket.io-msgpack-parser";
import { describe, expect, it, vi } from "vitest";
import {
  type DecodeErrorCode,
  type DecodeOutcome,
  decoderFor,
  type Packet,
  type PacketDecoderOptions,
  type Parser,
} from "../index.ts";

const msgpack = msgpackParser as unknown as Parser;

/** A MessagePack frame holding `packet` as it is, whatever its fields hold. */
function frame(packet: object): string | ArrayBufferView {
  const [encoded] = new msgpack.Encoder().encode(packet as Packet);
  return encoded as ArrayBufferView;
}

/**
 * A custom parser whose text frames are JSON arrays of packets: one message completes as many
 * packets as it lists; a `"throw"` entry makes it throw there, as a parser does on bad input.
 */
const jsonListParser: Parser = {
  Encoder: class {
    encode(packet: Packet) {
      return [JSON.stringify([packet])];
    }
  },
  Decoder: class {
    #listener: ((packet: Packet) => void) | undefined;
    add(chunk: unknown) {
      for (const item of JSON.parse(chunk as string) as unknown[]) {
        if (item === "throw") throw new Error("bad entry");
        this.#listener?.(item as Packet);
      }
    }
    on(_event: "decoded", listener: (packet: Packet) => void) {
      this.#listener = listener;
    }
    destroy() {}
  },
};

function errorOf(outcome: DecodeOutcome) {
  if (outcome.kind !== "error") throw new Error(`expected an error, got ${outcome.kind}`);
  return outcome.error;
}

describe("a custom parser's packets pass the built-in decoder's checks", () => {
  // Each as PacketDecoder refuses it in text (see decoder-malformed.test.ts): the connection
  // closes (no `packet` on the error).
  const refused: Array<[string, object, DecodeErrorCode, RegExp]> = [
    [
      "an EVENT whose name is an object",
      { type: 2, nsp: "/", data: [{ toString: 1 }, "x"] },
      "INVALID_PAYLOAD",
      /first element \(its name\) must be a string/,
    ],
    [
      'an EVENT named "connect"',
      { type: 2, nsp: "/", data: ["connect", "forged"] },
      "INVALID_PAYLOAD",
      /"connect" is a reserved event name/,
    ],
    [
      'an EVENT named "disconnect"',
      { type: 2, nsp: "/", data: ["disconnect", "io server disconnect"] },
      "INVALID_PAYLOAD",
      /"disconnect" is a reserved event name/,
    ],
    [
      'an EVENT named "connect_error"',
      { type: 2, nsp: "/", data: ["connect_error", null] },
      "INVALID_PAYLOAD",
      /"connect_error" is a reserved event name/,
    ],
    [
      "an EVENT without a name",
      { type: 2, nsp: "/", data: [] },
      "INVALID_PAYLOAD",
      /non-empty array/,
    ],
    [
      "a namespace without a leading slash",
      { type: 2, nsp: "chat", data: ["x"] },
      "INVALID_NAMESPACE",
      /must start with "\/"/,
    ],
    [
      "an absurdly long namespace",
      { type: 2, nsp: `/${"a".repeat(300)}`, data: ["x"] },
      "INVALID_NAMESPACE",
      /longer than 256/,
    ],
    [
      "a namespace with a control character",
      { type: 2, nsp: "/ch\u0001at", data: ["x"] },
      "INVALID_NAMESPACE",
      /control character/,
    ],
    [
      "an ACK without an ack id",
      { type: 3, nsp: "/", data: [] },
      "INVALID_ACK_ID",
      /must carry an ack id/,
    ],
  ];

  it.each(refused)("refuses %s from socket.io-msgpack-parser", (_, packet, code, message) => {
    const error = errorOf(decoderFor(msgpack).add(frame(packet)));
    expect(error).toMatchObject({ name: "DecodeError", code, packet: undefined });
    expect(error.message).toMatch(message);
  });

  // Read as the built-in decoder reads them in text, these cannot be parsed there: refused,
  // and the connection closes.
  it.each([
    ["a negative ack id", { type: 2, nsp: "/", id: -1, data: ["x"] }],
    ["an ack id beyond the safe integer range", { type: 3, nsp: "/", id: 2 ** 60, data: [] }],
    ["a type beyond 6", { type: 7, nsp: "/", data: ["x"] }],
    ["a type that is no integer", { type: 2.5, nsp: "/", data: ["x"] }],
    ["a type that is an object", { type: { valueOf: 1 }, nsp: "/", data: ["x"] }],
    ["a DISCONNECT with a payload", { type: 1, nsp: "/", data: ["x"] }],
  ])("refuses %s from another parser", (_, packet) => {
    const error = errorOf(decoderFor(jsonListParser).add(JSON.stringify([packet])));
    expect(error).toMatchObject({ name: "DecodeError", packet: undefined });
  });

  it("reads a type or ack id given as digits in a string, or no namespace, as the text gives them", () => {
    const decoder = decoderFor(jsonListParser);
    expect(decoder.add(JSON.stringify([{ type: "2", nsp: "/", id: "1", data: ["x"] }]))).toEqual({
      kind: "packet",
      packet: { type: 2, nsp: "/", id: 1, data: ["x"] },
    });
    expect(decoder.add(JSON.stringify([{ type: 2, data: ["x"] }]))).toEqual({
      kind: "packet",
      packet: { type: 2, nsp: "/", data: ["x"] },
    });
  });

  it("hands on what the built-in decoder accepts, numeric event names and binary included", () => {
    const decoder = decoderFor(msgpack);
    const packets: Packet[] = [
      { type: 0, nsp: "/", data: { sid: "s1" } },
      { type: 2, nsp: "/chat", id: 7, data: ["ask", { a: [1, null] }] },
      { type: 2, nsp: "/", data: [42, "numeric"] },
      { type: 3, nsp: "/", id: 0, data: [] },
      { type: 4, nsp: "/", data: { message: "no" } },
      { type: 1, nsp: "/chat" },
    ];
    for (const packet of packets)
      expect(decoder.add(frame(packet))).toEqual({ kind: "packet", packet });
    const outcome = decoder.add(
      frame({ type: 2, nsp: "/", data: ["file", { bytes: Buffer.from([1, 2, 250]) }] }),
    );
    const [, { bytes }] = (outcome as { packet: { data: [string, { bytes: Uint8Array }] } }).packet
      .data;
    expect([...bytes]).toEqual([1, 2, 250]);
  });

  it("goes on decoding after a refused packet", () => {
    const decoder = decoderFor(msgpack);
    expect(decoder.add(frame({ type: 2, nsp: "/", data: ["disconnect"] })).kind).toBe("error");
    expect(decoder.add(frame({ type: 2, nsp: "/", data: ["later", 1] }))).toEqual({
      kind: "packet",
      packet: { type: 2, nsp: "/", data: ["later", 1] },
    });
  });
});

describe("a custom parser's unsafe payloads", () => {
  const gadget = { constructor: { prototype: { polluted: true } } };
  const deep = JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`) as unknown;

  it("refuses an event or ack as PacketDecoder does: dropped alone, named by DecodeError.packet", () => {
    const decoder = decoderFor(msgpack);
    const event = errorOf(
      decoder.add(frame({ type: 2, nsp: "/chat", id: 3, data: ["x", gadget] })),
    );
    expect(event.code).toBe("FORBIDDEN_KEY");
    expect(event.message).toMatch(/"constructor" key that could reach a prototype/);
    expect(event.packet).toEqual({ type: 2, nsp: "/chat", id: 3 });
    const ack = errorOf(decoder.add(frame({ type: 3, nsp: "/", id: 9, data: [deep] })));
    expect(ack.code).toBe("TOO_DEEP");
    expect(ack.packet).toEqual({ type: 3, nsp: "/", id: 9 });
  });

  it("refuses an own __proto__ key, which a parser other than msgpack may give", () => {
    // JSON.parse makes "__proto__" an own key, as the built-in decoder's JSON does.
    const error = errorOf(
      decoderFor(jsonListParser).add('[{"type":2,"nsp":"/","data":["x",{"__proto__":{}}]}]'),
    );
    expect(error.code).toBe("FORBIDDEN_KEY");
    expect(error.packet).toEqual({ type: 2, nsp: "/" });
  });

  it("leaves a refused CONNECT or CONNECT_ERROR fatal", () => {
    const decoder = decoderFor(msgpack);
    const connect = errorOf(decoder.add(frame({ type: 0, nsp: "/", data: { a: gadget } })));
    expect(connect).toMatchObject({ code: "FORBIDDEN_KEY", packet: undefined });
    const connectError = errorOf(
      decoder.add(frame({ type: 4, nsp: "/", data: { message: "no", data: deep } })),
    );
    expect(connectError).toMatchObject({ code: "TOO_DEEP", packet: undefined });
  });

  it("honours maxDepth, and refuseUnsafePayloads: false (a server mirroring socket.io)", () => {
    const options: PacketDecoderOptions = { maxDepth: 2 };
    const shallow = frame({ type: 2, nsp: "/", data: ["x", [[1]]] });
    expect(errorOf(decoderFor(msgpack, options).add(shallow)).code).toBe("TOO_DEEP");
    const lenient = decoderFor(msgpack, { refuseUnsafePayloads: false });
    expect(lenient.add(frame({ type: 2, nsp: "/", data: ["x", gadget, deep] })).kind).toBe(
      "packet",
    );
    // The other checks stay: they are the protocol's, not a safety option.
    expect(lenient.add(frame({ type: 2, nsp: "/", data: ["disconnect"] })).kind).toBe("error");
  });

  it("does not walk binary data key by key (a typed array's keys are its bytes)", () => {
    // MessagePack's bin type: a Buffer here (socket.io-msgpack-parser decodes a Uint8Array as an
    // ArrayBuffer, whose keys are none).
    const bytes = Buffer.alloc(1024);
    const keys = vi.spyOn(Object, "keys");
    try {
      const outcome = decoderFor(msgpack).add(frame({ type: 2, nsp: "/", data: ["x", { bytes }] }));
      expect(outcome.kind).toBe("packet");
      expect(keys.mock.calls.some(([value]) => ArrayBuffer.isView(value))).toBe(false);
      expect(keys).toHaveBeenCalled(); // the payload was walked, binary left out
    } finally {
      keys.mockRestore();
    }
  });
});
