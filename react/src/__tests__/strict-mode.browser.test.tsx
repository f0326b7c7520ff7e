import { render } from "@testing-library/react";
import type { Socket } from "@wireline/sdk";
import { StrictMode, useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { useConnectionState, useSocket, useSocketEvent } from "../index.ts";
import { countingWebSocket, MOCK_SERVER_URL, quietPeriod, trackTimers } from "./browser-helpers.ts";

interface ServerEvents {
  welcome: (info: { id: string }) => void;
}

let timers: ReturnType<typeof trackTimers> | undefined;
afterEach(() => {
  timers?.stop();
  timers = undefined;
});

function Chat(props: {
  WebSocket: typeof WebSocket;
  onSocket?: (socket: Socket<ServerEvents>) => void;
  onWelcome?: (info: { id: string }) => void;
  releaseDelay?: number;
}) {
  const socket = useSocket<ServerEvents>("/", {
    url: MOCK_SERVER_URL,
    transports: ["websocket"],
    WebSocket: props.WebSocket,
    releaseDelay: props.releaseDelay,
  });
  props.onSocket?.(socket);
  useSocketEvent(socket, "welcome", (info) => props.onWelcome?.(info));
  const status = useConnectionState((state) => state.status, socket);
  return <p data-testid="status">{status}</p>;
}

function Pair(props: { WebSocket: typeof WebSocket }) {
  const [second, setSecond] = useState(true);
  return (
    <>
      <Chat WebSocket={props.WebSocket} />
      {second && <Chat WebSocket={props.WebSocket} />}
      <button type="button" onClick={() => setSecond(false)}>
        drop one
      </button>
    </>
  );
}

describe("useSocket under StrictMode and remounts", () => {
  it("opens exactly one connection over StrictMode's mount, unmount and mount", async () => {
    const counter = countingWebSocket();
    const welcomes: string[] = [];
    const view = render(
      <StrictMode>
        <Chat WebSocket={counter.WebSocket} onWelcome={(info) => welcomes.push(info.id)} />
      </StrictMode>,
    );
    await expect.poll(() => view.getByTestId("status").textContent).toBe("connected");
    await expect.poll(() => welcomes.length).toBe(1);
    // Past the release delay: a torn-down first mount would have reconnected by now.
    await quietPeriod(300);

    // Must: the browser opened one WebSocket, the server greeted one client, once.
    expect(counter.opened).toHaveLength(1);
    expect(counter.live()).toBe(1);
    expect(welcomes).toHaveLength(1);
  });

  it("reuses the connection when a component remounts within the release delay, as a hot reload does", async () => {
    const counter = countingWebSocket();
    const sockets = new Set<Socket>();
    const view = render(<Chat WebSocket={counter.WebSocket} onSocket={(s) => sockets.add(s)} />);
    await expect.poll(() => view.getByTestId("status").textContent).toBe("connected");

    view.unmount();
    const again = render(<Chat WebSocket={counter.WebSocket} onSocket={(s) => sockets.add(s)} />);
    await quietPeriod(300);

    // Must: the remounted component got the same socket over the same, still open WebSocket.
    expect(again.getByTestId("status").textContent).toBe("connected");
    expect(sockets.size).toBe(1);
    expect(counter.opened).toHaveLength(1);
    expect(counter.live()).toBe(1);
  });

  it("closes the connection after the release delay and leaves no listener or timer behind", async () => {
    timers = trackTimers();
    const counter = countingWebSocket();
    let socket: Socket<ServerEvents> | undefined;
    const view = render(
      <StrictMode>
        <Chat WebSocket={counter.WebSocket} onSocket={(s) => (socket = s)} />
      </StrictMode>,
    );
    await expect.poll(() => view.getByTestId("status").textContent).toBe("connected");
    // One listener (the journal that replays missed events), none among the catch-all ones.
    expect(socket!.listeners("welcome")).toHaveLength(1);
    expect(socket!.listenersAny()).toHaveLength(0);

    view.unmount();
    // Must: still open right after the unmount (a remount could take it back)…
    expect(counter.live()).toBe(1);
    // …then closed after the (default, 1000 ms) delay: WebSocket closed, state
    // "disconnected", nothing listening, no timer armed.
    await expect.poll(() => counter.live(), { timeout: 3000 }).toBe(0);
    expect(socket!.io.getSnapshot().status).toBe("disconnected");
    expect(socket!.connected).toBe(false);
    await expect.poll(() => socket!.listeners("welcome").length, { timeout: 3000 }).toBe(0);
    await expect.poll(() => timers!.pending(), { timeout: 3000 }).toBe(0);
  });

  it("honours a configured release delay", async () => {
    const counter = countingWebSocket();
    const view = render(<Chat WebSocket={counter.WebSocket} releaseDelay={600} />);
    await expect.poll(() => view.getByTestId("status").textContent).toBe("connected");
    const unmountedAt = performance.now();
    view.unmount();

    await expect.poll(() => counter.live(), { timeout: 5000 }).toBe(0);
    // Must: the connection outlived the unmount by at least the configured delay.
    expect(performance.now() - unmountedAt).toBeGreaterThanOrEqual(600);
  });

  it("keeps one connection for several components and closes it after the last unmounts", async () => {
    const counter = countingWebSocket();
    const view = render(<Pair WebSocket={counter.WebSocket} />);
    await expect.poll(() => view.getAllByText("connected")).toHaveLength(2);
    view.getByText("drop one").click();
    await quietPeriod(300);

    // Must: one WebSocket throughout, still open while one user remains.
    expect(counter.opened).toHaveLength(1);
    expect(counter.live()).toBe(1);
    view.unmount();
    await expect.poll(() => counter.live()).toBe(0);
  });
});
