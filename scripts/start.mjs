// `npm start`: the mock server on port 3000 and the Vite dev server with the demo apps.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const serverPort = process.env.WIRELINE_SERVER_PORT ?? "3000";
const demoPort = process.env.WIRELINE_DEMO_PORT ?? "5173";
const viteBin = join(dirname(require.resolve("vite/package.json")), "bin", "vite.js");

const children = [
  spawn(
    process.execPath,
    [
      "--conditions=wireline-source",
      "--import",
      "tsx",
      "mock-server/src/cli.ts",
      "--port",
      serverPort,
    ],
    { stdio: "inherit" },
  ),
  spawn(process.execPath, [viteBin, "e2e/apps", "--config", "vite.config.ts", "--port", demoPort], {
    stdio: "inherit",
  }),
];

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  process.exitCode = code;
}
for (const child of children) {
  child.on("exit", (code) => stop(code ?? 0));
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
