// engine.io's `allowRequest` server option: each scenario runs against the official server and
// the mock, which must answer and report the same.
import { type ConnectError, io, type Socket } from "@wireline/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BOTH_SERVERS } from "./both-servers.ts";

describe.each(BOTH_SERVERS)("allowRequest on %s", (_name, start) => {
  const clients: Socket[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it("refuses a handshake with 403 and engine.io's body, and reports it as connection_error", async () => {
    const { url, io: server } = await start({
      allowRequest: (request, callback) =>
        callback(request.headers["x-token"] === "bad" ? "go away" : null, false),
    });
    const errors: unknown[] = [];
    server.engine.on("connection_error", ({ code, message, context }) =>
      errors.push({ code, message, context }),
    );
    const endpoint = `${url}/socket.io/?EIO=4&transport=polling`;

    const withMessage = await fetch(endpoint, { headers: { "x-token": "bad" } });
    const without = await fetch(endpoint);

    expect([withMessage.status, await withMessage.json()]).toEqual([
      403,
      { code: 4, message: "go away" },
    ]);
    expect([without.status, await without.json()]).toEqual([
      403,
      { code: 4, message: "Forbidden" },
    ]);
    expect(errors).toEqual([
      { code: 4, message: "Forbidden", context: { message: "go away" } },
      { code: 4, message: "Forbidden", context: { message: null } },
    ]);
  });

  it.each([["polling"], ["websocket"]] as const)(
    "gives the client a connect_error on a refusal (%s)",
    async (transport) => {
      const { url, clientOptions } = await start({
        allowRequest: (_request, callback) => callback("go away", false),
      });
      const client = io(url, {
        ...clientOptions,
        transports: [transport],
        forceNew: true,
        reconnection: false,
      });
      clients.push(client);

      const error = await new Promise<ConnectError>((resolve) =>
        client.once("connect_error", resolve),
      );

      const failed = error as ConnectError & { description?: unknown; context?: unknown };
      if (transport === "polling") {
        expect([error.message, failed.description]).toEqual(["xhr poll error", 403]);
        expect(failed.context).toMatchObject({ status: 403 });
      } else {
        expect(error.message).toBe("websocket error");
      }
      expect(client.connected).toBe(false);
    },
  );

  it("is asked once per connection, with the handshake request, and may answer later", async () => {
    const asked: string[] = [];
    const {
      url,
      io: server,
      clientOptions,
    } = await start({
      allowRequest: (request, callback) => {
        asked.push(`${request.method} ${request.url}`);
        setTimeout(() => callback(null, true), 10);
      },
    });
    const client = io(url, {
      ...clientOptions,
      transports: ["polling", "websocket"],
      forceNew: true,
      reconnection: false,
    });
    clients.push(client);
    const upgraded = new Promise<void>((resolve) =>
      server.on("connection", (socket) => socket.conn.once("upgrade", () => resolve())),
    );
    await upgraded;
    client.emit("after the upgrade");

    expect(asked).toEqual([expect.stringMatching(/^GET \/socket\.io\/\?EIO=4&transport=polling/)]);
  });
});

describe("the mock's allowRequest", () => {
  it("opens no session for a polling client that left while allowRequest decided", async () => {
    let answer: (() => void) | undefined;
    const [, startMock] = BOTH_SERVERS.find(([name]) => name === "mockSocketServer")!;
    const { url, io: server } = await startMock({
      allowRequest: (_request, callback) => {
        answer = () => callback(null, true);
      },
    });
    const opened: string[] = [];
    server.engine.on("connection", (conn) => opened.push(conn.id));
    const client = io(url, { transports: ["polling"], forceNew: true, reconnection: false });
    await vi.waitFor(() => expect(answer).toBeDefined());
    client.disconnect();
    answer!();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Else it would hold its timers and count among the clients of the next test after reset().
    expect(opened).toEqual([]);
    expect(server.engine.clientsCount).toBe(0);
  });
});
