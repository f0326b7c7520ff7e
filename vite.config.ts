import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { chromiumLaunchOptions } from "./scripts/browser.mjs";

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests and the demo never need a build.
const conditions = ["wireline-source", "module", "browser", "development|production"];

// The demo and fixture apps live in e2e/apps: `vite e2e/apps --config vite.config.ts` serves them.
export default defineConfig({
  resolve: { conditions },
  server: { port: 5173, strictPort: false },
  test: {
    projects: [
      {
        resolve: { conditions: ["wireline-source", "module", "node", "development|production"] },
        ssr: {
          resolve: {
            conditions: ["wireline-source", "module", "node"],
            externalConditions: ["wireline-source"],
          },
        },
        test: {
          name: "node",
          root: ".",
          include: ["{sdk,mock-server,scripts,bench}/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.browser.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { conditions },
        test: {
          name: "chromium",
          root: ".",
          include: ["sdk/**/*.browser.test.ts"],
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
