// socket.io's `connectTimeout`: a connection that has not joined a namespace in time is closed.
// Each scenario runs against the official server and the mock, which must show the same.
import { io, type Socket } from "@wireline/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockSocketServer } from "../index.ts";
import { BOTH_SERVERS } from "./both-servers.ts";

const CONNECT_TIMEOUT = 150;

describe.each(BOTH_SERVERS)("connectTimeout on %s", (_name, start) => {
  const clients: Socket[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it.each([["websocket"], ["polling"]] as const)(
    "closes a connection still in the middlewares with forced close; the client reconnects (%s)",
    async (transport) => {
      const { url, io: server, clientOptions } = await start({ connectTimeout: CONNECT_TIMEOUT });
      const log: string[] = [];
      server.engine.on("connection", (conn) => {
        log.push("engine connection");
        conn.on("close", (reason: string) => log.push(`conn close ${reason}`));
      });
      let runs = 0;
      // The first attempt never gets through: its middleware does not call next.
      server.use((_socket, next) => {
        log.push(`middleware ${++runs}`);
        if (runs > 1) next();
      });
      server.on("connection", () => log.push("connection"));
      const client = io(url, {
        ...clientOptions,
        transports: [transport],
        forceNew: true,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
      });
      clients.push(client);
      client.io.on("close", (reason) => log.push(`client engine close ${reason}`));
      client.on("connect", () => log.push("client connect"));

      await vi.waitFor(() => expect(log).toContain("client connect"), { timeout: 3000 });
      // Once a namespace is joined the timer is gone: the connection outlives it.
      await new Promise((resolve) => setTimeout(resolve, CONNECT_TIMEOUT * 2));
      expect(client.connected).toBe(true);
      expect(log).toEqual([
        "engine connection",
        "middleware 1",
        "conn close forced close",
        "client engine close transport close",
        "engine connection",
        "middleware 2",
        "connection",
        "client connect",
      ]);
    },
  );

  it("closes an Engine.IO session that never sends a CONNECT: its waiting poll gets the close packet", async () => {
    const { url, io: server } = await start({ connectTimeout: CONNECT_TIMEOUT });
    const reasons: string[] = [];
    server.engine.on("connection", (conn) =>
      conn.on("close", (reason: string) => reasons.push(reason)),
    );
    const endpoint = `${url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(endpoint)).text();
    const sid = JSON.parse(open.slice(1)).sid as string;

    const poll = await fetch(`${endpoint}&sid=${sid}`);

    expect(await poll.text()).toBe("1");
    expect(reasons).toEqual(["forced close"]);
    expect(server.engine.clientsCount).toBe(0);
    const after = await fetch(`${endpoint}&sid=${sid}`);
    expect([after.status, await after.json()]).toEqual([
      400,
      { code: 1, message: "Session ID unknown" },
    ]);
  });
});

describe("the mock's connectTimeout", () => {
  it("defaults to socket.io's 45000 ms (0 too), and connectTimeout(ms) changes it until reset()", () => {
    const server = mockSocketServer("http://timeout.test");
    expect(server.connectTimeout()).toBe(45000);
    expect(mockSocketServer("http://timeout.test", { connectTimeout: 0 }).connectTimeout()).toBe(
      45000,
    );
    expect(server.connectTimeout(100)).toBe(server);
    expect(server.connectTimeout()).toBe(100);
    server.reset();
    expect(server.connectTimeout()).toBe(45000);
    expect(() => mockSocketServer("http://timeout.test", { connectTimeout: -1 })).toThrow(
      /"connectTimeout" must be a positive number of ms/,
    );
  });
});
