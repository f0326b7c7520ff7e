import { describe, expect, it } from "vitest";
import {
  ask,
  askUpgrade,
  type Options,
  openSession,
  openWebSocket,
  useParityServers,
} from "./parity-http.ts";

// WebSocket upgrade requests engine.io takes in ways a client may not expect, scenario by
// scenario against the official socket.io 4.8 server: the answer to the request (status,
// headers, the frames after a 101) and what becomes of the session it names.

const { both } = useParityServers();

/** Opens a polling session and moves it onto a WebSocket; resolves with that WebSocket. */
async function upgradedSession(port: number) {
  const sid = await openSession(port);
  const first = await openWebSocket(port, `EIO=4&transport=websocket&sid=${sid}`);
  await first.exchange("2probe", 1);
  first.ws.send("5");
  return { sid, first };
}

const cases: Array<[string, Options, (port: number) => Promise<unknown>]> = [
  [
    "a second WebSocket for a session already upgraded: 101, then closed at once; the session goes on",
    {},
    async (port) => {
      const { sid, first } = await upgradedSession(port);
      const second = await askUpgrade(port, `EIO=4&transport=websocket&sid=${sid}`);
      // The session still answers on its WebSocket: a Socket.IO CONNECT gets its reply.
      await first.exchange("40", 2);
      return { second, first: first.frames };
    },
  ],
  [
    "a second WebSocket while another one probes the session: closed at once; the first one upgrades",
    {},
    async (port) => {
      const sid = await openSession(port);
      const first = await openWebSocket(port, `EIO=4&transport=websocket&sid=${sid}`);
      const beforeProbe = await askUpgrade(port, `EIO=4&transport=websocket&sid=${sid}`);
      await first.exchange("2probe", 1);
      const afterProbe = await askUpgrade(port, `EIO=4&transport=websocket&sid=${sid}`);
      first.ws.send("5");
      await first.exchange("40", 2);
      return { beforeProbe, afterProbe, first: first.frames };
    },
  ],
  [
    "an upgrade when allowUpgrades is false: none is offered, but one that comes is carried out",
    { allowUpgrades: false },
    async (port) => {
      const handshake = await ask(port, "GET", "EIO=4&transport=polling");
      const sid = await openSession(port);
      const { frames, exchange, ws } = await openWebSocket(
        port,
        `EIO=4&transport=websocket&sid=${sid}`,
      );
      await exchange("2probe", 1);
      ws.send("5");
      await exchange("40", 2);
      // The session left polling: a poll is now a transport mismatch.
      const poll = await ask(port, "GET", `EIO=4&transport=polling&sid=${sid}`);
      return { handshake, frames, poll };
    },
  ],
  [
    "a WebSocket naming a session that is on WebSocket already: it probes and takes over",
    {},
    async (port) => {
      const first = await openWebSocket(port, "EIO=4&transport=websocket");
      await expect.poll(() => first.sid()).toBeDefined();
      const sid = first.sid();
      const second = await openWebSocket(port, `EIO=4&transport=websocket&sid=${sid}`);
      await second.exchange("2probe", 1);
      second.ws.send("5");
      await expect.poll(() => first.closeCode()).toBeDefined();
      await second.exchange("40", 2);
      // Taken over once, it takes no third one.
      const third = await askUpgrade(port, `EIO=4&transport=websocket&sid=${sid}`);
      return {
        first: first.frames,
        firstClose: first.closeCode(),
        second: second.frames,
        third,
      };
    },
  ],
  [
    "an upgrade request naming the polling transport, with and without a sid: 101, then closed",
    { pingInterval: 50 },
    async (port) => {
      const handshake = await askUpgrade(port, "EIO=4&transport=polling");
      const sid = await openSession(port);
      const ofSession = await askUpgrade(port, `EIO=4&transport=polling&sid=${sid}`);
      // The session polls on: its next GET gets the server's ping.
      const poll = await ask(port, "GET", `EIO=4&transport=polling&sid=${sid}`);
      return { handshake, ofSession, poll };
    },
  ],
  [
    "an upgrade naming the polling transport when only WebSocket is allowed (400)",
    { transports: ["websocket"] },
    (port) => askUpgrade(port, "EIO=4&transport=polling"),
  ],
  [
    "a WebSocket handshake in another protocol revision: 101, then engine.io's 400 as raw bytes",
    {},
    async (port) => ({
      eio3: await askUpgrade(port, "EIO=3&transport=websocket"),
      none: await askUpgrade(port, "transport=websocket"),
    }),
  ],
  [
    "an upgrade of a session in another protocol revision (400 before the handshake)",
    {},
    async (port) => askUpgrade(port, `EIO=3&transport=websocket&sid=${await openSession(port)}`),
  ],
  [
    "allowRequest is asked before the protocol revision is checked",
    {
      allowRequest: (_request: unknown, done: (error: string, ok: boolean) => void) =>
        done("no tickets", false),
    },
    (port) => askUpgrade(port, "EIO=3&transport=websocket"),
  ],
  [
    "a POST upgrade: a handshake that is not a GET (400), and ws's 405 for a session",
    {},
    async (port) => {
      const handshake = await askUpgrade(port, "EIO=4&transport=websocket", { method: "POST" });
      const sid = await openSession(port);
      const ofSession = await askUpgrade(port, `EIO=4&transport=websocket&sid=${sid}`, {
        method: "POST",
      });
      return { handshake, ofSession };
    },
  ],
];

describe("WebSocket upgrades engine.io takes in its own way, as socket.io 4.8 does", () => {
  it.each(cases)("%s", async (_name, options, scenario) => {
    const [official, mock] = await both(options, scenario);
    // Must: the same answers, frames and session outcome as socket.io.
    expect(mock).toEqual(official);
  });
});
