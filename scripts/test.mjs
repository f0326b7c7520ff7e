// `npm test`: lint, typecheck, build, unit tests (Node + real Chromium) and e2e (Playwright),
// with one summary line at the end. Exits non-zero when any step fails.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./browser.mjs";

const chromium = findChromium();
if (!chromium) {
  console.error(HOW_TO_GET_CHROMIUM);
  process.exit(1);
}

const reports = resolve("test-results", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitestReport = join(reports, "vitest.json");
const playwrightReport = join(reports, "playwright.json");

const steps = [
  { name: "lint", command: ["npx", "biome", "check", "."] },
  { name: "typecheck", command: ["npx", "tsc", "-p", "tsconfig.json"] },
  // What gets published: each package's dist, built as a consumer without our sources sees it.
  { name: "build", command: ["npm", "run", "build"] },
  {
    name: "unit",
    command: [
      "npx",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${vitestReport}`,
    ],
  },
  {
    name: "e2e",
    command: ["npx", "playwright", "test", "-c", "e2e/playwright.config.ts"],
    // The e2e tests import workspace packages from their TypeScript sources.
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --conditions=wireline-source`.trim() },
  },
];

const only = process.argv.slice(2);
const failed = [];
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  console.log(`\n▶ ${step.name}: ${step.command.join(" ")}`);
  const [bin, ...args] = step.command;
  const result = spawnSync(bin, args, {
    stdio: "inherit",
    env: { ...process.env, CHROMIUM_PATH: chromium, ...step.env },
  });
  if (result.status !== 0) failed.push(step.name);
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
};
const vitest = readJson(vitestReport);
if (vitest) {
  counts.passed += vitest.numPassedTests ?? 0;
  counts.failed += vitest.numFailedTests ?? 0;
  counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
const playwright = readJson(playwrightReport);
if (playwright?.stats) {
  counts.passed += playwright.stats.expected ?? 0;
  counts.failed += (playwright.stats.unexpected ?? 0) + (playwright.stats.flaky ?? 0);
  counts.skipped += playwright.stats.skipped ?? 0;
}
for (const step of ["lint", "typecheck", "build"]) if (failed.includes(step)) counts.failed += 1;

console.log(failed.length ? `\n✖ failed steps: ${failed.join(", ")}` : "\n✔ all steps passed");
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failed.length ? 1 : 0);
