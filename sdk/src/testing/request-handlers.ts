import { HttpResponse, http, type RequestHandler, type WebSocketHandler, ws } from "msw";
import type { ClientConnection, ConnectionRequest } from "./client-connection.ts";
import type { ResolvedOptions } from "./options.ts";
import { type PollingReply, PollingTransport } from "./polling-transport.ts";
import type { SessionTransport } from "./session-transport.ts";
import { WebSocketTransport } from "./websocket-transport.ts";

/** The MSW handlers of one mocked server: a WebSocket link and the polling GET/POST. */
export type MockSocketHandlers = Array<RequestHandler | WebSocketHandler>;

/** What the handlers need from the server: opening connections and finding them by session id. */
export interface ConnectionHost {
  open(transport: SessionTransport, request: ConnectionRequest, upgrades: string[]): void;
  find(sid: string): ClientConnection | undefined;
  /** The polling transport a session id answers on, until it has said its last word. */
  polling(sid: string): PollingTransport | undefined;
}

/** Engine.IO's errors for refused requests, as the `engine.io` package sends them. */
const ERRORS = {
  UNKNOWN_TRANSPORT: { code: 0, message: "Transport unknown" },
  UNKNOWN_SID: { code: 1, message: "Session ID unknown" },
  BAD_REQUEST: { code: 3, message: "Bad request" },
  UNSUPPORTED_PROTOCOL_VERSION: { code: 5, message: "Unsupported protocol version" },
} as const;

function refuse(error: { code: number; message: string }): Response {
  return HttpResponse.json(error, { status: 400 });
}

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

/** Creates the MSW handlers that route a mocked client's requests to `host`. */
export function createHandlers(options: ResolvedOptions, host: ConnectionHost): MockSocketHandlers {
  const canPoll = options.transports.has("polling");
  const canWebSocket = options.transports.has("websocket");
  const pollingUpgrades = canWebSocket && options.allowUpgrades ? ["websocket"] : [];

  /** Checks a polling request; returns its transport, or the refusal to answer with. */
  const route = (request: Request, method: "GET" | "POST"): PollingTransport | Response => {
    const query = new URL(request.url).searchParams;
    if (query.get("transport") !== "polling" || !canPoll) return refuse(ERRORS.UNKNOWN_TRANSPORT);
    if (query.get("EIO") !== "4") return refuse(ERRORS.UNSUPPORTED_PROTOCOL_VERSION);
    const sid = query.get("sid");
    if (!sid) {
      if (method === "POST") return refuse(ERRORS.BAD_REQUEST);
      const transport = new PollingTransport(options.maxPayload);
      host.open(transport, { url: request.url, headers: headersOf(request) }, pollingUpgrades);
      return transport;
    }
    return host.polling(sid) ?? refuse(ERRORS.UNKNOWN_SID);
  };

  const link = ws.link(options.webSocketUrl);
  return [
    link.addEventListener("connection", ({ client }) => {
      const query = client.url.searchParams;
      const sid = query.get("sid");
      const transport = new WebSocketTransport(client, options.maxPayload);
      if (!canWebSocket || query.get("EIO") !== "4" || query.get("transport") !== "websocket") {
        transport.drop();
        return;
      }
      if (!sid) {
        host.open(transport, { url: client.url.href, headers: {} }, []);
        return;
      }
      const connection = host.find(sid);
      if (!connection?.open || connection.transport.name !== "polling" || !options.allowUpgrades) {
        transport.drop();
        return;
      }
      connection.session.upgrade(transport);
    }),
    http.get(options.httpUrl, async ({ request }) => {
      const routed = route(request, "GET");
      return routed instanceof Response ? routed : toResponse(await routed.get());
    }),
    http.post(options.httpUrl, async ({ request }) => {
      const routed = route(request, "POST");
      return routed instanceof Response ? routed : toResponse(routed.post(await request.text()));
    }),
  ];
}
