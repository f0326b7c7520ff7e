import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Routes the requests `matches` accepts on `httpServer` to `handle`, and every other request to
 * the listeners the server had before, as engine.io does. Returns the function that undoes it.
 */
export function claimRequests(
  httpServer: HttpServer,
  matches: (request: IncomingMessage) => boolean,
  handle: RequestListener,
): () => void {
  const previous = httpServer.listeners("request").slice() as RequestListener[];
  httpServer.removeAllListeners("request");
  const onRequest: RequestListener = (request, response) => {
    if (matches(request)) handle(request, response);
    else for (const listener of previous) listener.call(httpServer, request, response);
  };
  httpServer.on("request", onRequest);
  return () => {
    httpServer.off("request", onRequest);
    for (const listener of previous) httpServer.on("request", listener);
  };
}

/** What a server this package created answers outside its paths, as socket.io's: 404. */
export function answerNotFound(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(404);
  response.end();
}
