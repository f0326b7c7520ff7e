import { describe, expect, it } from "vitest";
import { measureBundle } from "../../../bench/bundle-size.ts";
import { vueBindingApp } from "../../../bench/vue-app.ts";

// Gzip budget in bytes for the binding alone (the SDK and Vue are the app's anyway). It only
// ever goes down: a change that needs more must say why in its commit. Measured: 3,242 B, a
// production build (esbuild minifying for browsers defines NODE_ENV "production" itself).
// Raised from 3,035 (measured 3,029) by the composables' own TypeErrors: a handler, event name
// or socket that is none throws at the call, not at every event or far from it; then 3,245 by
// createWireline(null) taken as no options.
const BINDING_BUDGET = 3_345;

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
