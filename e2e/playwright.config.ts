import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "../scripts/browser.mjs";

// Tests import the mock server from its TypeScript sources: run Playwright through
// `npm run test:e2e` (or `npm test`), which sets NODE_OPTIONS=--conditions=wireline-source.

const appPort = Number(process.env.WIRELINE_E2E_PORT ?? 5199);

export default defineConfig({
  testDir: "./tests",
  outputDir: "../test-results/e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: "../test-results/reports/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${appPort}`,
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions(),
    trace: "retain-on-failure",
  },
  webServer: {
    // The fixture apps, served from sources by the same Vite config as the demo.
    command: `npx vite e2e/apps --config vite.config.ts --host 127.0.0.1 --port ${appPort} --strictPort`,
    cwd: "..",
    url: `http://127.0.0.1:${appPort}/fixtures/sdk.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
