import { afterEach, describe, expect, it, vi } from "vitest";

// (URL and Blob exist in Node, and the test runner's loader needs URL.)
const GLOBALS = [
  ...["document", "window", "navigator", "location"],
  ...["HTMLElement", "customElements", "requestAnimationFrame"],
];
const saved = new Map<string, PropertyDescriptor | undefined>();

afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  saved.clear();
});

describe("importing the devtools on a server (SSR)", () => {
  it("reads no browser global at import beyond checking for HTMLElement, and registers nothing", async () => {
    const touched: string[] = [];
    for (const name of GLOBALS) {
      saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
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
