import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Server, type ServerOptions } from "../src/index.ts";

// Who may drive the fault endpoint: programs and the developer's own pages, never a web page
// they happen to visit (a cross-site request, or DNS rebinding of a name to 127.0.0.1). Raw HTTP
// requests, so that Host and Origin are what a browser would send.

let io: Server | undefined;
let port: number;

afterEach(async () => {
  await io?.close();
  io = undefined;
});

async function start(options: ServerOptions = {}): Promise<void> {
  const httpServer = createServer();
  io = new Server(httpServer, options);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  port = (httpServer.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown> | undefined;
}

/** A request to the fault endpoint with exactly these headers (Host defaults to 127.0.0.1:port). */
function control(
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method,
        path: "/socket.io/__faults",
        headers: { host: `127.0.0.1:${port}`, ...headers },
        agent: false,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const stopPings = { action: "stopPings" };
const textPlain = { "content-type": "text/plain;charset=UTF-8" };

describe("the fault endpoint refuses web pages it does not trust", () => {
  it("refuses a POST from a foreign origin with 403, says how to allow it, and injects nothing", async () => {
    await start({ cors: { origin: "*" } });
    // A "simple" cross-site request: no preflight, so the server itself must refuse it.
    const answer = await control(
      "POST",
      { origin: "https://evil.example", ...textPlain },
      stopPings,
    );
    // Must: refused, readable by no page, and nothing injected.
    expect(answer.status).toBe(403);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    expect(String(answer.json?.error)).toContain('"https://evil.example"');
    expect(String(answer.json?.error)).toContain("faultEndpoint: { allowedOrigins:");
    expect(io!.faults.active()).toEqual({});
  });

  it("refuses the preflight and the state read of a foreign origin", async () => {
    await start({ cors: { origin: "*" } });
    io!.faults.stopPings();
    const preflight = await control("OPTIONS", {
      origin: "https://evil.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    const read = await control("GET", { origin: "https://evil.example" });
    expect(read.status).toBe(403);
    expect(read.json?.active).toBeUndefined();
  });

  it("refuses a page of the null origin (a sandboxed frame or a file)", async () => {
    await start({ cors: { origin: "*" } });
    expect((await control("POST", { origin: "null", ...textPlain }, stopPings)).status).toBe(403);
    expect(io!.faults.active()).toEqual({});
  });

  it("refuses a DNS-rebound host name even from its own origin, and injects nothing", async () => {
    await start({ cors: { origin: "*" } });
    const rebound = `attacker.example:${port}`;
    // The attacker's page, its name now resolving to 127.0.0.1, is "same origin" with the server.
    const same = await control("POST", { host: rebound, origin: `http://${rebound}` }, stopPings);
    const read = await control("GET", { host: rebound });
    // Must: both refused by Host, with a message that says how to allow a real name.
    expect(same.status).toBe(403);
    expect(read.status).toBe(403);
    expect(String(same.json?.error)).toContain('allowedHosts: ["attacker.example"]');
    expect(io!.faults.active()).toEqual({});
  });

  it("refuses a loopback page on another port that the cors option does not allow", async () => {
    await start({ cors: { origin: "http://localhost:5173" } });
    const answer = await control("POST", { origin: "http://localhost:6006" }, stopPings);
    expect(answer.status).toBe(403);
    expect(io!.faults.active()).toEqual({});
  });

  it("refuses other pages when no cors option is set, even on localhost", async () => {
    await start();
    const answer = await control("POST", { origin: "http://localhost:5173" }, stopPings);
    expect(answer.status).toBe(403);
  });
});

describe("the fault endpoint serves programs and the developer's own pages", () => {
  it("serves requests without an Origin, as from Node's fetch, curl or Playwright's request", async () => {
    await start();
    // curl -d sends a form content type: the body is JSON all the same.
    const answer = await control(
      "POST",
      { "content-type": "application/x-www-form-urlencoded" },
      stopPings,
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ ok: true, active: { stopPings: true } });
    expect((await control("GET")).json).toEqual({ active: { stopPings: true } });
  });

  it("serves a page of the server's own origin, with no cors option", async () => {
    await start();
    const answer = await control("POST", { origin: `http://127.0.0.1:${port}` }, stopPings);
    expect(answer.status).toBe(200);
    expect(io!.faults.active()).toEqual({ stopPings: true });
  });

  it("serves a loopback page the cors option allows: preflight, then POST, as the e2e pages do", async () => {
    await start({ cors: { origin: "*" } });
    const origin = "http://127.0.0.1:5199";
    const preflight = await control("OPTIONS", {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    // Must: the preflight names that very origin (not *), and Vary says the answer depends on it.
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(origin);
    expect(preflight.headers.vary).toBe("Origin");
    const post = await control("POST", { origin, "content-type": "application/json" }, stopPings);
    expect(post.status).toBe(200);
    expect(post.headers["access-control-allow-origin"]).toBe(origin);
    // A page that posts text/plain (no preflight) is served as well.
    const plain = await control(
      "POST",
      { origin: "http://localhost:5173", ...textPlain },
      {
        action: "clear",
      },
    );
    expect(plain.status).toBe(200);
    expect(io!.faults.active()).toEqual({});
  });

  it("serves the origins and host names of the faultEndpoint option", async () => {
    await start({
      faultEndpoint: { allowedOrigins: [/^https:\/\/.*\.dev\.test$/], allowedHosts: ["box.lan"] },
    });
    const answer = await control(
      "POST",
      { host: `box.lan:${port}`, origin: "https://app.dev.test" },
      stopPings,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBe("https://app.dev.test");
  });

  it("serves localhost, *.localhost and IP address hosts", async () => {
    await start();
    for (const host of [
      `localhost:${port}`,
      `app.localhost:${port}`,
      `[::1]:${port}`,
      `192.168.1.20:${port}`,
    ])
      expect((await control("GET", { host })).status).toBe(200);
  });
});
