// Shared setup of the resilience suites: a mock server whose faults the test drives, the SDK
// fixture page (optionally with socket.io-client beside it) and a page-visibility switch.

import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { type JSHandle, type Page, test } from "@playwright/test";
import { Server, type ServerOptions } from "@wireline/mock-server";
import type { Socket as WirelineSocket } from "@wireline/sdk";
import type { Socket as SocketIoClientSocket } from "socket.io-client";
import type { StaticFixture } from "./static-fixture.ts";

declare global {
  interface Window {
    /** socket.io-client's browser build, when a test loaded it with {@link addSocketIoClient}. */
    io?: (url: string, options?: Record<string, unknown>) => SocketIoClientSocket;
  }
}

export type { SocketIoClientSocket, WirelineSocket };

/** A mock server on a random loopback port whose `faults` the test drives. */
export interface FaultyServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  io: Server;
  close(): Promise<void>;
}

/** Starts a mock server; `setup` registers handlers before any client connects. */
export async function startFaultyServer(
  options: Partial<ServerOptions> = {},
  setup: (io: Server) => void = () => {},
): Promise<FaultyServer> {
  const httpServer = createServer();
  const io = new Server(httpServer, {
    cors: { origin: "*" },
    pingInterval: 1000,
    pingTimeout: 1000,
    ...options,
  });
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    close: async () => {
      httpServer.closeAllConnections();
      await io.close();
    },
  };
}

/**
 * Kills the sessions open now without telling their clients: they get no more pings and what
 * they send is swallowed, while new connections are served normally, as when a load balancer
 * lost a backend (the mock server's `blackHole({ scope: "current" })`). Returns how many.
 */
export function silenceOpenSessions(server: FaultyServer): number {
  const sessions = server.io.engine.clients.size;
  server.io.faults.blackHole({ scope: "current" });
  return sessions;
}

/**
 * Opens the SDK fixture page (it exposes `window.wireline`) of a {@link startStaticFixture}
 * server and waits until it is ready; `query` tells pages apart.
 */
export async function openFixture(page: Page, fixture: StaticFixture, query = ""): Promise<void> {
  await page.goto(`${fixture.url}/fixtures/sdk.html${query}`);
  await page.locator("#ready").getByText("ready").waitFor();
}

// The package exports no path to its browser build; it sits two folders above the entry.
const socketIoClientBuild = join(
  dirname(createRequire(import.meta.url).resolve("socket.io-client")),
  "../../dist/socket.io.min.js",
);

/** Adds socket.io-client's own browser build to the page as `window.io`. */
export async function addSocketIoClient(page: Page): Promise<void> {
  await page.addScriptTag({ path: socketIoClientBuild });
}

/** Which client a page runs: ours, or socket.io-client's browser build. */
export type ClientKind = "wireline" | "socket.io-client";

/**
 * Connects one client of `kind` over WebSocket in the page, with default options otherwise,
 * and resolves once it is connected. socket.io-client needs {@link addSocketIoClient} first.
 */
export async function connectClient<S extends { connected: boolean }>(
  page: Page,
  kind: ClientKind,
  url: string,
): Promise<JSHandle<S>> {
  const socket = await page.evaluateHandle(
    ({ kind, url }) => {
      const options = { forceNew: true, transports: ["websocket"] as Array<"websocket"> };
      const socket =
        kind === "wireline" ? window.wireline.io(url, options) : window.io!(url, options);
      return socket as unknown as S;
    },
    { kind, url },
  );
  await page.waitForFunction((socket) => socket.connected, socket);
  return socket;
}

/** Fires `connect` and `disconnect` of a socket into a list the test can read. */
export interface Recorded<S> {
  socket: S;
  /** `connect:<id>` and `disconnect:<reason>`, in order. */
  events: string[];
}

/** Connects Wireline over WebSocket in the page and records its connects and disconnects. */
export async function connectWireline(
  page: Page,
  url: string,
  options: Record<string, unknown> = {},
): Promise<JSHandle<Recorded<WirelineSocket>>> {
  return page.evaluateHandle(
    ({ url, options }) => {
      const socket = window.wireline.io(url, {
        forceNew: true,
        transports: ["websocket"],
        ...options,
      });
      const events: string[] = [];
      socket.on("connect", () => events.push(`connect:${socket.id}`));
      socket.on("disconnect", (reason) => events.push(`disconnect:${reason}`));
      return { socket, events };
    },
    { url, options },
  );
}

/** Connects socket.io-client over WebSocket in the page and records its connects and disconnects. */
export async function connectSocketIoClient(
  page: Page,
  url: string,
  options: Record<string, unknown> = {},
): Promise<JSHandle<Recorded<SocketIoClientSocket>>> {
  return page.evaluateHandle(
    ({ url, options }) => {
      if (!window.io) throw new Error("call addSocketIoClient(page) first");
      const socket = window.io(url, { forceNew: true, transports: ["websocket"], ...options });
      const events: string[] = [];
      socket.on("connect", () => events.push(`connect:${socket.id}`));
      socket.on("disconnect", (reason) => events.push(`disconnect:${reason}`));
      return { socket, events };
    },
    { url, options },
  );
}

/**
 * Makes the page report `state` from `document.visibilityState`/`hidden` and dispatches
 * `visibilitychange`. The browser itself throttles nothing: this fakes only what scripts see.
 */
export async function setFakeVisibility(page: Page, state: "visible" | "hidden"): Promise<void> {
  // A string, not a function: transpilers that keep function names (tsx) would add a helper
  // call the page does not have to the getters.
  await page.evaluate(`(() => {
    const state = ${JSON.stringify(state)};
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => state === "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  })()`);
}

/**
 * The first argument of every packet an IndexedDB outbox database holds, read from the database
 * itself, whichever page owns them (another storage instance's `load()` would take only those
 * of pages that are gone).
 */
export function storedFirstArgs(page: Page, databaseName: string): Promise<unknown[]> {
  return page.evaluate(
    (databaseName) =>
      new Promise<unknown[]>((resolve, reject) => {
        const opening = indexedDB.open(databaseName);
        // Not made by the page yet: nothing stored, and the database is left for it to create.
        opening.onupgradeneeded = () => opening.transaction?.abort();
        opening.onerror = () =>
          opening.error?.name === "AbortError" ? resolve([]) : reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const reading = db.transaction("entries").objectStore("entries").getAll();
          reading.onsuccess = () => {
            db.close();
            resolve((reading.result as Array<{ args: unknown[] }>).map(({ args }) => args[0]));
          };
          reading.onerror = () => reject(reading.error);
        };
      }),
    databaseName,
  );
}

/** A faulty server for each test whose sockets record, and acknowledge, every `seq` event. */
export interface SeqServer {
  readonly server: FaultyServer;
  /** Every `seq` index the server received, in arrival order, duplicates included. */
  readonly arrivals: number[];
}

/**
 * Registers hooks that start a {@link SeqServer} before each test of the calling `describe`
 * block and close it after; read `server` and `arrivals` inside the tests.
 */
export function useSeqServer(): SeqServer {
  const current = { server: undefined as unknown as FaultyServer, arrivals: [] as number[] };
  test.beforeEach(async () => {
    current.arrivals.length = 0;
    current.server = await startFaultyServer({}, (io) => {
      io.on("connection", (socket) => {
        socket.on("seq", (index: number, ack?: (reply: number) => void) => {
          current.arrivals.push(index);
          ack?.(index);
        });
      });
    });
  });
  test.afterEach(async () => {
    await current.server.close();
  });
  return current;
}
