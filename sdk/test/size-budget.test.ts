import { describe, expect, it } from "vitest";
import { measureBundle, typicalApp } from "../../bench/bundle-size.ts";

// Gzip budgets per public entry, in bytes. They only ever go down: a change that needs more
// must say why in its commit. socket.io-client's `io` + on + emit app is ~13.1 KB.
const BUDGETS = {
  appWithIo: 17_225,
  websocketOnlyApp: 16_070,
  protocol: 3_020,
};

describe("bundle size budgets (minified + gzip)", () => {
  // A browser build that pulled in a Node built-in would fail to bundle here as well.
  it("keeps an app that imports io and uses on + emit within its budget", async () => {
    const { gzip, inputs } = await measureBundle(typicalApp("@wireline/sdk"));
    expect(gzip).toBeLessThanOrEqual(BUDGETS.appWithIo);
    expect(inputs).toContain("sdk/src/engine/polling.ts");
    // Node-only transport code (the cookie jar, ws options) stays out of browser bundles.
    expect(inputs).toContain("sdk/src/engine/node-transport.browser.ts");
    expect(inputs).not.toContain("sdk/src/engine/node-transport.ts");
    // An outbox's stored copies come with the storage an app imports, not with io().
    expect(inputs).not.toContain("sdk/src/outbox/stored-copies.ts");
  });

  it("keeps a WebSocket-only app (@wireline/sdk/websocket) within its budget, without polling code", async () => {
    const { gzip, inputs } = await measureBundle(typicalApp("@wireline/sdk/websocket"));
    expect(gzip).toBeLessThanOrEqual(BUDGETS.websocketOnlyApp);
    expect(inputs).not.toContain("sdk/src/engine/polling.ts");
  });

  it("keeps the protocol codecs entry within its budget", async () => {
    const { gzip } = await measureBundle(
      `import { PacketDecoder, encodePacket } from "@wireline/sdk/protocol";
       console.log(new PacketDecoder().add("2[\\"x\\"]"), encodePacket);`,
    );
    expect(gzip).toBeLessThanOrEqual(BUDGETS.protocol);
  });
});
