// Seeded fuzzing of what a server sends: after a valid handshake, a scripted server (the fake
// WebSocket) sends mutated Engine.IO / Socket.IO frames to an io() socket. socket.io's own
// parser (socket.io-parser) and Engine.IO's packet types tell what each frame encodes; the
// client must never throw, hand listeners only what a frame encodes, end a malformed frame's
// connection as the README says, reconnect, and leave no timer once disconnected.
// Deterministic: a seed replays its frames. WIRELINE_FUZZ_SEEDS=1-50 tries more seeds.
import { Decoder, Encoder, type Packet as ParserPacket } from "socket.io-parser";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Socket } from "../index.ts";
import { comparable } from "./comparable.ts";
import { type FakeWebSocket, fakeIo, fakeSockets } from "./fake-websocket.ts";
import {
  type FuzzRandom,
  fuzzRandom,
  fuzzSeeds,
  mutateText,
  PLACEHOLDER,
} from "./frame-fuzzing.ts";
import { collectReportedErrors } from "./reported-errors.ts";

// ---------------------------------------------------------------------------------------------
// Frames and their mutations. A frame is a WebSocket message: text, or binary (an ArrayBuffer).

type Frame = string | ArrayBuffer;

const VALID_TEXT = [
  '42["x",1]',
  '42["x"]',
  '42["news",{"a":[1,2,"é"],"b":null,"c":true}]',
  '4217["x",{"a":[1,2,"😀"]}]',
  '42[7,"numbered"]',
  '42["x",{"__proto__":{"polluted":1}}]',
  '42["x",{"a":{"constructor":{"prototype":{"polluted":1}}}}]',
  '42["x",{"prototype":true,"constructor":"Ford"}]',
  '437[{"__proto__":1}]',
  '42/chat,["x",1]',
  '42/chat,3["x"]',
  "43[]",
  '430["answer",1]',
  "430[]",
  `461-0[${PLACEHOLDER}]`,
  '430[{"__proto__":1}]',
  '435["late"]',
  '40{"sid":"again"}',
  '40/chat,{"sid":"c"}',
  '44/chat,{"message":"no"}',
  "41/chat,",
  "2",
  "3",
  "6",
  "5",
  "4",
  '0{"sid":"second","upgrades":[],"pingInterval":10000,"pingTimeout":5000}',
  `451-["b",${PLACEHOLDER}]`,
  `4512-["x",${PLACEHOLDER}]`,
  `451-/chat,["b",${PLACEHOLDER}]`,
  "bBAUG",
  "bAQID",
];
/** Frames that end the connection or the namespace when valid: rarer, so trials go on longer. */
const ENDING_TEXT = ["1", "41", '44{"message":"no"}', '44"refused"'];

const randomBytes = (random: FuzzRandom, length: number) =>
  new Uint8Array(Array.from({ length }, () => random.int(256))).buffer;

function mutatedSequence(random: FuzzRandom): Frame[] {
  const frames: Frame[] = [];
  const count = 1 + random.int(6);
  for (let index = 0; index < count; index++) {
    if (random.int(14) === 0) {
      frames.push(randomBytes(random, random.int(6)));
      continue;
    }
    let text = random.int(12) === 0 ? random.pick(ENDING_TEXT) : random.pick(VALID_TEXT);
    const rounds = random.int(2) === 0 ? 0 : 1 + random.int(3);
    for (let round = 0; round < rounds; round++) text = mutateText(text, random, VALID_TEXT);
    frames.push(text);
    if (/^45\d*-/.test(text)) {
      const attachments = random.int(4) === 0 ? random.int(3) : 1;
      for (let extra = 0; extra < attachments; extra++)
        frames.push(randomBytes(random, 1 + random.int(4)));
    }
  }
  return frames;
}

const show = (frames: Frame[]) =>
  JSON.stringify(
    frames.map((frame) =>
      typeof frame === "string" ? frame : `<binary ${Buffer.from(frame).toString("hex")}>`,
    ),
  );

// ---------------------------------------------------------------------------------------------
// The oracle: what a frame encodes, read by Engine.IO's rules and socket.io's own parser.

type Expectation =
  | { kind: "engine-error" } // not Engine.IO: "transport error"
  | { kind: "engine-close" } // a close packet: "transport close"
  | { kind: "ping" } // a pong goes back
  | { kind: "ignored" } // open, pong, upgrade, noop, an empty message
  | { kind: "refused" } // socket.io-parser throws: "parse error"
  | { kind: "pending" } // a binary packet waits for attachments
  | { kind: "packet"; packet: ParserPacket; strict: boolean; safe: boolean };

class Oracle {
  #decoder = this.#fresh();
  #decoded: ParserPacket[] = [];

  #fresh(): Decoder {
    const decoder = new Decoder();
    decoder.on("decoded", (packet: ParserPacket) => this.#decoded.push(packet));
    return decoder;
  }

  /** Whether a binary packet waits for more attachments. */
  get reassembling(): boolean {
    return Boolean((this.#decoder as unknown as { reconstructor?: unknown }).reconstructor);
  }

  read(frame: Frame): Expectation {
    if (typeof frame !== "string") return this.#socketIo(frame, undefined);
    const type = frame.charAt(0);
    if (type === "b") {
      let binary: string;
      try {
        binary = atob(frame.slice(1));
      } catch {
        return { kind: "engine-error" };
      }
      return this.#socketIo(
        Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer,
        undefined,
      );
    }
    if (type === "" || !"0123456".includes(type)) return { kind: "engine-error" };
    if (type === "1") return { kind: "engine-close" };
    if (type === "2") return { kind: "ping" };
    if (type !== "4" || frame.length === 1) return { kind: "ignored" };
    return this.#socketIo(frame.slice(1), frame.slice(1));
  }

  #socketIo(data: string | ArrayBuffer, text: string | undefined): Expectation {
    this.#decoded = [];
    try {
      this.#decoder.add(data);
    } catch {
      this.#decoder = this.#fresh();
      return { kind: "refused" };
    }
    const packet = this.#decoded[0];
    if (!packet) return { kind: "pending" };
    // Strict: exactly what socket.io's encoder writes for a valid packet, so the client has no
    // reason to refuse it. Binary packets are compared loosely.
    const strict =
      text !== undefined &&
      new Encoder().encode(packet as never)[0] === text &&
      isValid(packet) &&
      (packet.id === undefined || Number.isSafeInteger(packet.id)) &&
      packet.nsp.length <= 256 &&
      // biome-ignore lint/suspicious/noControlCharactersInRegex: namespaces with control characters are refused
      !/[\u0000-\u001f\u007f]/.test(packet.nsp);
    return { kind: "packet", packet, strict, safe: isSafe(packet.data) };
  }
}

function isValid(packet: ParserPacket): boolean {
  const { type, data } = packet;
  if (type === 2) return Array.isArray(data) && data.length > 0;
  if (type === 3) return Array.isArray(data) && packet.id !== undefined;
  if (type === 1) return data === undefined;
  if (type === 0) return data === undefined || (typeof data === "object" && !Array.isArray(data));
  if (type === 4)
    return typeof data === "string" || (typeof data === "object" && !Array.isArray(data));
  return true;
}

/** What the SDK refuses as content (README, Bad input): `__proto__`, a constructor's prototype, depth > 32. */
function isSafe(value: unknown): boolean {
  const depthOf = (node: unknown): number => {
    if (typeof node !== "object" || node === null) return 0;
    let deepest = 0;
    for (const [key, child] of Object.entries(node)) {
      if (key === "__proto__") return Number.POSITIVE_INFINITY;
      if (
        key === "constructor" &&
        (child as { prototype?: unknown } | null)?.prototype !== undefined
      )
        return Number.POSITIVE_INFINITY;
      deepest = Math.max(deepest, depthOf(child));
    }
    return 1 + deepest;
  };
  return depthOf(value) <= 32;
}

const withoutAck = (event: unknown[]) => (event.at(-1) === "<ack>" ? event.slice(0, -1) : event);

// ---------------------------------------------------------------------------------------------
// One trial: a fresh socket, connected, then the frames.

const sockets: Socket[] = [];
let reported: unknown[] = [];

beforeEach(() => {
  fakeSockets.length = 0;
  reported = collectReportedErrors();
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const DECODE_ERROR_CODES = [
  "UNKNOWN_TYPE",
  "INVALID_NAMESPACE",
  "INVALID_ACK_ID",
  "INVALID_JSON",
  "INVALID_PAYLOAD",
  "TOO_MANY_ATTACHMENTS",
  "INVALID_ATTACHMENTS",
  "UNEXPECTED_BINARY",
  "TOO_DEEP",
  "FORBIDDEN_KEY",
];
const STATUSES = ["idle", "connecting", "connected", "reconnecting", "offline", "disconnected"];

/** How often each kind of frame was checked, so a fuzzer that checks nothing fails. */
const checked = new Map<string, number>();

/** Runs one trial; returns what went wrong (empty when all held). */
function trial(frames: Frame[], label: string, connectFirst: boolean): string[] {
  // Each trial on its own: what an earlier one left was reported there.
  vi.clearAllTimers();
  const problems: string[] = [];
  const fail = (what: string) => problems.push(`${what} (${label}, frames ${show(frames)})`);
  const socket = fakeIo({ reconnectionDelay: 100, reconnectionDelayMax: 100 });
  sockets.push(socket);
  const events: unknown[][] = [];
  const sentinels: unknown[] = [];
  const disconnects: string[] = [];
  const errors: Array<Error & { code?: string; packet?: unknown }> = [];
  socket.onAny((...event: unknown[]) => events.push(comparable(event) as unknown[]));
  socket.on("sentinel" as never, (value: unknown) => sentinels.push(value));
  socket.on("disconnect", (reason) => disconnects.push(reason));
  socket.io.on("error", (error: Error) => errors.push(error));
  const connectErrors: string[] = [];
  socket.on("connect_error", (error) => connectErrors.push(error.message));
  const fake = fakeSockets.at(-1)!;
  fake.serverOpen({ pingInterval: 10_000, pingTimeout: 5000 });
  const acks: unknown[][] = [];
  // Without the CONNECT reply, the frames come while the namespace is still connecting.
  let answered = !connectFirst;
  if (connectFirst) {
    fake.serverSend('40{"sid":"first"}');
    if (!socket.connected) {
      fail("the valid handshake did not connect");
      return problems;
    }
    // An emit waiting for its ack (id 0): its callback must get only what an ACK frame encodes.
    socket.emit("q", (...reply: unknown[]) => acks.push(comparable(reply) as unknown[]));
    if (fake.sent.at(-1) !== '420["q"]') fail(`the emit went out as ${String(fake.sent.at(-1))}`);
  }

  const oracle = new Oracle();
  const sent: unknown[][] = [];
  for (const frame of frames) {
    const wasConnected = socket.connected;
    const before = {
      connectErrors: connectErrors.length,
      events: events.length,
      acks: acks.length,
      disconnects: disconnects.length,
      errors: errors.length,
    };
    const pongs = fake.sent.filter((data) => data === "3").length;
    const expected = oracle.read(frame);
    const kind =
      expected.kind === "packet"
        ? `${expected.strict ? "strict" : "loose"} ${expected.safe ? "" : "unsafe "}type ${expected.packet.type}`
        : expected.kind;
    checked.set(kind, (checked.get(kind) ?? 0) + 1);
    if (expected.kind === "packet") sent.push(comparable(expected.packet.data) as unknown[]);
    try {
      fake.serverSend(frame);
    } catch (error) {
      fail(`the client threw ${String(error)} out of onmessage`);
      return problems;
    }
    const heard = events.slice(before.events);
    const closedWith = disconnects.slice(before.disconnects);
    const newErrors = errors.slice(before.errors);
    const at = `frame ${show([frame])}`;
    for (const error of newErrors) {
      if (error.name === "DecodeError" && !DECODE_ERROR_CODES.includes(error.code ?? ""))
        fail(`a DecodeError with an undocumented code ${error.code} at ${at}`);
    }
    // Whatever the frame, a listener hears only an event it encodes, as socket.io reads it.
    for (const event of heard) {
      const matches =
        expected.kind === "packet" &&
        expected.packet.type === 2 &&
        expected.packet.nsp === "/" &&
        JSON.stringify(withoutAck(event)) === JSON.stringify(comparable(expected.packet.data));
      // Events held back while the namespace was not connected may come out at a CONNECT.
      const earlier = sent.some(
        (data) => JSON.stringify(withoutAck(event)) === JSON.stringify(data),
      );
      if (!matches && !(!connectFirst && earlier))
        fail(`a listener heard ${JSON.stringify(event)}, which ${at} does not encode`);
    }
    const connects = expected.kind === "packet" && expected.packet.type === 0;
    if (heard.length > 1 && !connects) fail(`${heard.length} events from one ${at}`);
    const replies = acks.slice(before.acks);
    const answeredBefore = answered;
    for (const reply of replies) {
      const matches =
        expected.kind === "packet" &&
        expected.packet.type === 3 &&
        expected.packet.nsp === "/" &&
        expected.packet.id === 0 &&
        JSON.stringify(reply) === JSON.stringify(comparable(expected.packet.data));
      if (!matches || answeredBefore) fail(`the ack got ${JSON.stringify(reply)} from ${at}`);
    }
    // A reply refused for its content ends the wait too (README, Bad input).
    const refusedReply = newErrors.some((error) => {
      const packet = error.packet as { type?: number; nsp?: string; id?: number } | undefined;
      return packet?.type === 3 && packet.nsp === "/" && packet.id === 0;
    });
    if (replies.length > 0 || refusedReply) answered = true;
    const closed = !socket.io.engine || fake.readyState === 3;
    // A socket the server refused (CONNECT_ERROR) is no longer connected: it was told so.
    if (socket.connected && !socket.active) fail(`connected, yet inactive, after ${at}`);
    if (!wasConnected) {
      // Not connected yet (or no more, after the server's DISCONNECT): a connection that ends
      // now fails the attempt with connect_error (README), with no disconnect, as none connected.
      if (closed) {
        if (closedWith.length > 0)
          fail(`disconnect ${JSON.stringify(closedWith)} before any connect, at ${at}`);
        // A server's close packet there ends the attempt without a word (no connect_error, no
        // disconnect; the reconnection below goes on): the README promises no connect_error
        // for it, so only errors are held to one.
        if (
          !connectFirst &&
          expected.kind !== "engine-close" &&
          connectErrors.length === before.connectErrors
        )
          fail(`no connect_error when the connection ended at ${at}`);
        break;
      }
      continue;
    }
    const closedAs = (reason: string) => {
      if (closedWith.join() !== reason)
        fail(`disconnect ${JSON.stringify(closedWith)}, not "${reason}", at ${at}`);
    };
    switch (expected.kind) {
      case "engine-error":
        closedAs("transport error");
        break;
      case "engine-close":
        closedAs("transport close");
        break;
      case "ping":
        if (fake.sent.filter((data) => data === "3").length !== pongs + 1)
          fail(`no pong for ${at}`);
        closedAs("");
        break;
      case "ignored":
        closedAs("");
        if (heard.length > 0 || newErrors.length > 0) fail(`${at} was not ignored`);
        break;
      case "refused": {
        // README, Bad input: a DecodeError with its code, and the connection closes ("parse error").
        closedAs("parse error");
        const error = newErrors.find((candidate) => candidate.name === "DecodeError");
        if (!error || error.packet) fail(`no DecodeError on the Manager for ${at}`);
        break;
      }
      case "pending":
        if (heard.length > 0) fail(`an event before its attachments came, at ${at}`);
        if (closedWith.length > 0) closedAs("parse error");
        break;
      case "packet": {
        const { packet, strict, safe } = expected;
        if (!strict) {
          // The client may be stricter than socket.io-parser, never looser.
          if (closedWith.length > 0 && closedWith.join() !== "parse error") {
            // A DISCONNECT or CONNECT_ERROR for "/", as the client read it, ends the namespace.
            if (!((packet.type === 1 || packet.type === 4) && packet.nsp === "/"))
              closedAs("parse error");
          }
          break;
        }
        if (!safe && (packet.type === 0 || packet.type === 4)) {
          // README, Bad input: a refused CONNECT or CONNECT_ERROR still closes the connection.
          closedAs("parse error");
        } else if (packet.type === 2 && packet.nsp === "/") {
          if (safe) {
            const want = comparable(packet.data) as unknown[];
            if (packet.id !== undefined) want.push("<ack>");
            if (JSON.stringify(heard) !== JSON.stringify([want]))
              fail(`heard ${JSON.stringify(heard)}, not ${JSON.stringify([want])}, at ${at}`);
            closedAs("");
          } else {
            // README, Bad input: dropped alone, reported with its packet, the connection goes on.
            if (heard.length > 0) fail(`an unsafe payload reached a listener at ${at}`);
            const error = newErrors.find((candidate) => candidate.name === "DecodeError");
            if (!error?.packet || !["TOO_DEEP", "FORBIDDEN_KEY"].includes(error.code ?? ""))
              fail(`no refusal with its packet for ${at}`);
            closedAs("");
          }
        } else if (packet.type === 0 && packet.nsp === "/") {
          // Connects (again): events held back while connecting come out now.
          if (connectFirst && heard.length > 0) fail(`a CONNECT reached a listener at ${at}`);
          closedAs("");
        } else if (packet.type === 3 && packet.nsp === "/") {
          if (heard.length > 0) fail(`an ACK reached a listener at ${at}`);
          // README, Bad input: a refused reply leaves a plain callback uncalled.
          const want = packet.id === 0 && safe && !answeredBefore ? [comparable(packet.data)] : [];
          if (JSON.stringify(replies) !== JSON.stringify(want))
            fail(`the ack got ${JSON.stringify(replies)}, not ${JSON.stringify(want)}, at ${at}`);
          if (!safe && !newErrors.some((error) => error.packet))
            fail(`no refusal with its packet for ${at}`);
          closedAs("");
        } else if (packet.type === 1 && packet.nsp === "/") {
          closedAs("io server disconnect");
        } else if (packet.type === 4 && packet.nsp === "/") {
          // A refusal of the namespace joined: disconnected as by a DISCONNECT, then told why,
          // and inactive (no reconnection), as after a refused CONNECT.
          closedAs("io server disconnect");
          if (connectErrors.length === before.connectErrors) fail(`no connect_error for ${at}`);
          if (socket.active) fail(`the namespace socket went on after ${at}`);
        } else {
          if (heard.length > 0) fail(`another namespace's packet reached "/" at ${at}`);
          closedAs("");
        }
        break;
      }
    }
    if (closedWith.length > 0 || closed) break;
  }

  // Still connected: the next valid event arrives (a binary packet waiting for attachments
  // takes it as the malformed attachment it is).
  if (socket.connected && fake.readyState === 1) {
    const before = disconnects.length;
    const reassembling = oracle.reassembling;
    fake.serverSend('42["sentinel",42]');
    if (reassembling) {
      if (disconnects.slice(before).join() !== "parse error")
        fail("a text frame amid a binary packet's attachments did not close as a parse error");
    } else if (JSON.stringify(sentinels) !== "[42]") {
      fail(`the next valid event was not heard (heard ${JSON.stringify(sentinels)})`);
    }
  }

  // A connection lost to bad input comes back, after the backoff (none after the server's own
  // DISCONNECT of the namespace, nor for a namespace the server refused).
  const lastReason =
    disconnects.at(-1) ?? (fake.readyState === 3 && socket.active ? "a failed attempt" : undefined);
  if (lastReason && lastReason !== "io server disconnect") {
    const status = socket.io.getSnapshot().status;
    if (status !== "reconnecting") fail(`status ${status} after "${lastReason}"`);
    vi.advanceTimersByTime(150);
    const next = fakeSockets.at(-1)!;
    if (next === fake) fail(`no reconnection attempt after "${lastReason}"`);
    else {
      next.serverOpen({ pingInterval: 10_000, pingTimeout: 5000 });
      next.serverSend('40{"sid":"back"}');
      if (!socket.connected) fail(`not connected again after "${lastReason}"`);
    }
  }

  const snapshot = socket.io.getSnapshot();
  if (!STATUSES.includes(snapshot.status)) fail(`unknown status ${snapshot.status}`);
  if (socket.connected && snapshot.status !== "connected")
    fail(`connected, but the snapshot says ${snapshot.status}`);

  socket.disconnect();
  if (socket.io.getSnapshot().status !== "disconnected")
    fail(`status ${socket.io.getSnapshot().status} after disconnect()`);
  if (vi.getTimerCount() !== 0) fail(`${vi.getTimerCount()} timer(s) left after disconnect()`);
  const open = fakeSockets.filter((candidate: FakeWebSocket) => candidate.readyState !== 3);
  if (open.length > 0) fail(`${open.length} WebSocket(s) left open after disconnect()`);
  return problems;
}

const TRIALS_PER_SEED = 150;

describe("an io() socket fed fuzzed server frames", () => {
  it.each(fuzzSeeds("1-10"))(
    "seed %i: throws nothing, hands listeners only what frames encode, ends and recovers as documented",
    async (seed) => {
      const random = fuzzRandom(seed);
      checked.clear();
      const problems: string[] = [];
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on("unhandledRejection", onRejection);
      process.on("uncaughtExceptionMonitor", onUncaught);
      try {
        for (let index = 0; index < TRIALS_PER_SEED; index++) {
          const frames = mutatedSequence(random);
          fakeSockets.length = 0;
          const connectFirst = random.int(5) > 0;
          const label = `seed ${seed}, trial ${index}${connectFirst ? "" : ", frames while connecting"}`;
          problems.push(...trial(frames, label, connectFirst));
          sockets.splice(0);
          // What the client reported from a microtask, or left unhandled, belongs to this trial.
          await new Promise((resolve) => setImmediate(resolve));
          for (const list of [reported, uncaught, rejections])
            for (const [at, item] of list.entries())
              if (typeof item !== "string")
                list[at] = `${String(item)} (seed ${seed}, trial ${index}, frames ${show(frames)})`;
        }
      } finally {
        process.off("unhandledRejection", onRejection);
        process.off("uncaughtExceptionMonitor", onUncaught);
      }
      expect(problems).toEqual([]);
      // The properties were exercised: frames socket.io refuses, valid events, broken Engine.IO.
      for (const kind of ["refused", "strict type 2", "engine-error", "ignored"])
        expect(checked.get(kind) ?? 0, `${kind} frames checked, seed ${seed}`).toBeGreaterThan(0);
      expect(reported, `errors reported as uncaught, seed ${seed}`).toEqual([]);
      expect(uncaught, `uncaught exceptions, seed ${seed}`).toEqual([]);
      expect(rejections, `unhandled rejections, seed ${seed}`).toEqual([]);
    },
    20_000,
  );
});
