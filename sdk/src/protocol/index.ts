export { hasBinary, isBinary } from "./binary.ts";
export { DecodeError, type DecodeErrorCode } from "./decode-error.ts";
export {
  type DecodeOutcome,
  type DecoderInput,
  PacketDecoder,
  type PacketDecoderOptions,
} from "./decoder.ts";
export { encodePacket } from "./encode.ts";
export {
  decodeEnginePacket,
  decodeEnginePayload,
  ENGINE_PROTOCOL,
  type EngineBinaryType,
  type EnginePacket,
  type EnginePacketType,
  encodeEnginePacket,
  encodeEnginePayload,
} from "./engine.ts";
export { type BinaryData, type Packet, PacketType, protocol } from "./packet.ts";
export { decoderFor, encoderFor, type Parser, ParserDecoder } from "./parser.ts";
export { RESERVED_EVENT_NAMES } from "./reserved-event-names.ts";
