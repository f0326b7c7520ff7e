import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { openUnbundledPage } from "../../../e2e/tests/unbundled-page.ts";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * The Vue <SocketDevtools /> as a page without a bundler runs it (native ESM, e.g. through an
 * import map): Vue's browser build, and Wireline's code as written, with no
 * `process.env.NODE_ENV` replaced. Bundled into one module only to serve it; `platform:
 * "neutral"` keeps esbuild from defining NODE_ENV itself.
 */
async function unbundledModule(): Promise<string> {
  const result = await build({
    stdin: {
      contents: [
        'export { SocketDevtools } from "./vue/src/socket-devtools.ts";',
        'export { io } from "@wireline/sdk";',
        'export { createApp, h } from "vue";',
      ].join("\n"),
      resolveDir: repoRoot,
      loader: "ts",
      sourcefile: "page.ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["wireline-source", "browser"],
    mainFields: ["browser", "module", "main"],
    alias: { vue: "vue/dist/vue.esm-browser.js" },
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]?.text ?? "";
  // Must: the module still reads `process.env.NODE_ENV`, or this test would prove nothing.
  expect(text).toContain("process.env.NODE_ENV");
  return text;
}

/** Mounts the component on a socket that stays closed. */
const MOUNT = `
  import { SocketDevtools, io, createApp, h } from "./page.js";
  const socket = io("http://127.0.0.1:9", { autoConnect: false });
  createApp({ render: () => h(SocketDevtools, { socket }) }).mount("#app");
`;

describe("Vue <SocketDevtools /> on a page without a bundler", () => {
  it("imports and mounts the panel where no `process` global exists", async () => {
    const outcome = await openUnbundledPage(await unbundledModule(), MOUNT);
    // Must: the page has no `process`, and importing and mounting the component throw nothing.
    expect(outcome.hadProcess).toBe(false);
    expect(outcome.errors).toEqual([]);
    // Must: an unbundled page counts as development, so the lazily loaded panel shows up.
    expect(outcome.panelShown).toBe(true);
  }, 30_000);
});
