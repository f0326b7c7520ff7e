import { describe, expect, it } from "vitest";
import { measureBundle, typicalApp } from "../../../../bench/bundle-size.ts";

// The testing kit is its own entry: apps that never import it pay nothing for it or for MSW.
describe("the @wireline/sdk/testing entry", () => {
  it.each(["@wireline/sdk", "@wireline/sdk/websocket"])(
    "stays out of an app that imports %s",
    async (entry) => {
      const { inputs } = await measureBundle(typicalApp(entry));
      expect(
        inputs.filter((input) => input.includes("/testing/") || input.includes("msw")),
      ).toEqual([]);
    },
  );

  it("stays out of the protocol entry", async () => {
    const { inputs } = await measureBundle(
      `import { PacketDecoder } from "@wireline/sdk/protocol"; console.log(new PacketDecoder());`,
    );
    expect(inputs.filter((input) => input.includes("/testing/"))).toEqual([]);
  });

  it("bundles for the browser (no Node built-ins), with msw left to the app", async () => {
    const { inputs } = await measureBundle(
      `import { mockSocketServer } from "@wireline/sdk/testing";
       console.log(mockSocketServer("http://localhost:3000").handlers);`,
      ["msw"],
    );
    expect(inputs).toContain("sdk/src/testing/mock-socket-server.ts");
    expect(inputs.some((input) => input.startsWith("node:"))).toBe(false);
  });
});
