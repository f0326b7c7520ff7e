import type { IncomingMessage } from "node:http";

/** An origin a `cors` option allows: as the `cors` package takes it. */
export type CorsOrigin = boolean | string | RegExp | Array<string | RegExp>;

/** The `cors` option of a server, the subset of the `cors` package's options socket.io users set. */
export interface CorsOptions {
  /**
   * Which origins may call: `"*"` (default) any, a string that one origin (sent as is, whatever
   * the request's), an array or RegExp of the origins to reflect, `true` any (reflected), or the
   * `cors` package's function `(origin, callback) => callback(error, allowed)`. A falsy result
   * turns CORS off for that request.
   */
  origin?:
    | CorsOrigin
    | ((
        origin: string | undefined,
        callback: (error: Error | null, allow?: CorsOrigin) => void,
      ) => void);
  /** Sends `Access-Control-Allow-Credentials: true`. Default false. */
  credentials?: boolean;
}

/**
 * What the `cors` package, which engine.io runs on every request when the `cors` option is set,
 * decides for a request: the headers to add (`Vary` joined into one), whether it is on at all
 * (an origin function that answers a falsy origin turns it off, so an OPTIONS request then goes
 * on to engine.io's own checks), or an error (the origin function failed: engine.io answers 400).
 */
export type CorsDecision =
  | { kind: "off" }
  | { kind: "headers"; headers: Record<string, string> }
  | { kind: "error" };

/** The methods a preflight allows, the `cors` package's default. */
const PREFLIGHT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";

/**
 * Computes the CORS headers the `cors` package would set for `request` with `options`
 * (undefined: no `cors` option, so no CORS handling). A preflight (any OPTIONS request) also
 * gets the allowed methods and the requested headers reflected.
 */
export async function decideCors(
  options: CorsOptions | undefined,
  request: IncomingMessage,
): Promise<CorsDecision> {
  if (!options) return { kind: "off" };
  const requestOrigin = request.headers.origin;
  let origin: CorsOrigin | undefined = "*";
  if (typeof options.origin === "function") {
    const ask = options.origin;
    // A function that throws (say, on a request without Origin) fails like one that reports an
    // error, as in engine.io's middleware chain.
    const answer = await new Promise<{ error: Error | null; allow?: CorsOrigin }>((resolve) =>
      ask(requestOrigin, (error, allow) => resolve({ error, allow })),
    ).catch((error: unknown) => ({ error: error as Error, allow: undefined }));
    if (answer.error) return { kind: "error" };
    origin = answer.allow;
  } else if (options.origin !== undefined) {
    origin = options.origin;
  }
  if (!origin) return { kind: "off" };

  const headers: Record<string, string> = {};
  const vary: string[] = [];
  if (origin === "*") headers["Access-Control-Allow-Origin"] = "*";
  else if (typeof origin === "string") {
    // A fixed origin is sent whatever the request's: the browser compares it.
    headers["Access-Control-Allow-Origin"] = origin;
    vary.push("Origin");
  } else {
    if (requestOrigin !== undefined && originAllowed(requestOrigin, origin))
      headers["Access-Control-Allow-Origin"] = requestOrigin;
    vary.push("Origin");
  }
  if (options.credentials === true) headers["Access-Control-Allow-Credentials"] = "true";
  if (request.method?.toUpperCase() === "OPTIONS") {
    headers["Access-Control-Allow-Methods"] = PREFLIGHT_METHODS;
    vary.push("Access-Control-Request-Headers");
    const requested = request.headers["access-control-request-headers"];
    if (requested) headers["Access-Control-Allow-Headers"] = requested;
  }
  if (vary.length > 0) headers.Vary = vary.join(", ");
  return { kind: "headers", headers };
}

/** Whether `origin` matches a `cors` origin value (string, RegExp, array of them, or a boolean). */
export function originAllowed(origin: string, allowed: CorsOrigin): boolean {
  if (Array.isArray(allowed)) return allowed.some((one) => originAllowed(origin, one));
  if (typeof allowed === "string") return origin === allowed;
  if (allowed instanceof RegExp) return allowed.test(origin);
  return allowed;
}
