import type { ConnectionSnapshot } from "@wireline/sdk";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  SocketProvider,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
} from "../index.ts";
import { sharedConnections } from "../shared-connections.ts";

/** Counts every connection attempt: a WebSocket constructed, or a polling request. */
let attempts = 0;
class RefusingWebSocket {
  constructor() {
    attempts++;
    throw new Error("no connection may open while rendering on a server");
  }
}

function Page() {
  const socket = useSocket("/chat");
  useSocketEvent(socket, "message", () => {});
  const motd = useSocketValue("motd", "no news");
  const status = useConnectionState((state: ConnectionSnapshot) => state.status);
  const whole = useConnectionState();
  const save = useEmitWithAck("save", { timeout: 1000 });
  return (
    <p>{`${socket.nsp} ${status} ${whole.attempt} ${motd} ${save.status} ${socket.connected}`}</p>
  );
}

/** Outside any provider, with a URL that only a page could resolve. */
function Bare() {
  const socket = useSocket(undefined, { url: "/live" });
  const status = useConnectionState((state) => state.status, socket);
  return <p>{`${socket.nsp} ${status}`}</p>;
}

/** Passes a handler that is no function. */
function BadHandler() {
  useSocketEvent("/chat", "message", undefined as never);
  return null;
}

afterEach(() => {
  vi.restoreAllMocks();
  attempts = 0;
});

describe("rendering on a server (react-dom/server)", () => {
  it("renders an idle connection and opens nothing, warns nothing, leaves no timer", () => {
    const warn = vi.spyOn(console, "warn");
    const error = vi.spyOn(console, "error");
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const resourcesBefore = process.getActiveResourcesInfo();

    const html = renderToString(
      <SocketProvider
        url="http://127.0.0.1:9"
        options={{ WebSocket: RefusingWebSocket as unknown as typeof WebSocket }}
      >
        <Page />
      </SocketProvider>,
    );

    // Must: the markup shows the idle state and initial values…
    expect(html).toBe("<p>/chat idle 0 no news idle false</p>");
    // …and nothing was opened, armed, pooled or printed.
    expect(attempts).toBe(0);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
    expect(sharedConnections.size).toBe(0);
    expect(process.getActiveResourcesInfo()).toEqual(resourcesBefore);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it("renders without a provider and with a relative URL, which only a page could resolve", () => {
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    expect(renderToString(<Bare />)).toBe("<p>/live idle</p>");
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(sharedConnections.size).toBe(0);
  });

  it("refuses a handler that is no function as the browser does, opening and arming nothing", () => {
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    const resourcesBefore = process.getActiveResourcesInfo();
    expect(() => renderToString(<BadHandler />)).toThrow(
      "Wireline: useSocketEvent's handler must be a function, got undefined.",
    );
    expect(attempts).toBe(0);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(sharedConnections.size).toBe(0);
    expect(process.getActiveResourcesInfo()).toEqual(resourcesBefore);
  });
});
