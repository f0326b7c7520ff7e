import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "@wireline/mock-server";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { io, type Socket } from "../../index.ts";
import { attachEventLog, type ConsoleLike, logToConsole } from "../index.ts";

let server: Server | undefined;
const sockets: Socket[] = [];
const stops: Array<() => void> = [];

async function start(): Promise<string> {
  const http = createServer();
  server = new Server(http);
  server.on("connection", (socket: ServerSocket) => {
    socket.on("echo", (text: string, ack: (reply: string) => void) => ack(text));
    socket.on("ignore", () => {});
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function connect(url: string): Socket {
  const socket = io(url, { forceNew: true, WebSocket, autoConnect: false });
  sockets.push(socket);
  return socket;
}

/** A console that keeps what it is given, by level: each call's line and extra arguments. */
function recordingConsole() {
  const lines = { debug: [] as unknown[][], warn: [] as unknown[][] };
  const sink: ConsoleLike = {
    debug: (...args: unknown[]) => lines.debug.push(args),
    warn: (...args: unknown[]) => lines.warn.push(args),
  };
  const text = (level: "debug" | "warn") => lines[level].map((args) => String(args[0]));
  return { sink, lines, text };
}

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

describe("logToConsole", () => {
  it("prints each entry as one readable line, with the payload as an expandable argument", async () => {
    const socket = connect(await start());
    const { sink, lines, text } = recordingConsole();
    stops.push(logToConsole(socket, { console: sink }));
    socket.connect();
    expect(await socket.emitWithAck("echo", "hi")).toBe("hi");

    const debug = text("debug");
    expect(debug.every((line) => /^\[wireline\] \d\d:\d\d:\d\d\.\d{3} /.test(line))).toBe(true);
    expect(debug.some((line) => line.includes("→ connected"))).toBe(true);
    const sent = lines.debug.find((args) => String(args[0]).includes('↑ EVENT / "echo"'));
    expect(sent?.[1]).toEqual(["hi"]);
    expect(debug.some((line) => /↓ ack \/ server acked "echo" #0 after \d+ ms/.test(line))).toBe(
      true,
    );
    expect(lines.warn).toEqual([]);
  });

  it("prints what went wrong as warnings", async () => {
    const socket = connect(await start());
    const { sink, text } = recordingConsole();
    stops.push(logToConsole(socket, { console: sink }));
    socket.connect();
    await expect(socket.timeout(30).emitWithAck("ignore")).rejects.toThrow(
      "operation has timed out",
    );
    await expect
      .poll(() => text("warn"))
      .toEqual([expect.stringMatching(/ack \/ timed out: no reply to "ignore" #0 after \d+ ms$/)]);
  });

  it("prints only the kinds asked for, under the prefix given", async () => {
    const socket = connect(await start());
    const { sink, text } = recordingConsole();
    stops.push(logToConsole(socket, { console: sink, kinds: ["status"], prefix: "[chat]" }));
    socket.connect();
    await socket.emitWithAck("echo", "hi");
    expect(text("debug").length).toBeGreaterThan(0);
    expect(text("debug").every((line) => line.startsWith("[chat] ") && line.includes("→"))).toBe(
      true,
    );
  });

  it("stops printing when stopped, and detaches the log it attached itself", async () => {
    const socket = connect(await start());
    const { sink, text } = recordingConsole();
    const logListeners = socket.io.listeners("ackTimeout").length;
    const stop = logToConsole(socket, { console: sink });
    socket.connect();
    await socket.emitWithAck("echo", "one");
    stop();
    const printed = text("debug").length;
    await socket.emitWithAck("echo", "two");
    expect(text("debug")).toHaveLength(printed);
    // Must: the log it attached is gone too, not left recording.
    expect(socket.io.listeners("ackTimeout")).toHaveLength(logListeners);
  });

  it("prints an existing log's entries so far and its new ones, leaving it attached", async () => {
    const socket = connect(await start());
    const log = attachEventLog(socket);
    stops.push(() => log.detach());
    socket.connect();
    await socket.emitWithAck("echo", "before");
    const { sink, text } = recordingConsole();
    const stop = logToConsole(log, { console: sink });
    expect(text("debug").some((line) => line.includes('"echo"'))).toBe(true);
    stop();
    expect(log.attached).toBe(true);
  });

  it("refuses a kinds option that is not an array, before attaching anything", async () => {
    const socket = connect(await start());
    expect(() => logToConsole(socket, { kinds: "status" as never })).toThrow(
      /kinds option must be an array/,
    );
  });
});
