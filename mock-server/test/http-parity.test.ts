import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect as connectTcp } from "node:net";
import { Server as OfficialServer } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "../src/index.ts";

// The HTTP face of the Socket.IO endpoint, request by request against the official socket.io 4.8
// server: status, the headers a browser or a cache acts on, and the body. A client must not be
// able to tell the two apart.

type Options = Record<string, unknown>;

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** The headers compared: those a browser's CORS check, a cache or a client's parser reads. */
const COMPARED_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "vary",
  "content-type",
  "content-length",
  "cache-control",
];

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

/** An HTTP request to the Socket.IO path with `query`, answered in full. */
function ask(
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
          resolve({ status: response.statusCode ?? 0, headers: pick(response.headers), body }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** A WebSocket upgrade request the server refuses: its raw answer, parsed. */
function askUpgrade(port: number, query: string, extraHeaders = ""): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, "127.0.0.1", () =>
      socket.write(
        `GET /socket.io/?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extraHeaders}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    let raw = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      raw += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = raw.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers: pick(headers), body });
    });
  });
}

/** The sid of a new polling session on `port`. */
async function openSession(port: number): Promise<string> {
  const answer = await ask(port, "GET", "EIO=4&transport=polling");
  return (JSON.parse(answer.body.slice(1)) as { sid: string }).sid;
}

type Exchange = (port: number) => Promise<Answer>;

/** Runs `exchange` against a fresh official server and a fresh mock server with `options`. */
async function bothAnswers(options: Options, exchange: Exchange): Promise<[Answer, Answer]> {
  const official = await exchange(await start("official", options));
  const mock = await exchange(await start("mock", options));
  return [official, mock];
}

const refusedOrigin = { origin: "https://evil.example" };
const preflightFrom = (origin: string) => ({
  origin,
  "access-control-request-method": "POST",
  "access-control-request-headers": "content-type",
});

describe("the Socket.IO endpoint answers HTTP as socket.io 4.8 does", () => {
  const cases: Array<[string, Options, Exchange]> = [
    [
      "a request from an origin a fixed cors origin refuses (the fixed origin and Vary: Origin)",
      { cors: { origin: "https://app.example" } },
      (port) => ask(port, "GET", "EIO=4&transport=nope", refusedOrigin),
    ],
    [
      "a request from an origin a cors origin list refuses (Vary: Origin, no allowed origin)",
      { cors: { origin: ["https://app.example"] } },
      (port) => ask(port, "GET", "EIO=4&transport=nope", refusedOrigin),
    ],
    [
      "a request without Origin when cors is on (the cors package's headers all the same)",
      { cors: { origin: "https://app.example" } },
      (port) => ask(port, "GET", "EIO=4&transport=nope"),
    ],
    [
      "a credentialed cors origin of * (sent as *, which browsers refuse with credentials)",
      { cors: { origin: "*", credentials: true } },
      (port) => ask(port, "GET", "EIO=4&transport=nope", refusedOrigin),
    ],
    [
      "an empty cors option (any origin, as *)",
      { cors: {} },
      (port) => ask(port, "GET", "EIO=4&transport=nope", refusedOrigin),
    ],
    [
      "a cors origin function that fails (400, code 3)",
      {
        cors: { origin: (_origin: unknown, done: (error: Error) => void) => done(new Error("x")) },
      },
      (port) => ask(port, "GET", "EIO=4&transport=polling", refusedOrigin),
    ],
    [
      "a cors origin function that throws on a request without Origin (400, code 3)",
      { cors: { origin: (origin: string) => origin.length } },
      (port) => ask(port, "GET", "EIO=4&transport=polling"),
    ],
    [
      "a preflight from a refused origin",
      { cors: { origin: "https://app.example" } },
      (port) =>
        ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(refusedOrigin.origin)),
    ],
    [
      "a preflight from an allowed origin",
      { cors: { origin: ["https://app.example"], credentials: true } },
      (port) =>
        ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom("https://app.example")),
    ],
    [
      "an OPTIONS request that asks for no headers (no empty Access-Control-Allow-Headers)",
      { cors: { origin: "*" } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", refusedOrigin),
    ],
    [
      "a preflight with no cors option (a handshake that is not a GET: 400, code 2)",
      {},
      (port) =>
        ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom("https://app.example")),
    ],
    [
      "an OPTIONS request on a session with no cors option (500, empty)",
      {},
      async (port) =>
        ask(port, "OPTIONS", `EIO=4&transport=polling&sid=${await openSession(port)}`),
    ],
    [
      "a PUT on a session (500, empty)",
      {},
      async (port) => ask(port, "PUT", `EIO=4&transport=polling&sid=${await openSession(port)}`),
    ],
    [
      "a DELETE on a session, with cors headers (500, empty)",
      { cors: { origin: "*" } },
      async (port) =>
        ask(port, "DELETE", `EIO=4&transport=polling&sid=${await openSession(port)}`, {
          origin: "https://app.example",
        }),
    ],
    ["a PUT handshake (400, code 2)", {}, (port) => ask(port, "PUT", "EIO=4&transport=polling")],
    [
      "a poll on a session (uncacheable, with its length)",
      { pingInterval: 50 },
      async (port) => ask(port, "GET", `EIO=4&transport=polling&sid=${await openSession(port)}`),
    ],
    [
      "a WebSocket upgrade allowRequest refuses (400, its message as text)",
      {
        allowRequest: (_request: unknown, done: (error: string, ok: boolean) => void) =>
          done("no tickets", false),
      },
      (port) => askUpgrade(port, "EIO=4&transport=websocket"),
    ],
    [
      "a WebSocket upgrade allowRequest refuses without a message",
      {
        allowRequest: (_request: unknown, done: (error: null, ok: boolean) => void) =>
          done(null, false),
      },
      (port) => askUpgrade(port, "EIO=4&transport=websocket"),
    ],
    [
      "a WebSocket upgrade with an unknown transport",
      {},
      (port) => askUpgrade(port, "EIO=4&transport=nope"),
    ],
    [
      "a WebSocket upgrade with an unknown sid",
      {},
      (port) => askUpgrade(port, "EIO=4&transport=websocket&sid=nobody"),
    ],
    [
      "a WebSocket upgrade whose cors origin function fails",
      {
        cors: { origin: (_origin: unknown, done: (error: Error) => void) => done(new Error("x")) },
      },
      (port) => askUpgrade(port, "EIO=4&transport=websocket", "Origin: https://app.example\r\n"),
    ],
  ];

  it.each(cases)("%s", async (_name, options, exchange) => {
    const [official, mock] = await bothAnswers(options, exchange);
    // Must: the same status, headers and body as socket.io.
    expect(mock).toEqual(official);
  });

  it("keeps the session after a request with an unsupported method", async () => {
    const port = await start("mock", { pingInterval: 50 });
    const sid = await openSession(port);
    expect((await ask(port, "PUT", `EIO=4&transport=polling&sid=${sid}`)).status).toBe(500);
    // Must: the session still polls: its next GET gets the server's ping.
    const poll = await ask(port, "GET", `EIO=4&transport=polling&sid=${sid}`);
    expect(poll).toMatchObject({ status: 200, body: "2" });
  });
});
