import { render } from "@testing-library/react";
import { io, type Socket } from "@wireline/sdk";
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
});
