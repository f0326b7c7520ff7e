// The demo's mock server (the scenario `npm start` runs), started fresh for each test.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "@playwright/test";
import { demoScenario, Server } from "@wireline/mock-server";

/** The running demo server of the current test. */
export interface DemoServer {
  readonly io: Server;
  /** `http://127.0.0.1:<port>`, for a demo page's `?server=`. */
  readonly url: string;
}

/**
 * Registers hooks that start a demo server before each test of the calling `describe` block
 * and close it after; read `io` and `url` inside the tests.
 */
export function useDemoServer(): DemoServer {
  const current = {} as { io: Server; url: string };
  test.beforeEach(async () => {
    const httpServer = createServer();
    current.io = new Server(httpServer, { cors: { origin: "*" } });
    demoScenario(current.io);
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    current.url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });
  test.afterEach(async () => {
    await current.io.close();
  });
  return current;
}
