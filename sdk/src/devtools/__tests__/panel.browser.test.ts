import { afterEach, describe, expect, inject, it } from "vitest";
import { FakeWebSocketConstructor, fakeSockets } from "../../__tests__/fake-websocket.ts";
import { io, type Socket } from "../../index.ts";
import { attachEventLog } from "../index.ts";
import { defineWirelineDevtools, type WirelineDevtoolsElement } from "../panel/index.ts";

const MOCK_SERVER_URL = inject("serverUrls")["mock-server"];
const sockets: Socket[] = [];
const panels: HTMLElement[] = [];

afterEach(() => {
  for (const panel of panels.splice(0)) panel.remove();
  for (const socket of sockets.splice(0)) socket.disconnect();
});

function connect(): Socket {
  const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
  sockets.push(socket);
  return socket;
}

function mountPanel(): WirelineDevtoolsElement {
  const panel = document.createElement("wireline-devtools");
  document.body.append(panel);
  panels.push(panel);
  return panel;
}

const part = (panel: HTMLElement, selector: string) =>
  panel.shadowRoot?.querySelector(selector) as HTMLElement;

describe("<wireline-devtools>", () => {
  it("registers once, and under another name as a subclass", () => {
    expect(customElements.get("wireline-devtools")).toBeDefined();
    const Element = defineWirelineDevtools("other-devtools");
    expect(defineWirelineDevtools()).toBe(Element);
    expect(customElements.get("other-devtools")?.prototype).toBeInstanceOf(Element);
  });

  it("keeps a log it was given when detached, and detaches one it created", async () => {
    const socket = connect();
    const panel = mountPanel();
    const given = attachEventLog(socket);
    panel.log = given;
    panel.detach();
    expect(given.attached).toBe(true);
    const created = panel.attach(socket);
    expect(panel.log).toBe(created);
    panel.log = given; // replacing it releases the one the panel created
    expect(created.attached).toBe(false);
    given.detach();
  });

  it("ends a simulated offline when it is removed from the page", () => {
    const panel = mountPanel();
    panel.attach(connect());
    (part(panel, '[data-action="offline"]') as HTMLButtonElement).click();
    expect(navigator.onLine).toBe(false);
    panel.remove();
    expect(navigator.onLine).toBe(true);
  });

  it("shows the live status on the toggle and the log's entries in the open panel", async () => {
    const socket = connect();
    const panel = mountPanel();
    panel.attach(socket);
    await expect.poll(() => part(panel, ".toggle-status").textContent).toBe("· connected");
    expect(part(panel, ".panel").hidden).toBe(true);
    panel.show();
    expect(part(panel, ".panel").hidden).toBe(false);
    expect(panel.shadowRoot?.activeElement?.id).toBe("title");
    await socket.emitWithAck("echo", "<b>bold</b>");
    await expect.poll(() => part(panel, ".packets").textContent).toContain('EVENT / "echo" #0');
    expect(part(panel, ".timeline").textContent).toContain("transport open: websocket");
    // Must: the page's styles do not reach in, the panel's do not leak out.
    expect(getComputedStyle(part(panel, ".panel")).position).toBe("fixed");
    expect(document.querySelector(".panel")).toBeNull();

    (part(panel, '[data-action="clear"]') as HTMLButtonElement).click();
    await expect.poll(() => part(panel, ".packets").textContent).toBe("No packets match.");
    expect(panel.log?.size).toBe(0);
    panel.hide();
    expect(part(panel, ".panel").hidden).toBe(true);
  });

  it("keeps the packet list going under an Event filter when an event's name is a number", async () => {
    const thrown: unknown[] = [];
    const onError = (event: ErrorEvent) => thrown.push(event.error);
    window.addEventListener("error", onError);
    try {
      const socket = io("http://example.test", {
        forceNew: true,
        WebSocket: FakeWebSocketConstructor,
        transports: ["websocket"],
        reconnection: false,
      });
      sockets.push(socket);
      const fake = fakeSockets.at(-1)!;
      const panel = mountPanel();
      panel.attach(socket);
      panel.show();
      fake.serverOpen();
      fake.serverSend('40{"sid":"s1"}');
      const filter = part(panel, '.filters [name="event"]') as HTMLInputElement;
      filter.value = "7";
      filter.dispatchEvent(new Event("input", { bubbles: true }));
      // The decoder accepts a number as an event name, as socket.io-parser does.
      fake.serverSend('42[7,"first"]');
      fake.serverSend('42["chat","hidden"]');
      fake.serverSend('42[700,"second"]');
      await expect.poll(() => part(panel, ".packets").textContent).toContain('EVENT / "700"');
      expect(part(panel, ".packets").textContent).toContain('EVENT / "7" ·');
      expect(part(panel, ".packets").textContent).not.toMatch(/"chat"|CONNECT/);
      expect(thrown).toEqual([]);
    } finally {
      window.removeEventListener("error", onError);
    }
  });
});
