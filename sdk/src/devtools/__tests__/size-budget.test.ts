import { describe, expect, it } from "vitest";
import { measureBundle, typicalApp } from "../../../../bench/bundle-size.ts";

// Gzip budgets of the devtools entries, in bytes. They only ever go down. On its own the log
// carries the packet decoder; in an app the decoder is already there, hence the third budget.
const BUDGETS = {
  eventLog: 6_505,
  panel: 12_110,
  eventLogAddedToApp: 3_710,
};

const DEVTOOLS_SOURCES = "sdk/src/devtools/";

describe("devtools bundle size (minified + gzip)", () => {
  it("leaves every devtools file out of an app that imports io and does not import devtools", async () => {
    for (const entry of ["@wireline/sdk", "@wireline/sdk/websocket"]) {
      const { inputs } = await measureBundle(typicalApp(entry));
      expect(inputs.filter((input) => input.includes(DEVTOOLS_SOURCES))).toEqual([]);
      expect(inputs).toContain("sdk/src/manager.ts");
    }
  });

  it("keeps the event log entry within its budget", async () => {
    const { gzip, inputs } = await measureBundle(
      `import { attachEventLog } from "@wireline/sdk/devtools"; console.log(attachEventLog);`,
    );
    expect(inputs).toContain("sdk/src/devtools/observe-connection.ts");
    expect(gzip).toBeLessThanOrEqual(BUDGETS.eventLog);
  });

  it("adds little to an app that already imports io", async () => {
    const app = typicalApp("@wireline/sdk");
    const [alone, withLog] = await Promise.all([
      measureBundle(app),
      measureBundle(
        `${app}\nimport { attachEventLog } from "@wireline/sdk/devtools";\nconsole.log(attachEventLog(socket));`,
      ),
    ]);
    expect(withLog.gzip - alone.gzip).toBeLessThanOrEqual(BUDGETS.eventLogAddedToApp);
  });

  it("keeps the panel entry within its budget", async () => {
    const { gzip, inputs } = await measureBundle(`import "@wireline/sdk/devtools/panel";`);
    expect(inputs).toContain("sdk/src/devtools/panel/wireline-devtools-element.ts");
    expect(gzip).toBeLessThanOrEqual(BUDGETS.panel);
  });
});
