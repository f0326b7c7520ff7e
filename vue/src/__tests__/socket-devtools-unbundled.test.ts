import { describe, expect, it } from "vitest";
import { openUnbundledPage, unbundledModule } from "../../../e2e/tests/unbundled-page.ts";

/** The Vue <SocketDevtools /> as a page without a bundler runs it, with Vue's browser build. */
async function pageModule(): Promise<string> {
  const text = await unbundledModule(
    [
      'export { SocketDevtools } from "./vue/src/socket-devtools.ts";',
      'export { io } from "@wireline/sdk";',
      'export { createApp, h } from "vue";',
    ],
    { alias: { vue: "vue/dist/vue.esm-browser.js" } },
  );
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
    const outcome = await openUnbundledPage(await pageModule(), MOUNT);
    // Must: the page has no `process`, and importing and mounting the component throw nothing.
    expect(outcome.hadProcess).toBe(false);
    expect(outcome.errors).toEqual([]);
    // Must: an unbundled page counts as development, so the lazily loaded panel shows up.
    expect(outcome.panelShown).toBe(true);
  }, 30_000);
});
