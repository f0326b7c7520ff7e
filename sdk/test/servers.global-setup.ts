// Vitest global setup for the Chromium project: browser tests cannot start servers, so this
// starts a mock server and an official socket.io server in Node, each also with the
// socket.io-msgpack-parser parser, and hands their URLs over.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as MockServer } from "@wireline/mock-server";
import { Server as OfficialServer } from "socket.io";
import * as msgpackParser from "socket.io-msgpack-parser";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrls: Record<"mock-server" | "socket.io", string>;
    /** The same servers with `parser: socket.io-msgpack-parser`. */
    msgpackServerUrls: Record<"mock-server" | "socket.io", string>;
  }
}

/** The handlers every browser test may rely on. */
function registerHandlers(io: {
  on(event: "connection", listener: (socket: never) => void): unknown;
}) {
  io.on(
    "connection",
    (socket: {
      id: string;
      handshake: { auth: unknown };
      emit(event: string, ...args: unknown[]): unknown;
      on(event: string, listener: (...args: never[]) => void): unknown;
    }) => {
      socket.emit("welcome", { id: socket.id, auth: socket.handshake.auth });
      socket.on("echo", (...args: unknown[]) => {
        const ack = args.pop() as (...reply: unknown[]) => void;
        ack(...args);
      });
    },
  );
}

export default async function setup(project: TestProject) {
  const servers: Array<{ close(): Promise<void> }> = [];
  const urls = {} as Record<"mock-server" | "socket.io", string>;
  const msgpackUrls = {} as Record<"mock-server" | "socket.io", string>;
  const variants: Array<{ parser?: never; urls: typeof urls }> = [
    { urls },
    { parser: msgpackParser as never, urls: msgpackUrls },
  ];
  for (const kind of ["mock-server", "socket.io"] as const)
    for (const variant of variants) {
      const httpServer = createServer();
      const options = {
        cors: { origin: "*" },
        pingInterval: 1000,
        pingTimeout: 1000,
        ...(variant.parser ? { parser: variant.parser } : {}),
      };
      const io =
        kind === "mock-server"
          ? new MockServer(httpServer, options)
          : new OfficialServer(httpServer, options);
      registerHandlers(io as never);
      await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
      variant.urls[kind] = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
      servers.push({ close: () => new Promise<void>((resolve) => void io.close(() => resolve())) });
    }
  project.provide("serverUrls", urls);
  project.provide("msgpackServerUrls", msgpackUrls);
  return async () => {
    for (const server of servers) await server.close();
  };
}
