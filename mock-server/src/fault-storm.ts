import { callListener } from "@wireline/sdk/server-core";
import type { FaultName, Faults } from "./faults.ts";

/** The faults a storm draws from, by the name of the {@link Faults} method each one calls. */
export type StormFaultName =
  | "dropTransports"
  | "restart"
  | "blackHole"
  | "stopPings"
  | "closeAfterPackets"
  | "rejectHandshakes"
  | "delayHandshakes"
  | "refuseWebSocket";

/** Every fault a storm may strike with, the default draw. */
export const STORM_FAULTS: readonly StormFaultName[] = [
  "dropTransports",
  "restart",
  "blackHole",
  "stopPings",
  "closeAfterPackets",
  "rejectHandshakes",
  "delayHandshakes",
  "refuseWebSocket",
];

/** Options of {@link Faults.storm}. */
export interface StormOptions {
  /** Seeds the schedule: one seed always draws the same faults in the same order. Default: random. */
  seed?: number;
  /** Shortest and longest pause between two faults, in ms. Default: [80, 300]. */
  gapMs?: readonly [number, number];
  /** Shortest and longest time a lasting fault holds before it lifts, in ms. Default: [100, 500]. */
  holdMs?: readonly [number, number];
  /** The faults to draw from. Default: {@link STORM_FAULTS}, all of them. */
  faults?: readonly StormFaultName[];
  /** Called as each fault strikes, e.g. to log it. */
  onFault?: (fault: StormFaultName) => void;
}

/** A running storm, from {@link Faults.storm}. */
export interface Storm {
  /** The seed in use (the one given, or the random one drawn): pass it again to replay. */
  readonly seed: number;
  /** The faults struck so far, in order. */
  readonly schedule: readonly StormFaultName[];
  /** Whether it still strikes (not stopped). */
  readonly running: boolean;
  /**
   * Ends the storm: no more faults, and those holding (a restart's downtime too) lift now.
   * Connections a black hole or a silenced heartbeat killed stay dead, as on a real network,
   * for clients to notice.
   */
  stop(): void;
}

/**
 * A deterministic random source (xorshift32): numbers in [0, 1), the same sequence for the same
 * seed. The generator storms use; for fault schedules of your own that a seed can replay.
 *
 * @example
 * const random = seededRandom(7);
 * const delay = 100 + random() * 400;
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** The storm's faults that hold for a while, until `clear(name)` lifts them. */
type HeldFault = Extract<StormFaultName, FaultName>;

function checkRange(name: string, range: readonly [number, number]): void {
  // From JSON over HTTP it may be anything.
  const valid =
    Array.isArray(range) &&
    range.length === 2 &&
    Number.isFinite(range[0]) &&
    Number.isFinite(range[1]) &&
    range[0] >= 0 &&
    range[1] >= range[0];
  if (!valid)
    throw new Error(
      `Wireline: storm ${name} needs [shortest, longest] ms with 0 <= shortest <= longest, got ${JSON.stringify(range)}`,
    );
}

/**
 * Strikes `faults` one after another at random moments, each chosen by a seeded generator, until
 * stopped: transports dropped, restarts (recovery state kept or lost, some downtime), connections
 * black-holed or left without pings (only those open at the time: a network path dying while new
 * connections work), and for a while: connections closed after a few packets, handshakes refused
 * or slowed, WebSocket refused.
 */
export function startStorm(faults: Faults, options: StormOptions = {}): Storm {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`Wireline: a storm seed is a whole number >= 0, got ${JSON.stringify(seed)}`);
  const gap = options.gapMs ?? [80, 300];
  const hold = options.holdMs ?? [100, 500];
  checkRange("gapMs", gap);
  checkRange("holdMs", hold);
  const draw = options.faults ?? STORM_FAULTS;
  if (
    !Array.isArray(draw) ||
    draw.length === 0 ||
    draw.some((name) => !STORM_FAULTS.includes(name))
  )
    throw new Error(
      `Wireline: a storm draws from ${STORM_FAULTS.join(", ")}; got ${JSON.stringify(draw)}`,
    );
  const onFault = options.onFault;
  if (onFault !== undefined && typeof onFault !== "function")
    throw new Error(
      `Wireline: a storm's onFault is a function (fault) => void, got ${JSON.stringify(onFault)}`,
    );

  const random = seededRandom(seed);
  const between = ([shortest, longest]: readonly [number, number]) =>
    shortest + random() * (longest - shortest);
  const schedule: StormFaultName[] = [];
  /** Lasting faults holding now, each with its lift and the timer that calls it. */
  const holding = new Map<HeldFault, { lift: () => void; timer: ReturnType<typeof setTimeout> }>();
  let next: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  /** Lifts `fault` after a random hold; striking it again while it holds starts the hold over. */
  const holdFor = (fault: HeldFault) => {
    clearTimeout(holding.get(fault)?.timer);
    const lift = () => faults.clear(fault);
    const timer = setTimeout(() => {
      holding.delete(fault);
      lift();
    }, between(hold));
    holding.set(fault, { lift, timer });
  };

  const strike = (fault: StormFaultName) => {
    switch (fault) {
      case "dropTransports":
        faults.dropTransports();
        break;
      case "restart": {
        const downtimeMs = Math.floor(random() * 300);
        faults.restart({ keepRecoveryState: random() < 0.5, downtimeMs });
        // Down for its downtime: held as the lasting faults are, so that stop() ends it too.
        clearTimeout(holding.get(fault)?.timer);
        holding.set(fault, {
          lift: () => faults.clear(fault),
          timer: setTimeout(() => holding.delete(fault), downtimeMs),
        });
        break;
      }
      case "blackHole":
        faults.blackHole({ scope: "current" });
        break;
      case "stopPings":
        faults.stopPings({ scope: "current" });
        break;
      case "closeAfterPackets":
        faults.closeAfterPackets(1 + Math.floor(random() * 20));
        holdFor(fault);
        break;
      case "rejectHandshakes":
        faults.rejectHandshakes(503);
        holdFor(fault);
        break;
      case "delayHandshakes":
        faults.delayHandshakes(50 + Math.floor(random() * 250));
        holdFor(fault);
        break;
      case "refuseWebSocket":
        faults.refuseWebSocket();
        holdFor(fault);
        break;
    }
  };

  const scheduleNext = () => {
    next = setTimeout(() => {
      if (stopped) return;
      const fault = draw[Math.floor(random() * draw.length)] as StormFaultName;
      schedule.push(fault);
      strike(fault);
      // What it throws is reported as uncaught: the storm goes on, as `running` says.
      if (onFault) callListener(onFault, undefined, [fault]);
      scheduleNext();
    }, between(gap));
  };
  scheduleNext();

  return {
    seed,
    schedule,
    get running() {
      return !stopped;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(next);
      for (const { lift, timer } of holding.values()) {
        clearTimeout(timer);
        lift();
      }
      holding.clear();
    },
  };
}
