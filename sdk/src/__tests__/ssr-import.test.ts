import { afterEach, describe, expect, it, vi } from "vitest";

const GLOBALS = ["WebSocket", "fetch", "XMLHttpRequest", "location", "document", "navigator"];
const saved = new Map<string, PropertyDescriptor | undefined>();

afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  saved.clear();
});

describe("importing the SDK on a server (SSR)", () => {
  it("touches no browser global at import", async () => {
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
    const sdk = await import("../index.ts");
    const slim = await import("../entry-websocket.ts");
    // Must: modules load and expose io without reading any environment input.
    expect(typeof sdk.io).toBe("function");
    expect(typeof slim.io).toBe("function");
    expect(touched).toEqual([]);
  });
});
