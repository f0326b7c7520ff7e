import type { IncomingMessage } from "node:http";

/** An origin a `cors` option allows: as the `cors` package takes it. */
export type CorsOrigin = boolean | string | RegExp | Array<boolean | string | RegExp>;

/** The `cors` option of a server: the `cors` package's options, which engine.io hands it. */
export interface CorsOptions {
  /**
   * Which origins may call: `"*"` (default) any, a string that one origin (sent as is, whatever
   * the request's), an array or RegExp of the origins to reflect, `true` any (reflected), or the
   * `cors` package's function `(origin, callback) => callback(error, allowed)`. A falsy value or
   * result turns CORS off for that request.
   */
  origin?:
    | CorsOrigin
    | ((
        origin: string | undefined,
        callback: (error: Error | null, allow?: CorsOrigin) => void,
      ) => void)
    | undefined;
  /** `Access-Control-Allow-Methods` of a preflight. Default `"GET,HEAD,PUT,PATCH,POST,DELETE"`. */
  methods?: string | string[] | undefined;
  /**
   * `Access-Control-Allow-Headers` of a preflight. Default: the request's
   * `Access-Control-Request-Headers`, reflected (with `Vary: Access-Control-Request-Headers`).
   */
  allowedHeaders?: string | string[] | undefined;
  /** Alias of `allowedHeaders`, as the `cors` package reads it. */
  headers?: string | string[] | undefined;
  /** `Access-Control-Expose-Headers`, on every answer. Default: none. */
  exposedHeaders?: string | string[] | undefined;
  /** Sends `Access-Control-Allow-Credentials: true`. Default false. */
  credentials?: boolean | undefined;
  /** `Access-Control-Max-Age` of a preflight, seconds. Default: none. */
  maxAge?: number | undefined;
  /**
   * Lets a preflight go on to engine.io's own checks (a handshake that is not a GET: 400 code 2;
   * on a session, 500) instead of answering it at once. Default false.
   */
  preflightContinue?: boolean | undefined;
  /** Status of the answer to a preflight. Default 204. */
  optionsSuccessStatus?: number | undefined;
}

/** The `cors` package's options callback: picks the options per request. */
export type CorsOptionsDelegate = (
  request: IncomingMessage,
  callback: (error: Error | null, options?: CorsOptions) => void,
) => void;

/** The `cors` option: the options, or a function that picks them per request. */
export type CorsSetting = CorsOptions | CorsOptionsDelegate;

/**
 * What the `cors` package, which engine.io runs on every request when the `cors` option is set,
 * decides for a request: the headers to add (`Vary` joined into one), whether it is on at all
 * (an origin that is or turns out falsy turns it off, so an OPTIONS request then goes on to
 * engine.io's own checks), or an error (an options or origin callback failed, or `methods` is
 * missing from a preflight: engine.io answers 400). `endWith` is the status the `cors` package
 * ends a preflight with itself, unset when the request goes on.
 */
export type CorsDecision =
  | { kind: "off" }
  | { kind: "headers"; headers: Record<string, string>; endWith?: number }
  | { kind: "error" };

/** The `cors` package's defaults, which the given options override key by key. */
const DEFAULTS: CorsOptions = {
  origin: "*",
  methods: "GET,HEAD,PUT,PATCH,POST,DELETE",
  preflightContinue: false,
  optionsSuccessStatus: 204,
};

/** Resolves what a callback-style function of the `cors` package answers; a throw is a failure. */
function ask<T>(call: (callback: (error: Error | null, value?: T) => void) => void) {
  return new Promise<{ error: Error | null; value?: T }>((resolve) =>
    call((error, value) => resolve({ error, value })),
  ).catch((error: unknown) => ({ error: error as Error, value: undefined }));
}

/**
 * Computes the CORS headers the `cors` package would set for `request` with `setting`
 * (undefined: no `cors` option, so no CORS handling). An OPTIONS request, a preflight, also
 * gets the allowed methods and headers, and the max age.
 */
export async function decideCors(
  setting: CorsSetting | undefined,
  request: IncomingMessage,
): Promise<CorsDecision> {
  if (!setting) return { kind: "off" };
  let given: CorsOptions | undefined = setting as CorsOptions;
  if (typeof setting === "function") {
    const answer = await ask<CorsOptions>((callback) => setting(request, callback));
    if (answer.error) return { kind: "error" };
    given = answer.value;
  }
  // Keys given as undefined override the defaults too, as Object.assign does in the package.
  const options: CorsOptions = { ...DEFAULTS, ...given };
  const requestOrigin = request.headers.origin;
  let origin: CorsOrigin | undefined;
  if (typeof options.origin === "function") {
    const pick = options.origin;
    // A function that throws (say, on a request without Origin) fails like one that reports an
    // error, as in engine.io's middleware chain.
    const answer = await ask<CorsOrigin>((callback) => pick(requestOrigin, callback));
    if (answer.error) return { kind: "error" };
    origin = answer.value;
  } else {
    origin = options.origin;
  }
  if (!origin) return { kind: "off" };

  const headers: Record<string, string> = {};
  const vary: string[] = [];
  const set = (name: string, value: string | undefined) => {
    if (value) headers[name] = value;
  };
  if (origin === "*") set("Access-Control-Allow-Origin", "*");
  else if (typeof origin === "string") {
    // A fixed origin is sent whatever the request's: the browser compares it.
    set("Access-Control-Allow-Origin", origin);
    vary.push("Origin");
  } else {
    if (requestOrigin !== undefined && originAllowed(requestOrigin, origin))
      set("Access-Control-Allow-Origin", requestOrigin);
    vary.push("Origin");
  }
  if (options.credentials === true) set("Access-Control-Allow-Credentials", "true");
  const preflight = request.method?.toUpperCase() === "OPTIONS";
  if (preflight) {
    // The package joins whatever it is given; with none at all it throws, which fails the request.
    if (options.methods === undefined || options.methods === null) return { kind: "error" };
    set("Access-Control-Allow-Methods", joined(options.methods));
    const allowed = options.allowedHeaders || options.headers;
    if (allowed) set("Access-Control-Allow-Headers", joined(allowed));
    else {
      set("Access-Control-Allow-Headers", request.headers["access-control-request-headers"]);
      vary.push("Access-Control-Request-Headers");
    }
    const { maxAge } = options;
    if (typeof maxAge === "number" || maxAge) set("Access-Control-Max-Age", String(maxAge));
  }
  if (options.exposedHeaders) set("Access-Control-Expose-Headers", joined(options.exposedHeaders));
  if (vary.length > 0) headers.Vary = vary.join(", ");
  if (preflight && !options.preflightContinue)
    return { kind: "headers", headers, endWith: options.optionsSuccessStatus ?? 204 };
  return { kind: "headers", headers };
}

/** A header list as the `cors` package writes it: an array joined with bare commas. */
function joined(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.join(",");
  return value ? String(value) : undefined;
}

/** Whether `origin` matches a `cors` origin value (string, RegExp, array of them, or a boolean). */
export function originAllowed(origin: string, allowed: CorsOrigin): boolean {
  if (Array.isArray(allowed)) return allowed.some((one) => originAllowed(origin, one));
  if (typeof allowed === "string") return origin === allowed;
  if (allowed instanceof RegExp) return allowed.test(origin);
  return allowed;
}
