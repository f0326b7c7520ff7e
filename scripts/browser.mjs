// The one place that decides which Chromium the tests drive: Vitest browser mode,
// Playwright e2e and the benchmarks all import `findChromium` from here.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const SYSTEM_CANDIDATES = {
  linux: [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome-stable",
    "/usr/bin/google-chrome",
  ],
  darwin: [
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  ],
  win32: [
    `${process.env.LOCALAPPDATA}\\Chromium\\Application\\chrome.exe`,
    `${process.env.PROGRAMFILES}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env["PROGRAMFILES(X86)"]}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
};

export const HOW_TO_GET_CHROMIUM = `No Chromium or Chrome was found for the browser tests.
Install one, or point CHROMIUM_PATH at an existing binary:
  Debian/Ubuntu:  sudo apt-get install -y chromium        (Ubuntu: chromium-browser)
  macOS:          brew install --cask chromium             (or install Google Chrome)
  Windows:        winget install Google.Chrome
  Any system:     npx playwright install chromium          (Playwright's own build)
  Explicit path:  CHROMIUM_PATH=/path/to/chrome npm test`;

/**
 * Finds a Chromium binary: `CHROMIUM_PATH`, else a system Chromium/Chrome,
 * else a browser downloaded by `npx playwright install`. Returns `undefined` when none exists.
 */
export function findChromium() {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const candidate of SYSTEM_CANDIDATES[process.platform] ?? []) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    const require = createRequire(import.meta.url);
    const downloaded = require("playwright-core").chromium.executablePath();
    if (downloaded && existsSync(downloaded)) return downloaded;
  } catch {
    // playwright-core absent or no downloaded browser: fall through.
  }
  return undefined;
}

/** Chromium flags that work as root, in containers and on machines without a GPU. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"];

/** Launch options shared by Vitest browser mode and Playwright. */
export function chromiumLaunchOptions() {
  return { executablePath: findChromium(), args: CHROMIUM_ARGS };
}
