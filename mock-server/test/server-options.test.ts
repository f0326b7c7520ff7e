import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { EngineServer, Server, type ServerOptions } from "../src/index.ts";

// `new Server(options)` checks its options up front: a wrong one fails at once with its name and
// what it takes, not later as broken heartbeats, refused handshakes or timers that fire at once.

describe("new Server options", () => {
  it.each([
    ["pingInterval", Number.NaN, "a number of ms from 1 to 2147483647"],
    ["pingInterval", -1, "a number of ms from 1 to 2147483647"],
    ["pingInterval", "25000", "a number of ms from 1 to 2147483647"],
    ["pingInterval", 2 ** 31, "a number of ms from 1 to 2147483647"],
    ["pingTimeout", Number.POSITIVE_INFINITY, "a number of ms from 0 to 2147483647"],
    ["pingTimeout", -5, "a number of ms from 0 to 2147483647"],
    ["connectTimeout", Number.NaN, "a number of ms from 0 to 2147483647"],
    ["connectTimeout", Number.POSITIVE_INFINITY, "a number of ms from 0 to 2147483647"],
    ["connectTimeout", -1, "a number of ms from 0 to 2147483647"],
    ["destroyUpgradeTimeout", Number.NaN, "a number of ms from 0 to 2147483647"],
    ["maxHttpBufferSize", -1, "a number of bytes >= 0"],
    ["maxHttpBufferSize", Number.NaN, "a number of bytes >= 0"],
    ["transports", "websocket", 'a non-empty array of "polling" and "websocket"'],
    ["transports", ["websockets"], 'a non-empty array of "polling" and "websocket"'],
    ["transports", [], 'a non-empty array of "polling" and "websocket"'],
    ["path", "socket.io", 'a path starting with "/", e.g. "/socket.io"'],
    ["allowRequest", "yes", "a function (request, callback) => void"],
  ])("refuses %s: %o, saying what it takes", (name, value, takes) => {
    const options = { [name]: value } as ServerOptions;
    expect(() => new Server(options)).toThrow(TypeError);
    expect(() => new Server(options)).toThrow(`Wireline: the "${name}" option takes ${takes}, got`);
  });

  it("refuses a connectionStateRecovery.maxDisconnectionDuration that is not a number of ms", () => {
    expect(
      () => new Server({ connectionStateRecovery: { maxDisconnectionDuration: Number.NaN } }),
    ).toThrow(
      'Wireline: the "connectionStateRecovery.maxDisconnectionDuration" option takes a number of ms >= 0, got NaN.',
    );
  });

  it("shows a string as a string, so a quoted number reads as what it is", () => {
    expect(() => new Server({ pingInterval: "25000" as never })).toThrow('got "25000".');
  });

  it("checks the Engine.IO server's own options too", () => {
    expect(() => new EngineServer({ pingTimeout: -1 })).toThrow('the "pingTimeout" option');
  });

  it("takes good values, and option names it does not know", async () => {
    const io = new Server({
      pingInterval: 1,
      pingTimeout: 0,
      connectTimeout: 2 ** 31 - 1,
      maxHttpBufferSize: Number.POSITIVE_INFINITY,
      transports: ["websocket"],
      path: "/custom",
      connectionStateRecovery: { maxDisconnectionDuration: 0 },
      allowRequest: (_request, callback) => callback(null, true),
      someOtherOption: true,
    } as ServerOptions);
    await io.close();
  });
});

describe("a closed server", () => {
  it("refuses to listen or attach again, saying to make a new one", async () => {
    const io = new Server(0);
    await io.close();
    expect(() => io.listen(0)).toThrow(/this server was closed; make a new Server/);
    const httpServer = createServer();
    expect(() => io.attach(httpServer)).toThrow(/this server was closed/);
    expect(httpServer.listening).toBe(false);
  });
});
