// What the seeded fuzz suites share: a replayable random source, the seeds to run, and the
// mutations of a text frame (sdk/src/__tests__/fuzz-server-frames.test.ts fuzzes the client,
// mock-server/test/fuzz-frames.test.ts the mock server).

/** mulberry32: a small seeded PRNG, so a failing seed replays exactly. */
export function fuzzRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}
export type FuzzRandom = ReturnType<typeof fuzzRandom>;

/** The seeds to run: WIRELINE_FUZZ_SEEDS=a-b (or one number), else `fallback` ("a-b"). */
export function fuzzSeeds(fallback: string): number[] {
  const range = process.env.WIRELINE_FUZZ_SEEDS ?? fallback;
  const match = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
  const from = Number(match?.[1]);
  const to = Number(match?.[2] ?? match?.[1]);
  if (!match || to < from)
    throw new Error(`WIRELINE_FUZZ_SEEDS must be "a-b" or "a", got ${range}`);
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** A binary placeholder as socket.io-parser writes it. */
export const PLACEHOLDER = '{"_placeholder":true,"num":0}';

/** What a mutation inserts: separators, numbers out of range, escapes, forbidden keys, framing. */
const INSERTS = [
  "\x1e",
  "\x1e\x1e",
  ",",
  "-",
  "/",
  "/nope,",
  "/chat,",
  "99999999999999999999999",
  "1e309",
  "-1",
  "0x10",
  "[",
  "]",
  "{",
  "}",
  '"',
  "\\",
  "\\u0000",
  "\u0000",
  "\ud800",
  "é",
  "😀",
  "\u2028",
  " ",
  "__proto__",
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '"connect"',
  '"disconnect"',
  "null",
  "b",
  "4",
  "45",
  "451-",
  PLACEHOLDER,
  '{"_placeholder":true,"num":7}',
  '{"_placeholder":true,"num":"0"}',
];

const deep = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

/**
 * One mutation of `text`: truncated, a character replaced, something inserted or cut or
 * repeated, nested deep, a number made huge, a namespace added, a byte flipped, or another of
 * `validText` appended after a record separator.
 */
export function mutateText(text: string, random: FuzzRandom, validText: readonly string[]): string {
  switch (random.int(10)) {
    case 0:
      return text.slice(0, random.int(text.length + 1));
    case 1: {
      const at = random.int(text.length);
      const unit = random.pick(INSERTS).charAt(0) || "?";
      return text.slice(0, at) + unit + text.slice(at + 1);
    }
    case 2: {
      const at = random.int(text.length + 1);
      return text.slice(0, at) + random.pick(INSERTS) + text.slice(at);
    }
    case 3: {
      const at = random.int(text.length);
      return text.slice(0, at) + text.slice(at + 1 + random.int(4));
    }
    case 4: {
      const at = random.int(text.length);
      const end = at + 1 + random.int(6);
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 5:
      // Deep nesting, on either side of the 32 levels the SDK refuses.
      return `42["x",${deep(random.pick([5, 30, 31, 32, 33, 64, 2000]))}]`;
    case 6:
      return text.replace(/\d+/, random.pick(["9".repeat(30), "1e21", "4294967296", "-0"]));
    case 7:
      return text.replace(/^4(\d)/, `4$1${random.pick(["/nope,", "/chat,", "/ünï,", "/,"])}`);
    case 8: {
      // A byte flip in the UTF-8 bytes, read back as text (lone bytes become U+FFFD).
      const bytes = Buffer.from(text);
      if (bytes.length === 0) return text;
      const at = random.int(bytes.length);
      bytes[at] = bytes[at]! ^ (1 << random.int(8));
      return bytes.toString();
    }
    default:
      return `${text}\x1e${random.pick(validText)}`;
  }
}
