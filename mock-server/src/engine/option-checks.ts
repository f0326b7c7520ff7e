import { MAX_TIMER_DELAY } from "@wireline/sdk/server-core";
import type { EngineServerOptions } from "./engine-server.ts";

/** A value as an error message shows it: strings quoted, so `"25000"` reads as a string. */
export function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** Throws the TypeError of an option `name` that is not what it `takes`. */
export function badOption(name: string, takes: string, value: unknown): never {
  throw new TypeError(`Wireline: the "${name}" option takes ${takes}, got ${shown(value)}.`);
}

/** Checks an option that sets a timer: unset, or a number of ms from `min` to 2^31 - 1. */
export function checkTimerOption(name: string, value: unknown, min = 0): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !(value >= min && value <= MAX_TIMER_DELAY))
    badOption(name, `a number of ms from ${min} to ${MAX_TIMER_DELAY}`, value);
}

/**
 * Checks the Engine.IO server's options up front, so that a typo fails at `new Server` with the
 * option's name instead of as broken heartbeats or refused requests later. Unknown names pass.
 */
export function checkEngineOptions(options: EngineServerOptions): void {
  const { path, transports, allowRequest } = options;
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/")))
    badOption("path", 'a path starting with "/", e.g. "/socket.io"', path);
  checkTimerOption("pingInterval", options.pingInterval, 1);
  checkTimerOption("pingTimeout", options.pingTimeout);
  checkTimerOption("destroyUpgradeTimeout", options.destroyUpgradeTimeout);
  for (const name of ["maxHttpBufferSize", "maxPayload"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "number" || !(value >= 0)))
      badOption(name, "a number of bytes >= 0", value);
  }
  if (
    transports !== undefined &&
    (!Array.isArray(transports) ||
      transports.length === 0 ||
      transports.some((name) => name !== "polling" && name !== "websocket"))
  )
    badOption("transports", 'a non-empty array of "polling" and "websocket"', transports);
  if (allowRequest !== undefined && typeof allowRequest !== "function")
    badOption("allowRequest", "a function (request, callback) => void", allowRequest);
}
