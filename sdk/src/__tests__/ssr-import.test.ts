import { afterEach, describe, expect, it, vi } from "vitest";
import { restoreGlobals, trapGlobals } from "../../test/trap-globals.ts";

const GLOBALS = ["WebSocket", "fetch", "XMLHttpRequest", "location", "document", "navigator"];

afterEach(restoreGlobals);

describe("importing the SDK on a server (SSR)", () => {
  it("touches no browser global at import", async () => {
    const touched = trapGlobals(GLOBALS);
    vi.resetModules();
    const sdk = await import("../index.ts");
    const slim = await import("../entry-websocket.ts");
    // Must: modules load and expose io without reading any environment input.
    expect(typeof sdk.io).toBe("function");
    expect(typeof slim.io).toBe("function");
    expect(touched).toEqual([]);
  });
});
