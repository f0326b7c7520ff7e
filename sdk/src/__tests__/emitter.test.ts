import { describe, expect, it } from "vitest";
import { Emitter, listen } from "../emitter.ts";

type Events = { news: (text: string) => void; other: () => void };

describe("Emitter.hasListeners", () => {
  it("follows on, off, once and removeAllListeners", () => {
    const emitter = new Emitter<Events>();
    const listener = () => {};
    expect(emitter.hasListeners("news")).toBe(false);
    emitter.on("news", listener);
    emitter.on("news", listener);
    expect(emitter.hasListeners("news")).toBe(true);
    expect(emitter.hasListeners("other")).toBe(false);
    emitter.off("news", listener);
    expect(emitter.hasListeners("news")).toBe(true);
    emitter.off("news", listener);
    expect(emitter.hasListeners("news")).toBe(false);
    emitter.off("news", listener);
    expect(emitter.hasListeners("news")).toBe(false);
    emitter.once("news", listener);
    expect(emitter.hasListeners("news")).toBe(true);
    emitter.emitEvent("news", "hi");
    expect(emitter.hasListeners("news")).toBe(false);
    emitter.once("other", listener);
    emitter.off("other", listener);
    expect(emitter.hasListeners("other")).toBe(false);
    emitter.on("news", listener).on("other", listener);
    emitter.removeAllListeners("news");
    expect(emitter.hasListeners("news")).toBe(false);
    expect(emitter.hasListeners("other")).toBe(true);
    emitter.off();
    expect(emitter.hasListeners("other")).toBe(false);
  });
});

describe("listen", () => {
  it("adds the listener and returns the function that removes that one only", () => {
    const emitter = new Emitter<Events>();
    const got: string[] = [];
    const other = (text: string) => got.push(`other ${text}`);
    emitter.on("news", other);
    const stop = listen(emitter, "news", (text: string) => got.push(text));
    emitter.emitEvent("news", "a");
    stop();
    emitter.emitEvent("news", "b");
    expect(got).toEqual(["other a", "a", "other b"]);
  });
});
