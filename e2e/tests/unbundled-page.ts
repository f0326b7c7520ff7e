// A page without a bundler, as a native-ESM app (an import map, a CDN) runs a UI binding: no
// `process` global, and the module served as written.
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { chromium } from "playwright";
import { chromiumLaunchOptions } from "../../scripts/browser.mjs";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The module a page without a bundler would run: `exports` (lines of `export … from`, paths
 * from the repository root), with Wireline's code as written (no `process.env.NODE_ENV`
 * replaced), bundled into one file only to serve it. `platform: "neutral"` keeps esbuild from
 * defining NODE_ENV itself; `alias` and `plugins` pick a framework's browser build.
 */
export async function unbundledModule(
  exports: string[],
  options: { alias?: Record<string, string>; plugins?: Plugin[] } = {},
): Promise<string> {
  const result = await build({
    stdin: {
      contents: exports.join("\n"),
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
    alias: options.alias ?? {},
    plugins: options.plugins ?? [],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

/** What the page showed once the devtools panel appeared, or an error stopped it. */
export interface UnbundledPageOutcome {
  /** Whether the page had a `process` global (it must not, or the check proves nothing). */
  hadProcess: boolean;
  /** Uncaught errors of the page. */
  errors: string[];
  /** Whether a `<wireline-devtools>` element rendered its shadow root. */
  panelShown: boolean;
}

/**
 * Serves `module` as `./page.js` to a fresh Chromium page whose module script is `mount`
 * (it imports from "./page.js"), then waits up to 10 s for the devtools panel or an error.
 */
export async function openUnbundledPage(
  module: string,
  mount: string,
): Promise<UnbundledPageOutcome> {
  const html = `<div id="app"></div>
<script>
  window.hadProcess = typeof process !== "undefined";
  addEventListener("error", () => { window.failed = true; });
</script>
<script type="module">${mount}</script>`;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route("http://unbundled.test/**", (route) =>
      route.request().url().endsWith("/page.js")
        ? route.fulfill({ contentType: "text/javascript", body: module })
        : route.fulfill({ contentType: "text/html", body: html }),
    );
    await page.goto("http://unbundled.test/");
    await page.waitForFunction(
      "window.failed || document.querySelector('wireline-devtools')?.shadowRoot != null",
      undefined,
      { timeout: 10_000 },
    );
    return {
      hadProcess: (await page.evaluate("window.hadProcess")) === true,
      errors,
      panelShown:
        (await page.evaluate("document.querySelector('wireline-devtools')?.shadowRoot != null")) ===
        true,
    };
  } finally {
    await browser.close();
  }
}
