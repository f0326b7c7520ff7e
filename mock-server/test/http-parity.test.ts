import { describe, expect, it } from "vitest";
import {
  type Answer,
  ask,
  askUpgrade,
  type Options,
  openSession,
  useParityServers,
} from "./parity-http.ts";

// The HTTP face of the Socket.IO endpoint, request by request against the official socket.io 4.8
// server: status, the headers a browser or a cache acts on, and the body. A client must not be
// able to tell the two apart.

const { start, both } = useParityServers();

type Exchange = (port: number) => Promise<Answer>;

const refusedOrigin = { origin: "https://evil.example" };
const preflightFrom = (origin: string) => ({
  origin,
  "access-control-request-method": "POST",
  "access-control-request-headers": "content-type",
});

const allowed = "https://app.example";

describe("the cors option, as the cors package engine.io runs on every request", () => {
  const fromAllowed = { origin: allowed };
  const cases: Array<[string, Options, Exchange]> = [
    [
      "a preflight with methods, allowedHeaders and exposedHeaders as arrays, maxAge and optionsSuccessStatus",
      {
        cors: {
          origin: allowed,
          methods: ["GET", "POST"],
          allowedHeaders: ["content-type", "x-token"],
          exposedHeaders: ["x-trace", "x-region"],
          maxAge: 600,
          optionsSuccessStatus: 200,
        },
      },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "a preflight with methods, headers (the alias) and exposedHeaders as strings",
      {
        cors: {
          origin: [allowed],
          methods: "GET, POST",
          headers: "Content-Type, X-Token",
          exposedHeaders: "x-trace",
        },
      },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "a preflight whose allowedHeaders list is empty (nothing reflected, no Vary for it)",
      { cors: { allowedHeaders: [], maxAge: 0 } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "a preflight with empty methods and exposedHeaders (neither header sent)",
      { cors: { methods: "", exposedHeaders: [] } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "a preflight with methods given as undefined (the package throws: 400, code 3)",
      { cors: { origin: allowed, methods: undefined } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "a preflight that continues to engine.io: a handshake that is not a GET, with cors headers",
      { cors: { origin: allowed, preflightContinue: true, credentials: true } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "a preflight that continues on a session (500, with cors headers)",
      { cors: { origin: [/\.example$/], preflightContinue: true } },
      async (port) =>
        ask(
          port,
          "OPTIONS",
          `EIO=4&transport=polling&sid=${await openSession(port)}`,
          preflightFrom(allowed),
        ),
    ],
    [
      "exposed headers on a handshake",
      { cors: { origin: true, exposedHeaders: ["x-trace"], maxAge: 600, methods: ["GET"] } },
      (port) => ask(port, "GET", "EIO=4&transport=polling", fromAllowed),
    ],
    [
      "exposed headers on a poll",
      { pingInterval: 50, cors: { origin: [false, allowed], exposedHeaders: "x-trace" } },
      async (port) =>
        ask(port, "GET", `EIO=4&transport=polling&sid=${await openSession(port)}`, fromAllowed),
    ],
    [
      "an origin list holding true (any origin, reflected)",
      { cors: { origin: [true] } },
      (port) => ask(port, "GET", "EIO=4&transport=nope", refusedOrigin),
    ],
    [
      "origin false: no cors headers, and OPTIONS is a handshake that is not a GET",
      { cors: { origin: false } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "origin given as undefined: cors off as well (the default does not apply)",
      { cors: { origin: undefined, credentials: true } },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "an origin function answering true on a preflight (reflected, credentials)",
      {
        cors: {
          origin: (_origin: unknown, done: (error: null, allow: boolean) => void) =>
            done(null, true),
          credentials: true,
          optionsSuccessStatus: 200,
        },
      },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "an options function that picks the options per request",
      {
        cors: (
          request: { headers: Record<string, string> },
          done: (error: null, options: Options) => void,
        ) => done(null, { origin: request.headers.origin, credentials: true, maxAge: 60 }),
      },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "an options function that answers no options (the defaults)",
      { cors: (_request: unknown, done: (error: null) => void) => done(null) },
      (port) => ask(port, "OPTIONS", "EIO=4&transport=polling", preflightFrom(allowed)),
    ],
    [
      "an options function that fails (400, code 3)",
      { cors: (_request: unknown, done: (error: Error) => void) => done(new Error("x")) },
      (port) => ask(port, "GET", "EIO=4&transport=polling", fromAllowed),
    ],
    [
      "a WebSocket handshake: the cors headers ride on the 101",
      { cors: { origin: [allowed], credentials: true, exposedHeaders: ["x-a", "x-b"], maxAge: 9 } },
      (port) =>
        askUpgrade(port, "EIO=4&transport=websocket", { headers: `Origin: ${allowed}\r\n` }),
    ],
    [
      "a WebSocket upgrade of a session with a fixed cors origin (sent on its 101 too)",
      { cors: { origin: allowed } },
      async (port) =>
        askUpgrade(port, `EIO=4&transport=websocket&sid=${await openSession(port)}`, {
          headers: "Origin: https://evil.example\r\n",
          probe: true,
        }),
    ],
    [
      "an OPTIONS upgrade request (the cors package ends it: dropped without an answer)",
      { cors: { origin: allowed } },
      (port) => askUpgrade(port, "EIO=4&transport=websocket", { method: "OPTIONS" }),
    ],
    [
      "an OPTIONS upgrade request with preflightContinue (400, bad handshake method)",
      { cors: { origin: allowed, preflightContinue: true } },
      (port) => askUpgrade(port, "EIO=4&transport=websocket", { method: "OPTIONS" }),
    ],
    [
      "a WebSocket upgrade whose cors options function fails",
      { cors: (_request: unknown, done: (error: Error) => void) => done(new Error("x")) },
      (port) => askUpgrade(port, "EIO=4&transport=websocket"),
    ],
  ];

  it.each(cases)("%s", async (_name, options, exchange) => {
    const [official, mock] = await both(options, exchange);
    // Must: the same status, headers and body as socket.io.
    expect(mock).toEqual(official);
  });
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
      (port) =>
        askUpgrade(port, "EIO=4&transport=websocket", {
          headers: "Origin: https://app.example\r\n",
        }),
    ],
  ];

  it.each(cases)("%s", async (_name, options, exchange) => {
    const [official, mock] = await both(options, exchange);
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
