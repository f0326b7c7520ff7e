import { describe, expect, it } from "vitest";
import {
  decodeEnginePacket,
  decodeEnginePayload,
  ENGINE_PROTOCOL,
  type EnginePacket,
  encodeEnginePacket,
  encodeEnginePayload,
} from "../index.ts";

function encode(packet: EnginePacket, supportsBinary: boolean): Promise<unknown> {
  return new Promise((resolve) => encodeEnginePacket(packet, supportsBinary, resolve));
}

describe("Engine.IO framing", () => {
  it("speaks protocol revision 4", () => {
    expect(ENGINE_PROTOCOL).toBe(4);
  });

  it("round-trips every packet type as text", async () => {
    const packets: EnginePacket[] = [
      { type: "open", data: '{"sid":"x"}' },
      { type: "close" },
      { type: "ping" },
      { type: "pong", data: "probe" },
      { type: "message", data: "héllo" },
      { type: "upgrade" },
      { type: "noop" },
    ];
    for (const packet of packets) {
      const encoded = await encode(packet, true);
      expect(decodeEnginePacket(encoded as string, "arraybuffer")).toEqual(packet);
    }
  });

  it("sends binary as a raw frame when the transport supports it, else as base64 with a b prefix", async () => {
    const data = new Uint8Array([1, 2, 255]);
    expect(await encode({ type: "message", data }, true)).toBe(data);
    const text = await encode({ type: "message", data }, false);
    expect(text).toBe(`b${Buffer.from(data).toString("base64")}`);
    const decoded = decodeEnginePacket(text as string, "arraybuffer");
    expect(new Uint8Array(decoded.data as ArrayBuffer)).toEqual(data);
  });

  it("joins polling payloads with the record separator and splits them back", async () => {
    const packets: EnginePacket[] = [
      { type: "message", data: "a" },
      { type: "message", data: new Uint8Array([7]) },
      { type: "ping" },
    ];
    const payload = await new Promise<string>((resolve) => encodeEnginePayload(packets, resolve));
    expect(payload).toBe("4a\x1ebBw==\x1e2");
    const decoded = decodeEnginePayload(payload, "arraybuffer");
    expect(decoded.map((packet) => packet.type)).toEqual(["message", "message", "ping"]);
    expect(new Uint8Array(decoded[1]!.data as ArrayBuffer)).toEqual(new Uint8Array([7]));
  });

  it("decodes an unknown packet type to an error packet instead of throwing", () => {
    expect(decodeEnginePacket("9oops", "arraybuffer").type).toBe("error");
  });
});

describe("Engine.IO framing, edge cases", () => {
  it("decodes malformed base64 to an error packet instead of throwing", () => {
    expect(decodeEnginePacket("b!!not base64!!", "arraybuffer")).toEqual({
      type: "error",
      data: "parser error",
    });
    expect(decodeEnginePacket("", "arraybuffer").type).toBe("error");
  });

  it("ends a polling payload at its first malformed packet", () => {
    const decoded = decodeEnginePayload("4a\x1e9bad\x1e4never", "arraybuffer");
    expect(decoded.map((packet) => packet.type)).toEqual(["message", "error"]);
  });

  it("encodes an empty polling payload as an empty body", async () => {
    await expect(new Promise((resolve) => encodeEnginePayload([], resolve))).resolves.toBe("");
  });

  it("sends a Blob as base64 in polling bodies, keeping packet order", async () => {
    const packets: EnginePacket[] = [
      { type: "message", data: new Blob([new Uint8Array([1, 2, 3])]) },
      { type: "message", data: "after" },
    ];
    const payload = await new Promise<string>((resolve) => encodeEnginePayload(packets, resolve));
    expect(payload).toBe("bAQID\x1e4after");
  });

  it("hands binary back as each binary type asks, copying only the bytes of a view", () => {
    const pooled = new Uint8Array([9, 9, 1, 2, 3, 9]).subarray(2, 5);
    const asArrayBuffer = decodeEnginePacket(pooled, "arraybuffer").data as ArrayBuffer;
    expect(asArrayBuffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(asArrayBuffer)]).toEqual([1, 2, 3]);
    const asBuffer = decodeEnginePacket(new Uint8Array([4, 5]).buffer, "nodebuffer").data;
    expect(Buffer.isBuffer(asBuffer)).toBe(true);
    expect([...(asBuffer as Buffer)]).toEqual([4, 5]);
    expect(decodeEnginePacket("bBAU=", "blob").data).toBeInstanceOf(Blob);
  });

  it("base64-encodes large binary in chunks without overflowing the call stack", async () => {
    const data = new Uint8Array(300_000).map((_, index) => index % 251);
    const text = (await encode({ type: "message", data }, false)) as string;
    expect(text.slice(1)).toBe(Buffer.from(data).toString("base64"));
    expect(new Uint8Array(decodeEnginePacket(text, "arraybuffer").data as ArrayBuffer)).toEqual(
      data,
    );
  });
});
