import { readFile } from "node:fs/promises";
import type { Plugin } from "esbuild";
import { describe, expect, it } from "vitest";
import { openUnbundledPage, unbundledModule } from "../../../e2e/tests/unbundled-page.ts";

/**
 * React as a CDN serves it for native ESM (esm.sh, jspm): its own `process.env.NODE_ENV` reads
 * already replaced, with "development". Only React's files: Wireline's stay as written.
 */
const reactBuiltForBrowsers: Plugin = {
  name: "react-built-for-browsers",
  setup(build) {
    build.onLoad(
      { filter: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/].*\.js$/ },
      async (args) => ({
        contents: (await readFile(args.path, "utf8")).replaceAll(
          "process.env.NODE_ENV",
          '"development"',
        ),
        loader: "js",
      }),
    );
  },
};

/** The React <SocketDevtools /> as a page without a bundler runs it, with React built for browsers. */
async function pageModule(): Promise<string> {
  const text = await unbundledModule(
    [
      'export { SocketDevtools } from "./react/src/socket-devtools.tsx";',
      'export { io } from "@wireline/sdk";',
      'export { createElement } from "react";',
      'export { createRoot } from "react-dom/client";',
    ],
    { plugins: [reactBuiltForBrowsers] },
  );
  // Must: the module still reads `process.env.NODE_ENV`, or this test would prove nothing.
  expect(text).toContain("process.env.NODE_ENV");
  return text;
}

/** Mounts the component on a socket that stays closed. */
const MOUNT = `
  import { SocketDevtools, io, createElement, createRoot } from "./page.js";
  const socket = io("http://127.0.0.1:9", { autoConnect: false });
  createRoot(document.getElementById("app")).render(createElement(SocketDevtools, { socket }));
`;

describe("React <SocketDevtools /> on a page without a bundler", () => {
  it("imports and mounts the panel where no `process` global exists", async () => {
    const outcome = await openUnbundledPage(await pageModule(), MOUNT);
    // Must: the page has no `process`, and importing and mounting the component throw nothing.
    expect(outcome.hadProcess).toBe(false);
    expect(outcome.errors).toEqual([]);
    // Must: an unbundled page counts as development, so the lazily loaded panel shows up.
    expect(outcome.panelShown).toBe(true);
  }, 30_000);
});
