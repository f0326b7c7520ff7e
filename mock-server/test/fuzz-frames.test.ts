// Seeded fuzzing of the mock server's wire input: valid Engine.IO / Socket.IO frames, mutated
// (truncated, flipped, split by separators, huge numbers, deep nesting, unicode, unknown
// namespaces), sent over raw WebSockets and polling POSTs beside healthy socket.io-clients.
// Deterministic: a seed replays its frames. WIRELINE_FUZZ_SEEDS=1-50 tries more seeds.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { Decoder } from "socket.io-parser";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  type FuzzRandom,
  fuzzRandom,
  fuzzSeeds,
  mutateText,
  PLACEHOLDER,
} from "../../sdk/src/__tests__/frame-fuzzing.ts";
import { Server, type ServerSocket } from "../src/index.ts";
import { uncaughtDuring } from "./helpers.ts";

// ---------------------------------------------------------------------------------------------
// Frames and their mutations. A frame is a WebSocket message: text, or binary (a Buffer).

type Frame = string | Buffer;

const VALID_TEXT = [
  "40",
  '40{"token":"t"}',
  "40/chat,",
  '42["x",1]',
  '42["echo","hi"]',
  '4217["echo",{"a":[1,2,"é"]}]',
  '42/chat,["x",{"deep":[[1]]}]',
  '42/chat,3["echo","acked"]',
  "43[]",
  '435["late"]',
  "41",
  "41/chat,",
  "2",
  "3",
  "6",
  "5",
  "2probe",
  "3probe",
  "1",
  "4",
  `451-["b",${PLACEHOLDER}]`,
  `4512-["echo",${PLACEHOLDER}]`,
  "bBAUG",
  "bAQID",
];

function mutatedFrame(random: FuzzRandom): Frame {
  if (random.int(12) === 0) {
    const bytes = Buffer.from(Array.from({ length: random.int(8) }, () => random.int(256)));
    return bytes;
  }
  let text = random.pick(VALID_TEXT);
  const rounds = random.int(4);
  for (let round = 0; round < rounds; round++) text = mutateText(text, random, VALID_TEXT);
  return text;
}

/**
 * A connection's frames: usually a CONNECT first (sometimes mutated), then mutated frames, and
 * for a binary event its attachment, sometimes more than announced.
 */
function mutatedSequence(random: FuzzRandom): Frame[] {
  const frames: Frame[] = [];
  if (random.int(5) > 0)
    frames.push(random.int(4) === 0 ? mutateText("40", random, VALID_TEXT) : "40");
  const count = 1 + random.int(5);
  for (let index = 0; index < count; index++) {
    const frame = mutatedFrame(random);
    frames.push(frame);
    if (typeof frame === "string" && /^45\d*-/.test(frame)) {
      for (let extra = random.int(3); extra > 0; extra--)
        frames.push(Buffer.from([random.int(256), random.int(256)]));
    }
  }
  return frames;
}

const show = (frames: Frame[]) =>
  JSON.stringify(
    frames.map((frame) =>
      typeof frame === "string" ? frame : `<binary ${frame.toString("hex")}>`,
    ),
  );

/**
 * Whether socket.io's own reading of these frames (engine.io's packet types, socket.io-parser)
 * says the connection must close: a frame that is no Engine.IO packet, or a Socket.IO packet
 * its parser refuses. Only the first frames up to such a one are read.
 */
function mustClose(frames: Frame[]): boolean {
  const decoder = new Decoder();
  for (const frame of frames) {
    try {
      if (typeof frame !== "string") {
        decoder.add(frame);
        continue;
      }
      if (frame === "" || !"0123456b".includes(frame.charAt(0))) return true;
      if (frame.startsWith("b")) {
        // A base64 message is a binary attachment (or unexpected binary).
        decoder.add(Buffer.from(frame.slice(1), "base64"));
        continue;
      }
      if (frame.startsWith("4") && frame.length > 1) decoder.add(frame.slice(1));
    } catch {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The server and its healthy clients.

let io: Server | undefined;
const clients: Socket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await io?.close();
  io = undefined;
});

async function start(): Promise<string> {
  const httpServer = createServer();
  io = new Server(httpServer, {
    pingInterval: 5000,
    pingTimeout: 5000,
    connectTimeout: 1000,
    maxHttpBufferSize: 10_000,
  });
  const handlers = (socket: ServerSocket) => {
    // Guarded: the fuzzer also sends "echo" without an ack, and a throw here would be the app's.
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack === "function") ack(...args.slice(0, -1));
    });
    socket.on("x", () => undefined);
    socket.on("b", () => undefined);
    // The server reports each refused packet here (else it logs it): nothing to do about it.
    socket.on("error", () => undefined);
  };
  io.on("connection", handlers);
  io.of("/chat").on("connection", handlers);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

async function healthyClient(base: string, transport: "websocket" | "polling"): Promise<Socket> {
  const socket = connect(base, { forceNew: true, transports: [transport], reconnection: false });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

// ---------------------------------------------------------------------------------------------
// Fuzz connections.

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `frames` over a raw WebSocket; returns a problem, or undefined. */
async function fuzzWebSocket(base: string, frames: Frame[], random: FuzzRandom) {
  const ws = new WebSocket(`${base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  ws.on("error", () => undefined);
  const closed = new Promise<number>((resolve) => ws.once("close", resolve));
  const opened = await new Promise<boolean>((resolve) => {
    ws.once("message", () => resolve(true));
    ws.once("close", () => resolve(false));
  });
  if (!opened) return "the handshake never came";
  for (const frame of frames) ws.send(frame, { binary: typeof frame !== "string" });
  if (mustClose(frames)) {
    // socket.io closes a connection over any of these: so must the mock server, promptly.
    const code = await Promise.race([closed, settle(3000).then(() => "open")]);
    if (code === "open") {
      ws.terminate();
      return "the server left the connection open after a frame socket.io closes it over";
    }
    return undefined;
  }
  await settle(random.int(60));
  if (random.int(2) === 0) ws.terminate();
  else ws.close();
  await closed;
  return undefined;
}

/** Sends `frames` as polling POSTs (joined by the record separator); the session is then closed. */
async function fuzzPolling(base: string, frames: Frame[], random: FuzzRandom) {
  const handshake = await (await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
  const url = `${base}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  const texts = frames.map((frame) =>
    typeof frame === "string" ? frame : `b${frame.toString("base64")}`,
  );
  // One body, or a few, each a payload of packets joined by "\x1e", sometimes mutated as a whole.
  const bodies: string[] = [];
  for (let start = 0; start < texts.length; ) {
    const end = start + 1 + random.int(texts.length - start);
    let body = texts.slice(start, end).join("\x1e");
    if (random.int(4) === 0) body = mutateText(body, random, VALID_TEXT);
    bodies.push(body);
    start = end;
  }
  for (const body of bodies) {
    const response = await fetch(url, { method: "POST", body });
    await response.arrayBuffer();
    if (response.status !== 200) break;
  }
  // What the server read: each body split at the record separators, base64 as binary.
  const read = bodies.flatMap((body) => body.split("\x1e"));
  if (mustClose(read)) {
    // As engine.io, a session closed between long polls hands its close packet to the next GET
    // (after what is still buffered): it must come, not a poll held until the next ping.
    for (let poll = 0; poll < 3; poll++) {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch(() => null);
      if (!response) break;
      const text = await response.text();
      if (response.status !== 200 || text.split("\x1e").includes("1")) {
        await expect.poll(() => io!.engine.clients.has(sid)).toBe(false);
        return undefined;
      }
    }
    await (await fetch(url, { method: "POST", body: "1" })).arrayBuffer();
    return `the session stayed open after a frame socket.io closes it over (bodies ${JSON.stringify(bodies)})`;
  }
  // Ends the session if it is still open (else a 400, which is fine).
  await (await fetch(url, { method: "POST", body: "1" })).arrayBuffer();
  return undefined;
}

/**
 * Upgrades a polling session to a WebSocket with a (maybe mutated) probe, then sends `frames`
 * over it; whatever state that leaves, the session is then closed from both ends.
 */
async function fuzzUpgrade(base: string, frames: Frame[], random: FuzzRandom) {
  const handshake = await (await fetch(`${base}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
  const url = `${base}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  await (await fetch(url, { method: "POST", body: "40" })).arrayBuffer();
  const ws = new WebSocket(
    `${base.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
  );
  ws.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  const opened = await new Promise<boolean>((resolve) => {
    ws.once("open", () => resolve(true));
    ws.once("close", () => resolve(false));
  });
  if (opened) {
    const probe = random.int(3) === 0 ? mutateText("2probe", random, VALID_TEXT) : "2probe";
    const upgrade = random.int(3) === 0 ? mutateText("5", random, VALID_TEXT) : "5";
    for (const frame of [probe, upgrade, ...frames])
      ws.send(frame, { binary: typeof frame !== "string" });
    await settle(random.int(60));
    if (random.int(2) === 0) ws.terminate();
    else ws.close();
    await closed;
  }
  // Still polling (the upgrade failed): end it (else a 400, which is fine).
  await (await fetch(url, { method: "POST", body: "1" })).arrayBuffer();
  return undefined;
}

// ---------------------------------------------------------------------------------------------

const BATCHES = 3;
const CONNECTIONS_PER_BATCH = 6;

describe("the mock server under fuzzed frames", () => {
  it.each(fuzzSeeds("1-8"))(
    "seed %i: stays up, closes only the fuzzing connections, forgets them, and closes",
    async (seed) => {
      const random = fuzzRandom(seed);
      const base = await start();
      const healthy = [
        await healthyClient(base, "websocket"),
        await healthyClient(base, "polling"),
      ];
      const server = io!;
      const problems: string[] = [];
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on("unhandledRejection", onRejection);
      let uncaught: unknown[];
      try {
        uncaught = await uncaughtDuring(async () => {
          for (let batch = 0; batch < BATCHES; batch++) {
            const runs = Array.from({ length: CONNECTIONS_PER_BATCH }, () => {
              const frames = mutatedSequence(random);
              const mode = random.pick(["websocket", "websocket", "polling", "upgrade"] as const);
              const fuzz = { websocket: fuzzWebSocket, polling: fuzzPolling, upgrade: fuzzUpgrade }[
                mode
              ];
              return fuzz(base, frames, random).then(
                (problem) => {
                  if (problem)
                    problems.push(`${problem} (seed ${seed}, ${mode}, frames ${show(frames)})`);
                },
                (error: unknown) =>
                  problems.push(`fuzzer failed: ${String(error)} (seed ${seed}, ${show(frames)})`),
              );
            });
            await Promise.all(runs);
            expect(problems).toEqual([]);
            for (const [index, client] of healthy.entries()) {
              const text = `seed ${seed} batch ${batch} client ${index}`;
              const reply = await client
                .timeout(3000)
                .emitWithAck("echo", text)
                .catch((error: unknown) => `no reply: ${String(error)}`);
              expect(reply, `healthy client ${index} after batch ${batch}, seed ${seed}`).toBe(
                text,
              );
            }
            await expect
              .poll(() => server.engine.clientsCount, {
                message: `clientsCount after batch ${batch}, seed ${seed}`,
              })
              .toBe(healthy.length);
          }
        });
      } finally {
        process.off("unhandledRejection", onRejection);
      }
      expect(problems).toEqual([]);
      expect(uncaught, `uncaught exceptions, seed ${seed}`).toEqual([]);
      expect(rejections, `unhandled rejections, seed ${seed}`).toEqual([]);
      for (const client of clients.splice(0)) client.disconnect();
      // io.close() resolves (within the test's timeout), and the server is gone for good.
      await server.close();
      io = undefined;
      expect(server.engine.clientsCount).toBe(0);
    },
    20_000,
  );
});
