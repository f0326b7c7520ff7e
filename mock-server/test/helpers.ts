// Servers the mock-server tests share: the bare echo engine and the socket.io reference setup.
import type { AddressInfo } from "node:net";
import type { Socket } from "socket.io-client";
import {
  type EngineServer,
  type EngineSocket,
  listen,
  Server,
  type ServerSocket,
} from "../src/index.ts";

/**
 * A bare Engine.IO server on a random port that echoes every message, with short heartbeats
 * and a 1,000-byte maxPayload. Resolves with it and its `http://…/engine.io/` URL.
 */
export async function startEchoEngine(
  options: Parameters<typeof listen>[1] = {},
): Promise<{ engine: EngineServer; base: string }> {
  let engine: EngineServer | undefined;
  await new Promise<void>((resolve) => {
    engine = listen(
      0,
      { pingInterval: 300, pingTimeout: 200, maxPayload: 1000, cors: { origin: "*" }, ...options },
      resolve,
    );
  });
  const started = engine!;
  started.on("connection", (socket: EngineSocket) =>
    socket.on("data", (data: unknown) => socket.send(data as string)),
  );
  const { port } = started.httpServer!.address() as AddressInfo;
  return { engine: started, base: `http://127.0.0.1:${port}/engine.io/` };
}

/** The reference setup an existing socket.io script uses, run with only its import changed. */
export function referenceServer(): Server {
  const io = new Server(0, {
    pingInterval: 300,
    pingTimeout: 200,
    maxHttpBufferSize: 1e6,
    connectTimeout: 1000,
    cors: { origin: "*" },
  });
  io.on("connection", (socket: ServerSocket) => {
    socket.emit("auth", socket.handshake.auth);
    socket.on("message", (...args: unknown[]) => socket.emit("message-back", ...args));
    socket.on("message-with-ack", (...args: unknown[]) => {
      const ack = args.pop() as (...reply: unknown[]) => void;
      ack(...args);
    });
  });
  io.of("/custom").on("connection", (socket: ServerSocket) =>
    socket.emit("auth", socket.handshake.auth),
  );
  return io;
}

/** The port `io` listens on, once it does. */
export async function listeningPort(io: Server): Promise<number> {
  const httpServer = io.httpServer!;
  if (!httpServer.listening) await new Promise((resolve) => httpServer.once("listening", resolve));
  return (httpServer.address() as AddressInfo).port;
}

/** Resolves once a socket.io-client socket has connected. */
export const connected = (socket: Socket) =>
  new Promise<void>((resolve) => socket.once("connect", () => resolve()));

/**
 * Records the process's uncaught exceptions while `run` runs (a server must survive what a
 * peer does to its sockets) and resolves with them.
 */
export async function uncaughtDuring(run: () => Promise<void>): Promise<unknown[]> {
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  process.on("uncaughtExceptionMonitor", record);
  try {
    await run();
  } finally {
    process.off("uncaughtExceptionMonitor", record);
  }
  return uncaught;
}

/** A WebSocket handshake request for `path`, as raw HTTP for a TCP socket to write. */
export function upgradeRequest(path = "/socket.io/?EIO=4&transport=websocket"): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
  );
}

/**
 * Runs `run` with the process's uncaught exceptions and unhandled rejections recorded instead of
 * failing the test run (the server reports an app's bug as uncaught, as socket.io does), and
 * resolves with them as `"uncaughtException: message"` or `"unhandledRejection: message"`.
 */
export async function reportedDuring(run: () => Promise<void>): Promise<string[]> {
  const reported: string[] = [];
  const record = (kind: string) => (error: unknown) =>
    reported.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
  const exceptionRunners = process.listeners("uncaughtException");
  const rejectionRunners = process.listeners("unhandledRejection");
  process.removeAllListeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  process.on("uncaughtException", record("uncaughtException"));
  process.on("unhandledRejection", record("unhandledRejection"));
  try {
    await run();
    // What a microtask or the next tick reports belongs to `run` too.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.removeAllListeners("uncaughtException");
    process.removeAllListeners("unhandledRejection");
    for (const listener of exceptionRunners) process.on("uncaughtException", listener);
    for (const listener of rejectionRunners) process.on("unhandledRejection", listener);
  }
  return reported;
}
