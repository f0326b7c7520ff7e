import { act, render } from "@testing-library/react";
import { io, type Socket } from "@wireline/sdk";
import type { RedactContext } from "@wireline/sdk/devtools";
import type { WirelineDevtoolsElement } from "@wireline/sdk/devtools/panel";
import { useState } from "react";
import { afterEach, describe, expect, inject, it } from "vitest";
import { SocketDevtools } from "../socket-devtools.tsx";

const MOCK_SERVER_URL = inject("serverUrls")["mock-server"];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** What the panel's shadow root shows as the connection's status. */
const shownStatus = (container: HTMLElement) =>
  container.querySelector("wireline-devtools")?.shadowRoot?.querySelector(".status")?.textContent;

/** Re-renders on `page.rerender()` with a new inline redact, which notes its render's version. */
function Page(props: { socket: Socket; page: { seenBy: string[]; rerender: () => void } }) {
  const [version, setVersion] = useState(1);
  props.page.rerender = () => setVersion((v) => v + 1);
  const redact = (payload: unknown, _context: RedactContext) => {
    props.page.seenBy.push(`v${version}`);
    return payload;
  };
  return <SocketDevtools socket={props.socket} redact={redact} initialOpen={version === 1} />;
}

describe("<SocketDevtools />", () => {
  it("shows the connection's live status in the panel, in development builds", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const view = render(<SocketDevtools socket={socket} theme="dark" initialOpen />);
    const panel = view.container.querySelector("wireline-devtools");
    expect(panel?.getAttribute("theme")).toBe("dark");
    await expect.poll(() => shownStatus(view.container)).toBe("connected");
    expect(panel?.hasAttribute("open")).toBe(true);
    socket.disconnect();
    await expect.poll(() => shownStatus(view.container)).toBe("disconnected");
    view.unmount();
  });

  it("detaches its log on unmount, leaving no listener on the connection", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const before = socket.io.listeners("state").length;
    const view = render(<SocketDevtools socket={socket} />);
    await expect.poll(() => socket.io.listeners("state").length).toBe(before + 1);
    view.unmount();
    expect(socket.io.listeners("state").length).toBe(before);
  });

  it("keeps its log when the parent re-renders with a new inline redact, and uses the latest", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const page = { seenBy: [] as string[], rerender: () => {} };
    const seenBy = page.seenBy;
    const view = render(<Page socket={socket} page={page} />);
    const panel = () =>
      view.container.querySelector("wireline-devtools") as WirelineDevtoolsElement;
    await expect.poll(() => panel().log?.size ?? 0).toBeGreaterThan(0);
    const log = panel().log;
    const size = log!.size;

    act(() => page.rerender());
    await quietPeriodForPanel();
    // Must: the same log, with its history (a new redact or initialOpen is no new connection)…
    expect(panel().log).toBe(log);
    expect(log!.size).toBeGreaterThanOrEqual(size);
    // …and the latest redact rewrites what comes next.
    socket.emit("echo", "after re-render", () => {});
    await expect.poll(() => seenBy.at(-1)).toBe("v2");
  });

  it("keeps the raw text of an undecodable frame without redact, and starts a new log once redact is given", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const view = render(<SocketDevtools socket={socket} />);
    const panel = () =>
      view.container.querySelector("wireline-devtools") as WirelineDevtoolsElement;
    const undecodable = () =>
      (panel().log?.entries() as Array<{ decodeError?: string; payload?: unknown }> | undefined)
        ?.filter((entry) => entry.decodeError)
        .at(-1);
    await expect.poll(() => panel().log !== undefined).toBe(true);
    // A payload the SDK refuses to decode: the log notes the frame with its decode error.
    socket.emit("login", { password: "hunter2", constructor: { prototype: { x: 1 } } });
    // Must: without redact, the frame's raw text is kept, as attachEventLog without redact does.
    await expect.poll(() => undecodable()?.payload).toContain("hunter2");
    const unredacted = panel().log;

    view.rerender(<SocketDevtools socket={socket} redact={(payload) => payload} />);
    // Must: once the app asks for redaction, the log that kept raw payloads is gone…
    await expect.poll(() => panel().log !== undefined && panel().log !== unredacted).toBe(true);
    socket.emit("login", { password: "hunter3", constructor: { prototype: { x: 1 } } });
    await expect.poll(() => undecodable()?.decodeError).toBeDefined();
    // …and the new one hides the raw text of what it cannot decode.
    expect(JSON.stringify(undecodable())).not.toContain("hunter3");
  });
});

/** Lets the panel's lazy chunk load, as a re-attach would. */
const quietPeriodForPanel = () => new Promise((resolve) => setTimeout(resolve, 200));
