import { createServer, type Server as HttpServer } from "node:http";
import { EngineServer, type EngineServerOptions } from "./engine-server.ts";

/**
 * Attaches a bare Engine.IO server to `httpServer`, like the `engine.io` package's `attach`.
 * Default path "/engine.io/".
 */
export function attach(httpServer: HttpServer, options: EngineServerOptions = {}): EngineServer {
  return new EngineServer(options).attach(httpServer);
}

/**
 * Starts an HTTP server on `port` with a bare Engine.IO server, like the `engine.io`
 * package's `listen`. Other paths answer 501.
 *
 * @example
 * const engine = listen(3000, { pingInterval: 300 });
 * engine.on("connection", (socket) => socket.on("data", (data) => socket.send(data)));
 */
export function listen(
  port: number,
  options: EngineServerOptions = {},
  callback?: () => void,
): EngineServer {
  const httpServer = createServer((_request, response) => {
    response.writeHead(501);
    response.end("Not Implemented");
  });
  const engine = attach(httpServer, options);
  engine.once("closed", () => httpServer.close());
  httpServer.listen(port, callback);
  engine.httpServer = httpServer;
  return engine;
}
