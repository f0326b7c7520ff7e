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
