import { describe, expect, it } from "vitest";
import { measureBundle } from "../../../bench/bundle-size.ts";
import { vueBindingApp } from "../../../bench/vue-app.ts";

// Gzip budget in bytes for the binding alone (the SDK and Vue are the app's anyway). It only
// ever goes down: a change that needs more must say why in its commit. Measured: 3,029 B, a
// production build (esbuild minifying for browsers defines NODE_ENV "production" itself).
const BINDING_BUDGET = 3_035;

describe("@wireline/vue bundle size (minified + gzip)", () => {
  it("keeps the plugin and every composable within the budget, with vue and the SDK external", async () => {
    const { gzip, inputs } = await measureBundle(vueBindingApp, ["vue", "@wireline/sdk"]);
    expect(gzip).toBeLessThanOrEqual(BINDING_BUDGET);
    // Must: the binding bundles neither the SDK nor Vue into itself.
    expect(inputs).toContain("vue/src/use-socket.ts");
    expect(
      inputs.filter((input) => input.startsWith("sdk/") || input.includes("node_modules")),
    ).toEqual([]);
  });
});
