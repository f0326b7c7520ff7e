import react from "@vitejs/plugin-react";
import vue from "@vitejs/plugin-vue";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { chromiumLaunchOptions } from "./scripts/browser.mjs";

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests and the demo never need a build.
const conditions = ["wireline-source", "module", "browser", "development|production"];

// How Node-side code (tests, global setups) resolves workspace packages: from sources too.
const nodeSsr = {
  resolve: {
    conditions: ["wireline-source", "module", "node"],
    externalConditions: ["wireline-source"],
  },
};

// The demo and fixture apps live in e2e/apps: `vite e2e/apps --config vite.config.ts` serves them.
export default defineConfig({
  // Fast Refresh for the demo's React page. The test projects leave it out: it asks Vite to
  // pre-bundle `react` without an importer, which Vite resolves against the root first and
  // so to this repository's own react/ folder. JSX compiles without it.
  plugins: [react(), vue()],
  resolve: { conditions },
  server: { port: 5173, strictPort: false },
  test: {
    projects: [
      {
        plugins: [vue()],
        resolve: { conditions: ["wireline-source", "module", "node", "development|production"] },
        ssr: nodeSsr,
        test: {
          name: "node",
          // Waits are upper bounds; a loaded 2-core machine needs more than the 1 s default.
          expect: { poll: { timeout: 5000 } },
          root: ".",
          include: ["{sdk,mock-server,react,vue,scripts,bench}/**/*.test.{ts,tsx}"],
          exclude: ["**/node_modules/**", "**/*.browser.test.{ts,tsx}"],
          environment: "node",
          // Lets memory tests collect garbage before they measure.
          execArgv: ["--expose-gc"],
        },
      },
      {
        plugins: [vue()],
        resolve: { conditions },
        // The global setup runs in Node, in Vitest's own environment.
        environments: { __vitest__: { resolve: nodeSsr.resolve } },
        // Serves MSW's mockServiceWorker.js, which `setupWorker` needs for HTTP (polling) mocks.
        publicDir: "sdk/test/public",
        // Tests import these only after MSW starts (socket.io-client reads the global WebSocket at
        // load); listed so the optimizer bundles them up front instead of reloading mid-run.
        optimizeDeps: {
          include: ["socket.io-client", "@mswjs/socket.io-binding", "socket.io-msgpack-parser"],
        },
        test: {
          name: "chromium",
          // Waits are upper bounds; a loaded 2-core machine needs more than the 1 s default.
          expect: { poll: { timeout: 5000 } },
          root: ".",
          include: ["{sdk,react,vue}/**/*.browser.test.{ts,tsx}"],
          // Browser tests can't start servers: this starts them in Node and provides their URLs.
          globalSetup: ["sdk/test/servers.global-setup.ts"],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: "chromium" }],
          },
        },
      },
    ],
  },
});
