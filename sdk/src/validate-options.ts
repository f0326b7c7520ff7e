/** Options counted in ms or attempts: a number ≥ 0 (Infinity allowed), or left out. */
const COUNTS = [
  "reconnectionAttempts",
  "reconnectionDelay",
  "reconnectionDelayMax",
  "timeout",
  "livenessGrace",
  "ackTimeout",
  "retries",
  "maxPackets",
  "maxBytes",
  "ttl",
] as const;

/** On/off options: a boolean, or left out. */
const SWITCHES = [
  "reconnection",
  "autoConnect",
  "closeOnPageHide",
  "closeOnBeforeunload",
  "forceBase64",
  "rejectUnauthorized",
  "upgrade",
  "rememberUpgrade",
  "tryAllTransports",
  "withCredentials",
  "timestampRequests",
  "autoUnref",
  "forceNew",
  "multiplex",
] as const;

const OVERFLOW_POLICIES = ["drop-oldest", "drop-newest", "reject"];

/** A TypeError saying what option `name` takes, and what it got. */
function invalid(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(
    `Wireline: option "${name}" must be ${expected}, got ${typeof value === "string" ? JSON.stringify(value) : typeof value === "function" ? "a function" : String(value)}.`,
  );
}

/** The TypeError for an `auth` option, or what its callback gave, that is no object. */
export const invalidAuth = (value: unknown) =>
  invalid("auth", "an object, or a function (callback) => callback(object)", value);

/**
 * Throws a TypeError naming the option and what it takes when an option has the wrong type
 * or range, so a typo'd value fails at `io()` rather than as odd timing later. Covers the
 * Manager's, the Socket's and the outbox's options; unknown names pass, as in socket.io-client.
 */
export function validateOptions(options: object | null): void {
  // io(url, "https://…") would take the string's letters as options.
  if (typeof options !== "object")
    throw new TypeError(
      `Wireline: options are an object such as { transports: ["websocket"] }, got ${typeof options}.`,
    );
  // null is no options, as socket.io-client takes it.
  const values = (options ?? {}) as Record<string, unknown>;
  for (const name of COUNTS) {
    const value = values[name];
    if (value === undefined || (typeof value === "number" && value >= 0)) continue;
    // socket.io-client's way to wait for the handshake without a limit.
    if (name === "timeout" && value === false) continue;
    throw invalid(name, "a number ≥ 0", value);
  }
  for (const name of SWITCHES) {
    const value = values[name];
    if (value !== undefined && typeof value !== "boolean")
      throw invalid(name, "true or false", value);
  }
  const factor = values.randomizationFactor;
  if (factor !== undefined && !(typeof factor === "number" && factor >= 0 && factor <= 1)) {
    throw invalid("randomizationFactor", "a number from 0 to 1", factor);
  }
  const overflow = values.overflow;
  if (overflow !== undefined && !OVERFLOW_POLICIES.includes(overflow as string)) {
    throw invalid("overflow", `one of ${OVERFLOW_POLICIES.join(", ")}`, overflow);
  }
  // Outbox options arrive with the rest through io(): checked before anything opens.
  const outbox = values.outbox as Record<string, unknown> | undefined;
  if (outbox !== undefined && typeof outbox?.enqueue !== "function") {
    if (typeof outbox !== "object" || outbox === null) {
      throw invalid("outbox", "outbox options ({ maxPackets, overflow, … }) or an Outbox", outbox);
    }
    validateOptions(outbox);
    validateStorage(outbox.storage);
  }
  const parser = values.parser as Record<string, unknown> | undefined;
  if (
    parser !== undefined &&
    (typeof parser?.Encoder !== "function" || typeof parser.Decoder !== "function")
  ) {
    throw invalid(
      "parser",
      'a parser module with Encoder and Decoder classes (import * as parser from "socket.io-msgpack-parser")',
      parser,
    );
  }
  const auth = values.auth;
  if (auth !== undefined && typeof auth !== "function" && !isRecord(auth)) {
    throw invalidAuth(auth);
  }
  if (values.path !== undefined && typeof values.path !== "string") {
    throw invalid("path", "a string", values.path);
  }
  if (values.transports !== undefined && !Array.isArray(values.transports)) {
    throw invalid("transports", "an array", values.transports);
  }
}

/**
 * Throws a TypeError unless `storage` (an outbox's `storage` option) is absent (undefined or
 * null) or a storage an outbox can use: one made by `defineOutboxStorage`.
 */
export function validateStorage(storage: unknown): void {
  if (storage != null && typeof (storage as { persist?: unknown }).persist !== "function") {
    throw invalid(
      "storage",
      "a storage made by indexedDbStorage(), memoryStorage() or defineOutboxStorage({ load, put, delete, clear })",
      storage,
    );
  }
}

/** Whether `value` can be a CONNECT packet's data: an object, not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
