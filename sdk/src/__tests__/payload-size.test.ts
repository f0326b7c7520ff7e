// The byte count assertFitsMaxPayload gives each kind of binary frame: a Blob by its size,
// buffers and views by their byteLength, base64 over polling.
import { describe, expect, it } from "vitest";
import { assertFitsMaxPayload } from "../payload-size.ts";
import { type Packet, PacketType } from "../protocol/index.ts";

const packet: Packet = { type: PacketType.BINARY_EVENT, nsp: "/", data: ["file"] };

describe("assertFitsMaxPayload with binary frames", () => {
  it.each([
    ["a Blob", new Blob([new Uint8Array(100)])],
    ["an ArrayBuffer", new ArrayBuffer(100)],
    ["a typed array", new Uint16Array(50)],
    ["a view of part of a buffer", new Uint8Array(new ArrayBuffer(300), 100, 100)],
    ["a DataView", new DataView(new ArrayBuffer(100))],
  ])("counts %s of 100 bytes as 100, or 137 in base64", (_name, frame) => {
    expect(() => assertFitsMaxPayload(packet, [frame], 100, false)).not.toThrow();
    expect(() => assertFitsMaxPayload(packet, [frame], 99, false)).toThrow(
      'Wireline: event "file" is 100 bytes once encoded',
    );
    // "b" and 4 characters for each 3 bytes, rounded up.
    expect(() => assertFitsMaxPayload(packet, [frame], 137, true)).not.toThrow();
    expect(() => assertFitsMaxPayload(packet, [frame], 136, true)).toThrow(
      'Wireline: event "file" is 137 bytes once encoded',
    );
  });
});
