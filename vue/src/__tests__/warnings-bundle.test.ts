import { describe, expect, it, vi } from "vitest";
import { bundleApp } from "../../../bench/bundle-size.ts";

/** Runs an app calling useSocketEvent() outside setup(), bundled as a bundler would for `nodeEnv`. */
async function warningsOfBuild(nodeEnv: "production" | "development"): Promise<string[]> {
  const { text } = await bundleApp(
    'import { useSocketEvent } from "./vue/src/use-socket-event.ts"; useSocketEvent({ on() {}, off() {} }, "news", () => {});',
    { define: { "process.env.NODE_ENV": JSON.stringify(nodeEnv) } },
  );
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    await import(/* @vite-ignore */ `data:text/javascript;base64,${btoa(text)}`);
    return warn.mock.calls.map(([message]) => String(message));
  } finally {
    warn.mockRestore();
  }
}

describe("@wireline/vue's development warnings in builds", () => {
  it("are left out of production builds and kept in development ones", async () => {
    // Must: the check reads `process.env.NODE_ENV` as written, which bundlers replace.
    expect(await warningsOfBuild("production")).toEqual([]);
    expect(await warningsOfBuild("development")).toEqual([
      expect.stringMatching(/^\[Wireline\] useSocketEvent\("news"\) was called outside setup\(\)/),
    ]);
  });
});
