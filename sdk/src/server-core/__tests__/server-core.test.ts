// The pieces both mock servers build on, at their edges; the servers' own suites cover the rest.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Emitter } from "../../emitter.ts";
import {
  AwaitedAcks,
  ackReplier,
  broadcastThroughChildren,
  CatchAllListeners,
  ConnectionRecovery,
  checkAckTimeout,
  checkEventName,
  collectBroadcastAcks,
  connectErrorData,
  DynamicNamespaces,
  type NamespaceMatcher,
  namespaceAllowed,
  RoomAdapter,
  reportSocketError,
  roomNames,
  runMiddlewares,
  SocketRooms,
  selectTargets,
} from "../index.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Collects what is reported as uncaught (thrown from a microtask) instead of reporting it. */
function catchReported(): unknown[] {
  const reported: unknown[] = [];
  vi.spyOn(globalThis, "queueMicrotask").mockImplementation((task) => {
    try {
      task();
    } catch (error) {
      reported.push(error);
    }
  });
  return reported;
}

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

  it("turns an async middleware that rejects into a refusal", async () => {
    const outcome = await runMiddlewares<string>(
      [
        async () => {
          throw new Error("async boom");
        },
      ],
      "socket",
    );
    expect(outcome?.message).toBe("async boom");
  });

  it.each([
    ["a string", "not allowed"],
    ["a number", 401],
  ])("turns a refusal that is %s into an Error with it as message", async (_label, value) => {
    const outcome = await runMiddlewares<string>(
      [(_socket, next) => next(value as never)],
      "socket",
    );
    expect(outcome).toBeInstanceOf(Error);
    expect(connectErrorData(outcome!)).toEqual({ message: String(value) });
  });

  it("reports what a middleware throws after its next(), instead of losing it", async () => {
    const reported = catchReported();
    const bug = new Error("after next");
    const outcome = await runMiddlewares<string>(
      [
        (_socket, next) => {
          next();
          throw bug;
        },
      ],
      "socket",
    );
    expect(outcome).toBeUndefined();
    expect(reported).toEqual([bug]);
  });
});

describe("what a server emits", () => {
  it("takes string and finite number event names, and refuses others and reserved ones", () => {
    expect(() => checkEventName("news")).not.toThrow();
    expect(() => checkEventName(42)).not.toThrow();
    for (const [name, type] of [
      [undefined, "undefined"],
      [null, "object"],
      [Symbol("x"), "symbol"],
      [Number.NaN, "NaN"],
    ] as const)
      expect(() => checkEventName(name)).toThrow(
        new TypeError(`Wireline: an event name is a string, got ${type}.`),
      );
    expect(() => checkEventName("disconnect")).toThrow('"disconnect" is a reserved event name');
  });

  it("takes an ack timeout from 0 to 2^31 - 1 ms", () => {
    expect(checkAckTimeout(0)).toBe(0);
    expect(checkAckTimeout(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, "1000"])
      expect(() => checkAckTimeout(ms)).toThrow(RangeError);
    expect(() => checkAckTimeout("1000")).toThrow('got "1000".');
  });

  it("logs an event for recovery with the offset it was encoded with", () => {
    const recovery = new ConnectionRecovery({});
    const socket = { pid: "p", id: "s", nsp: { name: "/" }, rooms: ["s"], data: {} };
    const first = recovery.record("/", [], [], ["first"]);
    recovery.persist(socket, "transport close");
    // Taken for an emit that failed to encode: never logged, never replayed.
    recovery.nextOffset();
    const offset = recovery.nextOffset();
    expect(recovery.record("/", [], [], ["news", 1], offset)).toBe(offset);
    expect(recovery.restore("p", first, "/")?.missed).toEqual([["news", 1, offset]]);
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

describe("SocketRooms", () => {
  it("joins and leaves rooms, and joins nothing once it left for good", () => {
    const adapter = new RoomAdapter();
    const rooms = new SocketRooms(adapter, "a");
    rooms.join("a");
    rooms.join(["red", "blue"]);
    expect(rooms.current).toEqual(new Set(["a", "red", "blue"]));
    rooms.leave("blue");
    expect(adapter.rooms.has("blue")).toBe(false);
    rooms.leaveForGood();
    // Must not put a gone socket back in a room (a late join in an app's listener).
    rooms.join("red");
    expect(rooms.current).toEqual(new Set());
    expect(adapter.rooms.size).toBe(0);
  });

  it("refuses what is no room, and takes one room or an array of them", () => {
    const rooms = new SocketRooms(new RoomAdapter(), "a");
    for (const value of [undefined, null, {}, new Set(["x"]), ["ok", undefined]]) {
      expect(() => rooms.join(value as never)).toThrow(/Wireline: a room is a string/);
    }
    expect(() => rooms.leave(undefined as never)).toThrow(TypeError);
    expect(rooms.current).toEqual(new Set());
    expect(roomNames("red")).toEqual(["red"]);
    expect(roomNames(["red", 7])).toEqual(["red", 7]);
  });
});

describe("reportSocketError", () => {
  it("hands the error to the error listeners, or logs it when there is none", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const socket = Object.assign(new EventEmitter(), { id: "abc" });
    const error = new Error("refused");
    reportSocketError(socket, error, (reported) => socket.emit("error", reported), "mock server");
    expect(logged).toHaveBeenCalledWith(
      'Wireline mock server: socket abc has no "error" listener for',
      error,
    );
    const heard: Error[] = [];
    socket.on("error", (reported: Error) => heard.push(reported));
    reportSocketError(socket, error, (reported) => socket.emit("error", reported), "mock server");
    expect(heard).toEqual([error]);
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});

describe("connectErrorData", () => {
  it("sends a refusal's message, and its data only when it has some", () => {
    expect(connectErrorData(new Error("denied"))).toEqual({ message: "denied" });
    const withData = Object.assign(new Error("denied"), { data: { retry: false } });
    expect(connectErrorData(withData)).toEqual({ message: "denied", data: { retry: false } });
  });
});

describe("namespaceAllowed", () => {
  it("refuses a name when the matcher function throws, reporting the error", async () => {
    const reported = catchReported();
    const bug = new Error("matcher bug");
    const matcher: NamespaceMatcher = () => {
      throw bug;
    };
    await expect(namespaceAllowed(matcher, "/dyn", {})).resolves.toBe(false);
    expect(reported).toEqual([bug]);
  });
});

describe("DynamicNamespaces", () => {
  type Listener = (socket: string) => void;
  /** A namespace on the SDK's Emitter, as the MSW mock's. */
  class TestNamespace extends Emitter<{ connect: Listener; connection: Listener }> {
    readonly children = new Set<TestNamespace>();
    readonly middlewares: string[] = [];
    constructor(
      readonly name: string,
      readonly isParent = false,
    ) {
      super();
    }
  }

  /** A server's namespaces, made by `create` and counted. */
  function registry() {
    const namespaces = new Map<string, TestNamespace>();
    return {
      namespaces,
      existing: (name: string) => namespaces.get(name),
      create: (name: string) => {
        const namespace = new TestNamespace(name);
        namespaces.set(name, namespace);
        return namespace;
      },
    };
  }

  it("makes the namespace the first allowing matcher adopts, with its middlewares and listeners", async () => {
    const dynamic = new DynamicNamespaces<TestNamespace>();
    const refusing = new TestNamespace("regex", true);
    const parent = new TestNamespace("fn", true);
    const connection: Listener = () => {};
    parent.middlewares.push("auth");
    parent.on("connection", connection);
    dynamic.add(/^\/a/, refusing);
    dynamic.add((name, auth, next) => next(null, name === "/b" && auth.ok === true), parent);
    const servers = registry();

    const child = await dynamic.match("/b", { ok: true }, servers);
    expect(child?.name).toBe("/b");
    expect([...parent.children]).toEqual([child]);
    expect(refusing.children.size).toBe(0);
    expect(child?.middlewares).toEqual(["auth"]);
    expect(child?.listeners("connection")).toEqual([connection]);
    expect(await dynamic.match("/c", { ok: true }, servers)).toBeUndefined();
    dynamic.clear();
    expect(await dynamic.match("/b2", { ok: true }, registry())).toBeUndefined();
  });

  it("returns a namespace made while a matcher answered, without adopting it twice", async () => {
    const dynamic = new DynamicNamespaces<TestNamespace>();
    const parent = new TestNamespace("fn", true);
    parent.middlewares.push("auth");
    const answers: Array<() => void> = [];
    const slow: NamespaceMatcher = (_name, _auth, next) => answers.push(() => next(null, true));
    dynamic.add(slow, parent);
    const servers = registry();

    const first = dynamic.match("/slow", {}, servers);
    const second = dynamic.match("/slow", {}, servers);
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    for (const answer of answers) answer();
    const [a, b] = await Promise.all([first, second]);
    // Must be one namespace, holding the parent's middleware once.
    expect(a).toBe(b);
    expect(a?.middlewares).toEqual(["auth"]);
  });

  it("sends a parent's broadcast through each child, but not one with an ack", () => {
    const parent = { isParent: true, children: new Set(["/a", "/b"]) };
    const reached: string[] = [];
    expect(broadcastThroughChildren(parent, ["news"], (child) => reached.push(child))).toBe(true);
    expect(reached).toEqual(["/a", "/b"]);
    expect(broadcastThroughChildren(parent, ["news", () => {}], () => {})).toBe(false);
    const ordinary = { isParent: false, children: new Set<string>() };
    expect(broadcastThroughChildren(ordinary, ["news"], () => {})).toBe(false);
  });
});
