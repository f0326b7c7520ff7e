import { createContext, runInContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import { bundleApp } from "../../../bench/bundle-size.ts";
import { unbundledModule } from "../../../e2e/tests/unbundled-page.ts";

/** An app calling useSocketEvent() outside setup(), which warns in development. */
const APP =
  'import { useSocketEvent } from "./vue/src/use-socket-event.ts"; useSocketEvent({ on() {}, off() {} }, "news", () => {});';

const WARNING = expect.stringMatching(
  /^\[Wireline\] useSocketEvent\("news"\) was called outside setup\(\)/,
);

/** Runs the app bundled as a bundler would for `nodeEnv`; returns its bundle and its warnings. */
async function runBuild(
  nodeEnv: "production" | "development",
): Promise<{ text: string; warnings: string[] }> {
  const { text } = await bundleApp(APP, {
    define: { "process.env.NODE_ENV": JSON.stringify(nodeEnv) },
  });
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    await import(/* @vite-ignore */ `data:text/javascript;base64,${btoa(text)}`);
    return { text, warnings: warn.mock.calls.map(([message]) => String(message)) };
  } finally {
    warn.mockRestore();
  }
}

describe("@wireline/vue's development warnings in builds", () => {
  it("are left out of production builds, strings included, and kept in development ones", async () => {
    const production = await runBuild("production");
    const development = await runBuild("development");
    expect(production.warnings).toEqual([]);
    expect(development.warnings).toEqual([WARNING]);
    // Must: the messages themselves are gone, not only their call (a bundler cannot see through
    // a helper that checks NODE_ENV, so each check is written inline where it warns).
    expect(development.text).toContain("[Wireline]");
    expect(production.text).not.toContain("[Wireline]");
    expect(production.text).not.toContain("its listener stays");
  });

  it("warn on a page without a bundler, where no `process` exists, and throw nothing", async () => {
    const text = await unbundledModule([APP], { alias: { vue: "vue/dist/vue.esm-browser.js" } });
    // Must: the module still reads `process.env.NODE_ENV`, or this test would prove nothing.
    expect(text).toContain("process.env.NODE_ENV");
    const warnings: string[] = [];
    // A realm with the language's globals and a console only: no `process`.
    const page = createContext({
      console: { warn: (message: unknown) => warnings.push(String(message)), info() {} },
    });
    expect(runInContext("typeof process", page)).toBe("undefined");

    runInContext(text, page);

    expect(warnings).toEqual([WARNING]);
  });
});
