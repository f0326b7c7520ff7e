import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { type CorsSetting, decideCors } from "./engine/cors.ts";

/**
 * Who may use the HTTP fault endpoint (`{path}__faults`) besides the callers allowed by default:
 * requests without an `Origin` (Node's `fetch`, curl, Playwright's `request`), pages of the
 * server's own origin, and pages on a loopback origin (`localhost`, `*.localhost`, `127.x.x.x`,
 * `[::1]`) or on the server's own host name that the `cors` option allows.
 *
 * @example
 * new Server(3000, { faultEndpoint: { allowedOrigins: ["https://dev.example.test"], allowedHosts: ["dev.example.test"] } });
 */
export interface FaultEndpointOptions {
  /**
   * More page origins that may use the endpoint (exact strings, or RegExps tested on the origin).
   * Default: none.
   */
  allowedOrigins?: Array<string | RegExp>;
  /**
   * More `Host` names the endpoint answers (a name behind which this machine is reached), or
   * `true` for any. Default: none, so only `localhost`, `*.localhost` and IP addresses, which a
   * DNS rebinding attack cannot use.
   */
  allowedHosts?: string[] | true;
}

/** What the guard decided for one request to the fault endpoint. */
export type FaultEndpointDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; message: string };

/**
 * Decides whether a request to the fault endpoint may go on. A web page the developer visits
 * must not inject faults into, or read the state of, a mock server on their machine: requests
 * whose `Host` is a name other than a loopback one (DNS rebinding) or whose `Origin` is not
 * allowed (cross-site requests) are refused. Browsers send `Origin` with every POST, so a page
 * cannot hide it; requests without one come from programs, which the browser's rules do not
 * concern. An allowed cross-origin request gets `Access-Control-Allow-Origin` with its origin.
 */
export async function guardFaultRequest(
  request: IncomingMessage,
  cors: CorsSetting | undefined,
  options: FaultEndpointOptions = {},
): Promise<FaultEndpointDecision> {
  // Answers depend on the Origin: a cache must not hand one origin's answer to another.
  const headers: Record<string, string> = { Vary: "Origin" };
  const host = request.headers.host;
  if (host !== undefined && !hostAllowed(host, options.allowedHosts)) {
    return {
      allowed: false,
      message: `Wireline: the fault endpoint refuses requests for host ${JSON.stringify(host)}: it answers only localhost, *.localhost and IP addresses, so that a web page cannot reach it through DNS rebinding. To reach it by this name, pass new Server(…, { faultEndpoint: { allowedHosts: [${JSON.stringify(hostnameOf(host))}] } })`,
    };
  }
  const origin = request.headers.origin;
  if (origin === undefined) return { allowed: true, headers };
  if (await originAllowed(origin, request, cors, options.allowedOrigins ?? [])) {
    headers["Access-Control-Allow-Origin"] = origin;
    return { allowed: true, headers };
  }
  return {
    allowed: false,
    message: `Wireline: the fault endpoint refuses requests from origin ${JSON.stringify(origin)}: only the server's own origin and loopback origins (localhost, 127.0.0.1, [::1]) that the cors option allows may inject faults, so that a web page you visit cannot. To allow this one, pass new Server(…, { faultEndpoint: { allowedOrigins: [${JSON.stringify(origin)}] } })`,
  };
}

async function originAllowed(
  origin: string,
  request: IncomingMessage,
  cors: CorsSetting | undefined,
  allowedOrigins: Array<string | RegExp>,
): Promise<boolean> {
  if (
    allowedOrigins.some((allowed) =>
      allowed instanceof RegExp ? allowed.test(origin) : allowed === origin,
    )
  )
    return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    // "null" (a sandboxed frame, a file: page) and anything malformed: no one to trust.
    return false;
  }
  const scheme = (request.socket as { encrypted?: boolean }).encrypted ? "https:" : "http:";
  const host = request.headers.host?.toLowerCase();
  // Same origin: the Host was checked already, so this is the server's own page.
  if (host !== undefined && url.protocol === scheme && url.host === host) return true;
  // A page on this machine (loopback, or the very host name the request used) that the cors
  // option lets talk to the Socket.IO endpoint may drive the faults too, as in the e2e suites.
  const sameMachine =
    isLoopback(url.hostname) || (host !== undefined && url.hostname === hostnameOf(host));
  if (!sameMachine) return false;
  const decision = await decideCors(cors, request);
  if (decision.kind !== "headers") return false;
  const allowed = decision.headers["Access-Control-Allow-Origin"];
  return allowed === "*" || allowed === origin;
}

/** The host name of a `Host` header (no port, no IPv6 brackets, no trailing dot), lowercased. */
function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  const name = lower.startsWith("[") ? lower.slice(1, lower.indexOf("]")) : lower.split(":")[0]!;
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

function hostAllowed(host: string, allowedHosts: string[] | true | undefined): boolean {
  if (allowedHosts === true) return true;
  const name = hostnameOf(host);
  // An IP address cannot be rebound: only a name resolves to whatever its owner likes.
  if (isIP(name) !== 0 || name === "localhost" || name.endsWith(".localhost")) return true;
  return (allowedHosts ?? []).some((allowed) => allowed.toLowerCase() === name);
}

/** Whether a URL's host name is this machine's loopback. */
function isLoopback(hostname: string): boolean {
  const name = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  if (name === "localhost" || name.endsWith(".localhost") || name === "::1") return true;
  return isIP(name) === 4 && name.startsWith("127.");
}
