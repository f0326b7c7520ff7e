import { mount } from "@vue/test-utils";
import { io, type Socket } from "@wireline/sdk";
import { afterEach, describe, expect, inject, it } from "vitest";
import { SocketDevtools } from "../socket-devtools.ts";

const MOCK_SERVER_URL = inject("serverUrls")["mock-server"];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** What the panel (the component's root element) shows as the connection's status. */
const shownStatus = (panel: Element) => panel.shadowRoot?.querySelector(".status")?.textContent;

describe("<SocketDevtools /> for Vue", () => {
  it("shows the connection's live status in the panel, in development builds", async () => {
    const socket = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(socket);
    const wrapper = mount(SocketDevtools, {
      props: { socket, theme: "light", initialOpen: true },
      attachTo: document.body,
    });
    expect(wrapper.element.getAttribute("theme")).toBe("light");
    await expect.poll(() => shownStatus(wrapper.element)).toBe("connected");
    expect(wrapper.element.hasAttribute("open")).toBe(true);
    wrapper.unmount();
  });

  it("detaches its log on unmount and attaches to a new socket when the prop changes", async () => {
    const first = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    const second = io(MOCK_SERVER_URL, { forceNew: true, transports: ["websocket"] });
    sockets.push(first, second);
    const before = first.io.listeners("state").length;
    const wrapper = mount(SocketDevtools, { props: { socket: first }, attachTo: document.body });
    await expect.poll(() => first.io.listeners("state").length).toBe(before + 1);
    await wrapper.setProps({ socket: second });
    await expect.poll(() => second.io.listeners("state").length).toBe(before + 1);
    expect(first.io.listeners("state").length).toBe(before);
    wrapper.unmount();
    expect(second.io.listeners("state").length).toBe(before);
  });
});
