import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { chromiumLaunchOptions } from "./scripts/browser.mjs";

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests and the demo never need a build.
const conditions = ["wireline-source", "module", "browser", "development|production"];

export default defineConfig({
  // `npm start` serves the demo and fixture apps from here.
  root: "e2e/apps",
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
          include: ["{sdk,mock-server,scripts}/**/*.test.ts"],
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
