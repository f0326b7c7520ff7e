import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsSetting } from "./engine/cors.ts";
import { type FaultEndpointOptions, guardFaultRequest } from "./fault-endpoint-guard.ts";
import type { FaultAction, Faults } from "./faults.ts";

/** What decides who may use the endpoint: the server's `cors` and `faultEndpoint` options. */
export interface FaultEndpointAccess {
  cors?: CorsSetting;
  faultEndpoint?: FaultEndpointOptions;
}

/**
 * Answers one request to the HTTP fault endpoint `{path}__faults`: `POST` a JSON
 * {@link FaultAction} to apply it, `GET` the lasting faults in force, `OPTIONS` a browser's
 * preflight. Callers {@link guardFaultRequest} refuses get 403 and change nothing.
 */
export async function serveFaultRequest(
  faults: Faults,
  request: IncomingMessage,
  response: ServerResponse,
  access: FaultEndpointAccess,
): Promise<void> {
  const guard = await guardFaultRequest(request, access.cors, access.faultEndpoint);
  if (!guard.allowed) {
    // Nothing is parsed or applied: the body is drained unread.
    request.resume();
    response.writeHead(403, { "Content-Type": "application/json", Vary: "Origin" });
    response.end(JSON.stringify({ error: guard.message }));
    return;
  }
  const headers = { ...guard.headers, "Content-Type": "application/json" };
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, headers);
    response.end(JSON.stringify(body));
  };
  if (request.method === "OPTIONS") {
    response.writeHead(204, {
      ...headers,
      "Access-Control-Allow-Methods": "GET,POST",
      "Access-Control-Allow-Headers": "content-type",
    });
    response.end();
    return;
  }
  if (request.method === "GET") {
    reply(200, { active: faults.active() });
    return;
  }
  if (request.method !== "POST") {
    reply(405, {
      error: 'Wireline: POST a JSON fault request, e.g. {"action":"dropTransports"}',
    });
    return;
  }
  let body = "";
  let tooLarge = false;
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => {
    if (tooLarge) return;
    body += chunk;
    // A control request is a few dozen bytes; anything huge is a mistake, not a fault.
    if (body.length > 65_536) {
      tooLarge = true;
      body = "";
      reply(413, { error: "Wireline: a fault request is a small JSON object (64 KB at most)" });
    }
  });
  request.on("end", () => {
    if (tooLarge) return;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error(
          'Wireline: the fault request must be a JSON object like {"action":"clear"}',
        );
      faults.apply(parsed as FaultAction);
      reply(200, { ok: true, active: faults.active() });
    } catch (error) {
      reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
}
