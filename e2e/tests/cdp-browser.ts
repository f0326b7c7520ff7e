// A Chromium of our own, driven over CDP. Under Playwright's launch() pages are kept focused
// and background throttling is off, so a hidden tab stays fast and a frozen one does not
// freeze; a browser we start ourselves hides, throttles and freezes pages as in real life.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium, HOW_TO_GET_CHROMIUM } from "../../scripts/browser.mjs";

/**
 * Deletes a profile folder. Chromium's helper processes may still be writing to it for a
 * moment after the browser exits (ENOTEMPTY), so retry; a folder left in /tmp fails no test.
 */
function removeProfile(profile: string): Promise<void> {
  return rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(
    () => {},
  );
}

export interface CdpBrowser {
  browser: Browser;
  /** Ends the connection, the process and its profile folder. */
  close(): Promise<void>;
}

/** Reads the port Chromium chose, once it has written its DevToolsActivePort file. */
async function devToolsPort(profile: string, chromiumProcess: ChildProcess): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (chromiumProcess.exitCode !== null)
      throw new Error(`Chromium exited with code ${chromiumProcess.exitCode} before listening`);
    const text = await readFile(join(profile, "DevToolsActivePort"), "utf8").catch(() => "");
    const port = Number(text.split("\n")[0]);
    if (port > 0) return port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("Chromium did not open its DevTools port within 20 s");
}

/** Starts headless Chromium with `extraArgs` and connects Playwright to it over CDP. */
export async function launchCdpBrowser(extraArgs: string[] = []): Promise<CdpBrowser> {
  const executable = findChromium();
  if (!executable) throw new Error(HOW_TO_GET_CHROMIUM);
  const profile = await mkdtemp(join(tmpdir(), "wireline-cdp-"));
  const chromiumProcess = spawn(
    executable,
    [
      "--headless",
      ...CHROMIUM_ARGS,
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "--no-first-run",
      ...extraArgs,
      "about:blank",
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => chromiumProcess.once("exit", () => resolve()));
  try {
    const port = await devToolsPort(profile, chromiumProcess);
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, {
      noDefaults: true,
    });
    return {
      browser,
      close: async () => {
        await browser.close().catch(() => {});
        chromiumProcess.kill();
        await exited;
        await removeProfile(profile);
      },
    };
  } catch (error) {
    chromiumProcess.kill();
    await exited;
    await removeProfile(profile);
    throw error;
  }
}
