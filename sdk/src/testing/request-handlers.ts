import { HttpResponse, http, type RequestHandler, type WebSocketHandler, ws } from "msw";
import { ENGINE_ERRORS, type EngineError } from "../server-core/engine-errors.ts";
import type { ClientConnection, ConnectionRequest } from "./client-connection.ts";
import { type EngineConnectionError, type EngineRequest, engineRequest } from "./mock-engine.ts";
import type { ResolvedOptions } from "./options.ts";
import { type PollingReply, PollingTransport } from "./polling-transport.ts";
import type { SessionTransport } from "./session-transport.ts";
import { WebSocketTransport } from "./websocket-transport.ts";

/** The MSW handlers of one mocked server: a WebSocket link and the polling GET/POST. */
export type MockSocketHandlers = Array<RequestHandler | WebSocketHandler>;

/** What the handlers need from the server: opening connections and finding them by session id. */
export interface ConnectionHost {
  /** The id of a new connection (engine.io's `generateId`); may throw or reject to refuse it. */
  generateId(request: EngineRequest): string | PromiseLike<string>;
  open(
    id: string,
    transport: SessionTransport,
    request: ConnectionRequest,
    upgrades: string[],
  ): void;
  find(sid: string): ClientConnection | undefined;
  /** The polling transport a session id answers on, until it has said its last word. */
  polling(sid: string): PollingTransport | undefined;
  /** A request was refused (engine.io's `connection_error`). */
  refused(error: EngineConnectionError): void;
}

/** What was wrong with a refused request, as engine.io's `connection_error` context. */
type ErrorContext = Record<string, unknown>;

function toResponse(reply: PollingReply): Response {
  if ("networkError" in reply) return HttpResponse.error();
  const type = reply.status === 200 ? "text/plain; charset=UTF-8" : "application/json";
  return new HttpResponse(reply.body, { status: reply.status, headers: { "Content-Type": type } });
}

function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return headers;
}

/** The protocol revision a request asks for, as engine.io reads it: 4, or else 3. */
function protocolOf(query: URLSearchParams): number {
  return query.get("EIO") === "4" ? 4 : 3;
}

/** Creates the MSW handlers that route a mocked client's requests to `host`. */
export function createHandlers(options: ResolvedOptions, host: ConnectionHost): MockSocketHandlers {
  const canPoll = options.transports.has("polling");
  const canWebSocket = options.transports.has("websocket");
  const pollingUpgrades = canWebSocket && options.allowUpgrades ? ["websocket"] : [];

  /** Reports a refused request as engine.io's `connection_error`. */
  const report = (request: ConnectionRequest, error: EngineError, context: ErrorContext): void =>
    host.refused({ req: engineRequest(request), ...error, context });
  /** Whether the server takes this transport at all (engine.io's `transports` option). */
  const allows = (name: string | undefined) =>
    name === "polling" ? canPoll : name === "websocket" && canWebSocket;

  /**
   * engine.io's `allowRequest` verdict on a handshake: undefined lets it through, else the
   * refusal's context (`{ message }`, the message the callback gave).
   */
  const admit = (request: ConnectionRequest): Promise<ErrorContext | undefined> => {
    const allowRequest = options.allowRequest;
    if (!allowRequest) return Promise.resolve(undefined);
    return new Promise((resolve) =>
      allowRequest(engineRequest(request), (message, success) =>
        resolve(success ? undefined : { message }),
      ),
    );
  };

  /** The new connection's id, or the error that refuses it (engine.io awaits it, as here). */
  const idFor = async (
    request: ConnectionRequest,
  ): Promise<{ id: string } | { error: EngineError; context: ErrorContext }> => {
    try {
      return { id: await host.generateId(engineRequest(request)) };
    } catch (error) {
      return { error: ENGINE_ERRORS.BAD_REQUEST, context: { name: "ID_GENERATION_ERROR", error } };
    }
  };

  /**
   * Checks a polling request in engine.io's order; returns its transport, or the refusal to
   * answer with (reported as a `connection_error`).
   */
  const route = async (
    request: Request,
    method: "GET" | "POST",
  ): Promise<PollingTransport | Response> => {
    const seen: ConnectionRequest = { method, url: request.url, headers: headersOf(request) };
    const refuse = (error: EngineError, context: ErrorContext): Response => {
      report(seen, error, context);
      // As engine.io: a refusal's own message, if any, is the answer's; "Forbidden" is a 403.
      const message = context.message ? context.message : error.message;
      const status = error.code === ENGINE_ERRORS.FORBIDDEN.code ? 403 : 400;
      return HttpResponse.json({ code: error.code, message }, { status });
    };
    const query = new URL(request.url).searchParams;
    const transportName = query.get("transport") ?? undefined;
    if (transportName !== "polling" || !allows(transportName))
      return refuse(ENGINE_ERRORS.UNKNOWN_TRANSPORT, { transport: transportName });
    const protocol = protocolOf(query);
    const sid = query.get("sid");
    if (sid) {
      const transport = host.polling(sid);
      if (!transport) return refuse(ENGINE_ERRORS.UNKNOWN_SID, { sid });
      if (protocol !== 4) {
        return refuse(ENGINE_ERRORS.BAD_REQUEST, {
          name: "PROTOCOL_MISMATCH",
          protocol,
          previousProtocol: 4,
        });
      }
      return transport;
    }
    if (method !== "GET") return refuse(ENGINE_ERRORS.BAD_HANDSHAKE_METHOD, { method });
    const refusal = await admit(seen);
    if (refusal) return refuse(ENGINE_ERRORS.FORBIDDEN, refusal);
    if (protocol !== 4) return refuse(ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION, { protocol });
    const outcome = await idFor(seen);
    if ("error" in outcome) return refuse(outcome.error, outcome.context);
    // The client may have left while its handshake was decided: no session for no one (it
    // would outlive a reset() and count among the next test's clients).
    if (request.signal.aborted) return new Response(null, { status: 400 });
    const transport = new PollingTransport(options.maxPayload);
    host.open(outcome.id, transport, seen, pollingUpgrades);
    return transport;
  };

  const link = ws.link(options.webSocketUrl);
  return [
    link.addEventListener("connection", async ({ client }) => {
      const seen: ConnectionRequest = { method: "GET", url: client.url.href, headers: {} };
      const transport = new WebSocketTransport(client, options.maxPayload);
      const refuse = (error: EngineError, context: ErrorContext): void => {
        report(seen, error, context);
        transport.drop();
      };
      const query = client.url.searchParams;
      const transportName = query.get("transport") ?? undefined;
      if (!allows(transportName))
        return refuse(ENGINE_ERRORS.UNKNOWN_TRANSPORT, { transport: transportName });
      const sid = query.get("sid");
      if (!sid) {
        // engine.io asks before it looks further at a WebSocket handshake.
        const refusal = await admit(seen);
        if (refusal) return refuse(ENGINE_ERRORS.FORBIDDEN, refusal);
      }
      // A WebSocket asking for polling: engine.io closes it without a word.
      if (transportName !== "websocket") return transport.drop();
      const protocol = protocolOf(query);
      if (sid) {
        const connection = host.find(sid);
        if (!connection) return refuse(ENGINE_ERRORS.UNKNOWN_SID, { sid });
        if (protocol !== 4) {
          return refuse(ENGINE_ERRORS.BAD_REQUEST, {
            name: "PROTOCOL_MISMATCH",
            protocol,
            previousProtocol: 4,
          });
        }
        // An upgrade engine.io would not start (no longer polling, or upgrades off): closed silently.
        if (!connection.open || connection.transport.name !== "polling" || !options.allowUpgrades)
          return transport.drop();
        connection.session.upgrade(transport);
        return;
      }
      if (protocol !== 4) return refuse(ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION, { protocol });
      const outcome = await idFor(seen);
      if ("error" in outcome) return refuse(outcome.error, outcome.context);
      // The client may have left while its id was being made.
      if (!transport.writable) return;
      host.open(outcome.id, transport, seen, []);
    }),
    http.get(options.httpUrl, async ({ request }) => {
      const routed = await route(request, "GET");
      return routed instanceof Response ? routed : toResponse(await routed.get());
    }),
    http.post(options.httpUrl, async ({ request }) => {
      const routed = await route(request, "POST");
      return routed instanceof Response ? routed : toResponse(routed.post(await request.text()));
    }),
  ];
}
