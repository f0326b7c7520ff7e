import type { EnginePacket } from "../protocol/engine.ts";

/** What a server announces in its Engine.IO handshake. */
export interface HandshakeAnnouncement {
  /** The session id. */
  sid: string;
  /** Transports the client may upgrade to, e.g. ["websocket"] on a polling session. */
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** The Engine.IO `open` packet a session starts with, fields in engine.io's order. */
export function openPacket(handshake: HandshakeAnnouncement): EnginePacket {
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = handshake;
  return {
    type: "open",
    data: JSON.stringify({ sid, upgrades, pingInterval, pingTimeout, maxPayload }),
  };
}
