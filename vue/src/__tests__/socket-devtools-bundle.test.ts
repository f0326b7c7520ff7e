import { describe, expect, it } from "vitest";
import { bundleApp } from "../../../bench/bundle-size.ts";

/** An app using the Vue <SocketDevtools />, bundled as a bundler would for `nodeEnv`. */
async function bundleFor(nodeEnv: "production" | "development"): Promise<string> {
  const { text } = await bundleApp(
    'import { SocketDevtools } from "./vue/src/socket-devtools.ts"; console.log(SocketDevtools);',
    { external: ["vue"], define: { "process.env.NODE_ENV": JSON.stringify(nodeEnv) } },
  );
  return text;
}

describe("Vue <SocketDevtools /> in builds", () => {
  it("leaves the panel out of production builds and lazily in development ones", async () => {
    const [production, development] = await Promise.all([
      bundleFor("production"),
      bundleFor("development"),
    ]);
    // The panel's stylesheet and element are the marks of its code.
    expect(development).toContain("--wl-bg");
    expect(development).toContain("wireline-devtools");
    expect(production).not.toContain("--wl-bg");
    expect(production).not.toContain("wireline-devtools");
    expect(production.length).toBeLessThan(development.length / 4);
  });
});
