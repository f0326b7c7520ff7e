// Raw HTTP and WebSocket exchanges with the Socket.IO endpoint, run against the official
// socket.io 4.8 server and @wireline/mock-server alike, so a test can compare what a client sees
// of each: status, the headers a browser or a cache acts on, the body, and the frames.
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect as connectTcp } from "node:net";
import { Server as OfficialServer } from "socket.io";
import { afterEach, expect } from "vitest";
import { WebSocket } from "ws";
import { Server } from "../src/index.ts";

export type Options = Record<string, unknown>;

/** What a client sees of one answer. */
export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body; after a 101, the raw bytes that followed it (frames), as latin1. */
  body: string;
}

/** The headers compared: those a browser's CORS check, a cache or a client's parser reads. */
const COMPARED_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "vary",
  "content-type",
  "content-length",
  "cache-control",
];

/** A session id is random: it is replaced wherever it shows, so answers compare. */
const withoutSid = (text: string) => text.replace(/"sid":"[^"]+"/g, '"sid":"…"');

function pick(headers: Record<string, string | string[] | undefined>): Answer["headers"] {
  const picked: Answer["headers"] = {};
  for (const name of COMPARED_HEADERS) {
    const value = headers[name];
    // Header names and Vary's list are case-insensitive; compare them as a browser would.
    picked[name] = Array.isArray(value) ? value.join(", ") : value;
    if (name === "vary" || name === "content-type") picked[name] = picked[name]?.toLowerCase();
  }
  return picked;
}

/** Starts servers for one test file, each on its own HTTP server, closed after each test. */
export function useParityServers() {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function start(kind: "mock" | "official", options: Options): Promise<number> {
    const httpServer = createServer();
    const io =
      kind === "mock" ? new Server(httpServer, options) : new OfficialServer(httpServer, options);
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => io.close(() => resolve())));
    return (httpServer.address() as AddressInfo).port;
  }

  /** Runs `exchange` against a fresh official server and a fresh mock server with `options`. */
  async function both<T>(
    options: Options,
    exchange: (port: number) => Promise<T>,
  ): Promise<[T, T]> {
    const official = await exchange(await start("official", options));
    const mock = await exchange(await start("mock", options));
    return [official, mock];
  }

  return { start, both };
}

/** An HTTP request to the Socket.IO path with `query`, answered in full. */
export function ask(
  port: number,
  method: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.1", port, method, path: `/socket.io/?${query}`, headers, agent: false },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: pick(response.headers),
            body: withoutSid(body),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** The length of the server frame (unmasked) at the start of `bytes`, or undefined if cut short. */
function frameLength(bytes: Buffer): number | undefined {
  if (bytes.length < 2) return undefined;
  const length = bytes[1]! & 0x7f;
  if (length < 126) return 2 + length;
  if (length === 126) return bytes.length < 4 ? undefined : 4 + bytes.readUInt16BE(2);
  return undefined;
}

/** How {@link askUpgrade} asks: extra header lines, the method, and whether to probe. */
export interface UpgradeRequest {
  /** Header lines, each ending in CRLF. */
  headers?: string;
  method?: string;
  /** Sends `2probe` once the WebSocket is open, so that a session's new WebSocket answers. */
  probe?: boolean;
}

/**
 * A WebSocket upgrade request over raw TCP: the answer's status and headers, and what came
 * after them. After a 101, a close frame is answered by closing, and a first text frame (an
 * open session's handshake, or the answer to a probe) ends the exchange; anything else is read
 * until the server closes.
 */
export function askUpgrade(
  port: number,
  query: string,
  { headers: extraHeaders = "", method = "GET", probe = false }: UpgradeRequest = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, "127.0.0.1", () =>
      socket.write(
        `${method} /socket.io/?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extraHeaders}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    let raw = Buffer.alloc(0);
    let probed = false;
    socket.on("data", (chunk: Buffer) => {
      raw = Buffer.concat([raw, chunk]);
      const end = raw.indexOf("\r\n\r\n");
      if (end < 0 || raw.subarray(0, 12).toString() !== "HTTP/1.1 101") return;
      if (probe && !probed) {
        probed = true;
        // A client's frame is masked; an all-zero mask leaves the payload as it is.
        socket.write(Buffer.concat([Buffer.from([0x81, 0x86, 0, 0, 0, 0]), Buffer.from("2probe")]));
      }
      const after = raw.subarray(end + 4);
      const length = frameLength(after);
      if (after[0] === 0x88) socket.end();
      else if (after[0] === 0x81 && length !== undefined && after.length >= length)
        socket.destroy();
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const end = raw.indexOf("\r\n\r\n");
      const head = raw.subarray(0, end < 0 ? raw.length : end).toString("latin1");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = end < 0 ? "" : raw.subarray(end + 4).toString("latin1");
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers: pick(headers),
        body: withoutSid(body),
      });
    });
  });
}

/** The sid of a new polling session on `port`. */
export async function openSession(port: number): Promise<string> {
  const request = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
  return (JSON.parse((await request.text()).slice(1)) as { sid: string }).sid;
}

/** An open WebSocket to the Socket.IO path: its text frames (sid hidden) and, once closed, its code. */
export interface OpenWebSocket {
  ws: WebSocket;
  frames: string[];
  closeCode: () => number | undefined;
  /** The sid of the session this WebSocket opened, once its open packet came. */
  sid: () => string | undefined;
  /** Sends `frame` and waits for the frame count to reach `count`. */
  exchange: (frame: string, count: number) => Promise<void>;
}

export function openWebSocket(port: number, query: string): Promise<OpenWebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?${query}`);
    const frames: string[] = [];
    let code: number | undefined;
    let sid: string | undefined;
    ws.on("message", (data) => {
      const frame = String(data);
      if (frames.length === 0 && frame.startsWith("0{"))
        sid = (JSON.parse(frame.slice(1)) as { sid: string }).sid;
      frames.push(withoutSid(frame));
    });
    ws.on("close", (closedWith) => {
      code = closedWith;
    });
    ws.on("error", reject);
    ws.on("open", () =>
      resolve({
        ws,
        frames,
        closeCode: () => code,
        sid: () => sid,
        exchange: async (frame, count) => {
          ws.send(frame);
          await expect.poll(() => frames.length).toBe(count);
        },
      }),
    );
  });
}
