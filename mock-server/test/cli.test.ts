import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { io as connect } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const scenario = fileURLToPath(new URL("./fixtures/scenario.mjs", import.meta.url));
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

  it("refuses a bad option with a message that says what to pass, and exit code 2", async () => {
    const { output, exited } = run(["--ping-interval", "soon"]);
    expect(await exited).toBe(2);
    expect(output()).toContain('--ping-interval needs a positive whole number of ms, got "soon"');
    expect(output()).toContain("Usage: wireline-mock-server");
  });
});
