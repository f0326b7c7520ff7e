// The SDK fixture as plain static files: the SDK bundled into one script, no dev-server client.
// Vite's client keeps a WebSocket open (which bars a page from the back/forward cache), listens
// to `beforeunload`, and reloads the page when a source file changes: the resilience suites,
// which time reconnections and navigate back and forth, use this server instead.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { test } from "@playwright/test";
import { build } from "esbuild";

export interface StaticFixture {
  /**
   * `http://127.0.0.1:<port>`: `/fixtures/sdk.html` has the SDK as `window.wireline` (as the
   * Vite-served fixture does), `/fixtures/other.html` has nothing.
   */
  url: string;
  close(): Promise<void>;
}

const fixtureEntry = fileURLToPath(new URL("../apps/fixtures/sdk.ts", import.meta.url));

const pages: Record<string, string> = {
  "/fixtures/sdk.html":
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SDK</title></head><body><p id="ready">loading</p><script src="/fixtures/sdk.js"></script></body></html>',
  "/fixtures/other.html":
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title></head><body><p>another page</p></body></html>',
};

/** Bundles the fixture script from the SDK's sources and serves it with two pages. */
export async function startStaticFixture(): Promise<StaticFixture> {
  const bundle = await build({
    entryPoints: [fixtureEntry],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    conditions: ["wireline-source"],
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!;
    if (path === "/fixtures/sdk.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" });
      response.end(script);
      return;
    }
    const page = pages[path];
    if (page === undefined) {
      response.writeHead(404, { "Content-Type": "text/plain" });
      response.end("not found");
      return;
    }
    // No `Cache-Control: no-store`: it alone would keep the page out of the cache.
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Registers hooks that start one static fixture server before the tests of the calling
 * `describe` block and close it after them; read `url` inside the tests.
 */
export function useStaticFixture(): StaticFixture {
  const current: StaticFixture = { url: "", close: async () => undefined };
  test.beforeAll(async () => {
    const started = await startStaticFixture();
    current.url = started.url;
    current.close = () => started.close();
  });
  test.afterAll(async () => {
    await current.close();
  });
  return current;
}
