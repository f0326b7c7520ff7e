import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./browser.mjs";

describe("browser discovery", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("uses CHROMIUM_PATH when it points at an existing file", () => {
    vi.stubEnv("CHROMIUM_PATH", process.execPath);
    expect(findChromium()).toBe(process.execPath);
  });

  it("finds nothing when CHROMIUM_PATH points at a missing file, rather than guessing", () => {
    vi.stubEnv("CHROMIUM_PATH", "/nonexistent/chromium");
    expect(findChromium()).toBeUndefined();
  });

  it("explains how to get a browser on Debian/Ubuntu, macOS and Windows", () => {
    expect(HOW_TO_GET_CHROMIUM).toContain("apt-get install -y chromium");
    expect(HOW_TO_GET_CHROMIUM).toContain("brew install");
    expect(HOW_TO_GET_CHROMIUM).toContain("winget install");
    expect(HOW_TO_GET_CHROMIUM).toContain("CHROMIUM_PATH");
  });

  it("makes `npm test` stop at once with that message when no browser exists", () => {
    const result = spawnSync(process.execPath, ["scripts/test.mjs"], {
      env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("No Chromium or Chrome was found");
    expect(result.stdout).not.toContain("▶ lint");
  });
});
