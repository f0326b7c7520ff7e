// The pieces both mock servers build on, at their edges; the servers' own suites cover the rest.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AwaitedAcks,
  ackReplier,
  CatchAllListeners,
  collectBroadcastAcks,
  RoomAdapter,
  runMiddlewares,
  selectTargets,
} from "../index.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("rooms", () => {
  it("targets room members once each, less the excepted rooms, and drops empty rooms", () => {
    const adapter = new RoomAdapter();
    for (const id of ["a", "b", "c"]) adapter.addAll(id, [id]);
    adapter.addAll("a", ["red"]);
    adapter.addAll("b", ["red", "blue"]);
    const { rooms } = adapter;
    const all = ["a", "b", "c"];
    expect(selectTargets(all, rooms, new Set(), new Set())).toEqual(["a", "b", "c"]);
    expect(selectTargets(all, rooms, new Set(["red", "blue"]), new Set())).toEqual(["a", "b"]);
    expect(selectTargets(all, rooms, new Set(["red"]), new Set(["blue"]))).toEqual(["a"]);
    expect(selectTargets(all, rooms, new Set(["none"]), new Set())).toEqual([]);
    adapter.del("b", "blue");
    expect(rooms.has("blue")).toBe(false);
    expect(adapter.sids.get("b")).toEqual(new Set(["b", "red"]));
  });

  it("announces rooms as socket.io's adapter, and a throwing listener stops no bookkeeping", () => {
    const adapter = new RoomAdapter();
    const events: string[] = [];
    adapter.on("create-room", (room) => events.push(`create ${room}`));
    adapter.on("join-room", (room, id) => events.push(`join ${room} ${id}`));
    adapter.on("leave-room", (room, id) => events.push(`leave ${room} ${id}`));
    adapter.on("delete-room", (room) => events.push(`delete ${room}`));
    const uncaught = vi.spyOn(globalThis, "queueMicrotask").mockImplementation(() => {});
    adapter.on("join-room", () => {
      throw new Error("a script's listener");
    });
    adapter.addAll("a", ["game", "game"]);
    adapter.addAll("b", ["game"]);
    adapter.delAll("a");
    adapter.delAll("b");
    adapter.delAll("b");
    uncaught.mockRestore();
    expect(events).toEqual([
      "create game",
      "join game a",
      "join game b",
      "leave game a",
      "leave game b",
      "delete game",
    ]);
    expect(adapter.rooms.size).toBe(0);
    expect(adapter.sids.size).toBe(0);
  });
});

describe("runMiddlewares", () => {
  it("runs in order, stops at the first refusal, and ignores a second next()", async () => {
    const order: number[] = [];
    const refusal = Object.assign(new Error("no"), { data: { retry: false } });
    const outcome = await runMiddlewares<string>(
      [
        (_socket, next) => {
          order.push(1);
          next();
          next(new Error("late"));
        },
        (_socket, next) => {
          order.push(2);
          next(refusal);
        },
        () => order.push(3),
      ],
      "socket",
    );
    expect(outcome).toBe(refusal);
    expect(order).toEqual([1, 2]);
  });

  it("turns a middleware that throws into a refusal", async () => {
    const outcome = await runMiddlewares<string>(
      [
        () => {
          throw new Error("boom");
        },
      ],
      "socket",
    );
    expect(outcome?.message).toBe("boom");
    await expect(runMiddlewares([], "socket")).resolves.toBeUndefined();
  });
});

describe("AwaitedAcks", () => {
  it("gives a timed ack its reply error-first, or a timeout error once", () => {
    vi.useFakeTimers();
    const acks = new AwaitedAcks();
    const calls: unknown[][] = [];
    acks.add(1, (...args) => calls.push(args), 100);
    acks.add(2, (...args) => calls.push(args), 100);
    expect(acks.reply(1, ["yes"])).toBe(true);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual([[null, "yes"], [new Error("operation has timed out")]]);
    expect(acks.reply(2, ["late"])).toBe(false);
  });

  it("forgets untimed acks when the client leaves, but still times out the timed ones", () => {
    vi.useFakeTimers();
    const acks = new AwaitedAcks();
    const calls: unknown[][] = [];
    acks.add(1, (...args) => calls.push(["plain", ...args]));
    acks.add(2, (...args) => calls.push(["timed", ...args]), 50);
    acks.forgetUntimed();
    expect(acks.has(1)).toBe(false);
    vi.advanceTimersByTime(50);
    expect(calls).toEqual([["timed", new Error("operation has timed out")]]);
  });

  it("answers a client's ack request once", () => {
    const sent: unknown[][] = [];
    const reply = ackReplier((args) => sent.push(args));
    reply("first");
    reply("second");
    expect(sent).toEqual([["first"]]);
  });
});

describe("collectBroadcastAcks", () => {
  it("collects one response per target, or fails with those so far when the timeout passes", () => {
    vi.useFakeTimers();
    const targets = [{ acks: new AwaitedAcks() }, { acks: new AwaitedAcks() }];
    const outcomes: unknown[] = [];
    collectBroadcastAcks(targets, 7, 100, (error, responses) => outcomes.push([error, responses]));
    targets[0]!.acks.reply(7, ["one"]);
    targets[1]!.acks.reply(7, ["two"]);
    expect(outcomes).toEqual([[null, ["one", "two"]]]);

    collectBroadcastAcks(targets, 8, 100, (error, responses) => outcomes.push([error, responses]));
    targets[0]!.acks.reply(8, ["only"]);
    vi.advanceTimersByTime(100);
    expect(outcomes[1]).toEqual([new Error("operation has timed out"), ["only"]]);
    expect(targets[1]!.acks.has(8)).toBe(false);
  });

  it("answers at once, with no responses, when there is no target", async () => {
    const outcome = await new Promise((resolve) =>
      collectBroadcastAcks([], 1, 100, (error, responses) => resolve([error, responses])),
    );
    expect(outcome).toEqual([null, []]);
  });
});

describe("CatchAllListeners", () => {
  it("calls listeners in order, prepended ones first, and applies changes from the next event", () => {
    const listeners = new CatchAllListeners();
    const calls: string[] = [];
    const late = (event: string) => calls.push(`late:${event}`);
    const first = (event: string, ...args: unknown[]) => {
      calls.push(`first:${event}:${args.join(",")}`);
      listeners.add(late);
    };
    listeners.add(first);
    listeners.prepend((event) => calls.push(`prepended:${event}`));
    listeners.dispatch(undefined, "a", [1, 2]);
    expect(calls).toEqual(["prepended:a", "first:a:1,2"]);
    listeners.remove(first);
    listeners.dispatch(undefined, "b", []);
    expect(calls.slice(2)).toEqual(["prepended:b", "late:b"]);
    expect(listeners.list()).toHaveLength(2);
    listeners.remove();
    expect(listeners.size).toBe(0);
  });

  it("removes one copy of a listener added twice, as socket.io's offAny", () => {
    const listeners = new CatchAllListeners();
    const listener = () => {};
    listeners.add(listener);
    listeners.add(listener);
    listeners.remove(listener);
    expect(listeners.list()).toEqual([listener]);
  });
});
