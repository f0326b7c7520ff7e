import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { io as connect } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const scenario = fileURLToPath(new URL("./fixtures/scenario.mjs", import.meta.url));
const throwingScenario = fileURLToPath(
  new URL("./fixtures/throwing-scenario.mjs", import.meta.url),
);
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) child.kill();
});

function run(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [
    "--conditions=wireline-source",
    "--import",
    "tsx",
    cli,
    ...args,
  ]);
  running.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  return {
    child,
    output: () => output,
    exited: new Promise((resolve) => child.once("exit", resolve)),
  };
}

describe("the wireline-mock-server CLI", () => {
  it("prints its URL, runs a scenario module, and logs each connection", async () => {
    const { output } = run(["--port", "0", "--host", "127.0.0.1", "--scenario", scenario]);
    await expect
      .poll(() => output(), { timeout: 15_000 })
      .toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/socket\.io\//);
    const url = output().match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    const socket = connect(url, { transports: ["websocket"] });
    try {
      expect(await socket.timeout(5000).emitWithAck("whoami")).toBe("scenario");
      await expect.poll(() => output()).toMatch(/connection /);
    } finally {
      socket.disconnect();
    }
  });

  it("runs the demo scenario without --scenario, logging packets both ways", async () => {
    const { output } = run(["--port", "0", "--host", "127.0.0.1", "--ping-interval", "5000"]);
    await expect.poll(() => output(), { timeout: 15_000 }).toMatch(/listening on/);
    const url = output().match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    const [a, b] = [0, 1].map(() => connect(url, { transports: ["websocket"], forceNew: true }));
    // The demo scenario greets each socket with "auth" once it joined.
    const bJoined = new Promise((resolve) => b!.once("auth", resolve));
    try {
      const back = new Promise((resolve) => a!.once("message-back", resolve));
      a!.emit("message", "hi");
      expect(await back).toBe("hi");
      expect(await a!.timeout(5000).emitWithAck("message-with-ack", 1, 2)).toBe(1);
      await bJoined;
      const chat = new Promise((resolve) => b!.once("chat", resolve));
      a!.emit("chat", "to all");
      expect(await chat).toBe("to all");
      await expect.poll(() => output()).toMatch(/← \S+ 2\["message","hi"\]/);
      await expect.poll(() => output()).toMatch(/→ \S+ 2\["message-back","hi"\]/);
    } finally {
      a!.disconnect();
      b!.disconnect();
    }
  });

  it("prints only its URL with --quiet", async () => {
    const { output } = run(["--port", "0", "--host", "127.0.0.1", "--quiet"]);
    await expect.poll(() => output(), { timeout: 15_000 }).toMatch(/listening on/);
    const url = output().match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    const socket = connect(url, { transports: ["websocket"] });
    try {
      expect(await socket.timeout(5000).emitWithAck("message-with-ack", "x")).toBe("x");
      expect(output().trim().split("\n")).toHaveLength(1);
    } finally {
      socket.disconnect();
    }
  });

  it("refuses a bad option with a message that says what to pass, and exit code 2", async () => {
    const { output, exited } = run(["--ping-interval", "soon"]);
    expect(await exited).toBe(2);
    expect(output()).toContain(
      '--ping-interval needs a whole number of ms from 1 to 2147483647, got "soon"',
    );
    expect(output()).toContain("Usage: wireline-mock-server");
    const badSeed = run(["--storm-seed", "1.5"]);
    expect(await badSeed.exited).toBe(2);
    expect(badSeed.output()).toContain('--storm-seed needs a whole number >= 0, got "1.5"');
  });

  it("refuses ms past a timer's range (Node would fire it after 1 ms), with exit code 2", async () => {
    const interval = run(["--ping-interval", "3000000000"]);
    const timeout = run(["--ping-timeout", "1e10"]);
    expect(await interval.exited).toBe(2);
    expect(interval.output()).toContain(
      '--ping-interval needs a whole number of ms from 1 to 2147483647, got "3000000000"',
    );
    expect(await timeout.exited).toBe(2);
    expect(timeout.output()).toContain("from 1 to 2147483647");
  });

  it("says what is wrong with an empty port or a scenario it cannot load or run, with exit code 2", async () => {
    const emptyPort = run(["--port", ""]);
    expect(await emptyPort.exited).toBe(2);
    expect(emptyPort.output()).toContain('--port needs a port number, got ""');
    const missing = run(["--scenario", "./no-such-scenario.mjs"]);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain("cannot load the scenario ./no-such-scenario.mjs");
    const throwing = run(["--port", "0", "--scenario", throwingScenario]);
    expect(await throwing.exited).toBe(2);
    expect(throwing.output()).toContain("failed: Error: broken scenario");
  });

  it("with --storm-seed, strikes that seed's faults and logs each; clients live through it", async () => {
    const { output } = run(["--port", "0", "--host", "127.0.0.1", "--storm-seed", "42"]);
    // Two lines, which may arrive in separate chunks: wait for the second.
    await expect
      .poll(() => output(), { timeout: 15_000 })
      .toContain("Fault storm on, seed 42 (replay it with --storm-seed 42)");
    expect(output()).toMatch(/listening on/);
    await expect.poll(() => output().match(/storm: \w+/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    const url = output().match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    const socket = connect(url, {
      reconnectionDelay: 10,
      reconnectionDelayMax: 100,
      retries: 50,
      ackTimeout: 500,
    });
    try {
      // A fault may cut a try off; the retries land one in the end.
      expect(await socket.emitWithAck("message-with-ack", "through")).toBe("through");
    } finally {
      socket.disconnect();
    }
  });
});
