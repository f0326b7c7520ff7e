import type { Server } from "./server.ts";

/**
 * The scenario the CLI runs when given none: echo `message` back as `message-back`,
 * acknowledge `message-with-ack` with its arguments, and relay `chat` to everyone.
 */
export function demoScenario(io: Server): void {
  io.on("connection", (socket) => {
    socket.emit("auth", socket.handshake.auth);
    socket.on("message", (...args: unknown[]) => socket.emit("message-back", ...args));
    socket.on("message-with-ack", (...args: unknown[]) => {
      const ack = args.pop();
      if (typeof ack === "function") ack(...args);
    });
    socket.on("chat", (text: unknown) => io.emit("chat", text));
  });
  io.of("/custom").on("connection", (socket) => socket.emit("auth", socket.handshake.auth));
}
