import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** An app using the Vue <SocketDevtools />, bundled as a bundler would for `nodeEnv`. */
async function bundleApp(nodeEnv: "production" | "development"): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        'import { SocketDevtools } from "./vue/src/socket-devtools.ts"; console.log(SocketDevtools);',
      resolveDir: repoRoot,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["wireline-source"],
    external: ["vue"],
    define: { "process.env.NODE_ENV": JSON.stringify(nodeEnv) },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("Vue <SocketDevtools /> in builds", () => {
  it("leaves the panel out of production builds and lazily in development ones", async () => {
    const [production, development] = await Promise.all([
      bundleApp("production"),
      bundleApp("development"),
    ]);
    // The panel's stylesheet and element are the marks of its code.
    expect(development).toContain("--wl-bg");
    expect(development).toContain("wireline-devtools");
    expect(production).not.toContain("--wl-bg");
    expect(production).not.toContain("wireline-devtools");
    expect(production.length).toBeLessThan(development.length / 4);
  });
});
