import { afterEach, describe, expect, it, vi } from "vitest";
import { restoreGlobals, trapGlobals } from "../../../test/trap-globals.ts";

// (URL and Blob exist in Node, and the test runner's loader needs URL.)
const GLOBALS = [
  ...["document", "window", "navigator", "location"],
  ...["HTMLElement", "customElements", "requestAnimationFrame"],
];

afterEach(restoreGlobals);

describe("importing the devtools on a server (SSR)", () => {
  it("reads no browser global at import beyond checking for HTMLElement, and registers nothing", async () => {
    const touched = trapGlobals(GLOBALS);
    vi.resetModules();
    const devtools = await import("../index.ts");
    expect(devtools.attachEventLog).toBeTypeOf("function");
    expect(touched).toEqual([]);
    // The panel entry defines its element class over a stand-in, and finds no registry.
    const panel = await import("../panel/index.ts");
    expect(touched).toEqual(["HTMLElement", "customElements"]);
    expect(panel.defineWirelineDevtools()).toBe(panel.WirelineDevtoolsElement);
  });
});
