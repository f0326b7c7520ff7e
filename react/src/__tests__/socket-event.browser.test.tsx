import { act, render } from "@testing-library/react";
import type { Socket } from "@wireline/sdk";
import { StrictMode, useState } from "react";
import { describe, expect, it } from "vitest";
import { SocketProvider, useSocketEvent, useSocketValue } from "../index.ts";
import {
  connectedSocket,
  countingWebSocket,
  deliverEvent,
  MOCK_SERVER_URL,
} from "./browser-helpers.ts";

interface ServerEvents {
  news: (headline: string) => void;
  welcome: (info: { id: string }) => void;
}
type NewsSocket = Socket<ServerEvents>;

function Watcher(props: { socket: NewsSocket; onNews: (headline: string) => void }) {
  useSocketEvent(props.socket, "news", (headline) => props.onNews(headline));
  return null;
}

/**
 * Renders after the watcher, so what it delivers arrives once the watcher has rendered and
 * before its effect subscribed: as a network event can while React yields in a concurrent render.
 */
function ArrivesBeforeEffects(props: { socket: NewsSocket; once: { done: boolean } }) {
  if (!props.once.done) {
    props.once.done = true;
    deliverEvent(props.socket, "news", "between render and effect");
  }
  return null;
}

function Headline(props: { socket: NewsSocket }) {
  const headline = useSocketValue(props.socket, "news", "none yet");
  return <p data-testid="headline">{headline}</p>;
}

function Greeting() {
  const welcome = useSocketValue<{ id: string } | null>("welcome", null);
  return <p data-testid="greeting">{welcome ? `welcome ${welcome.id}` : "waiting"}</p>;
}

function Switcher(props: { socket: NewsSocket; log: string[] }) {
  const [prefix, setPrefix] = useState("a");
  return (
    <>
      <Watcher
        socket={props.socket}
        onNews={(headline) => props.log.push(`${prefix}:${headline}`)}
      />
      <button type="button" onClick={() => setPrefix("b")}>
        switch
      </button>
    </>
  );
}

describe("useSocketEvent", () => {
  it("delivers an event that arrives between render and effect, before live ones", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const received: string[] = [];
    render(
      <>
        <Watcher socket={socket} onNews={(headline) => received.push(headline)} />
        <ArrivesBeforeEffects socket={socket} once={{ done: false }} />
      </>,
    );
    act(() => deliverEvent(socket, "news", "live"));

    // Must: the early event is not lost and comes first; each event arrives once.
    expect(received).toEqual(["between render and effect", "live"]);
  });

  it("delivers each event once under StrictMode's double effects", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const received: string[] = [];
    render(
      <StrictMode>
        <Watcher socket={socket} onNews={(headline) => received.push(headline)} />
        <ArrivesBeforeEffects socket={socket} once={{ done: false }} />
      </StrictMode>,
    );
    act(() => deliverEvent(socket, "news", "live"));

    expect(received).toEqual(["between render and effect", "live"]);
    expect(socket.listeners("news")).toHaveLength(1);
  });

  it("calls the latest handler without subscribing again on re-render", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const log: string[] = [];
    const view = render(<Switcher socket={socket} log={log} />);
    const [subscribed] = socket.listeners("news");
    act(() => deliverEvent(socket, "news", "one"));
    act(() => view.getByText("switch").click());
    act(() => deliverEvent(socket, "news", "two"));

    // Must: the second event reaches the new handler through the same subscription.
    expect(log).toEqual(["a:one", "b:two"]);
    expect(socket.listeners("news")).toEqual([subscribed]);
  });

  it("unsubscribes on unmount", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const received: string[] = [];
    const view = render(<Watcher socket={socket} onNews={(headline) => received.push(headline)} />);
    expect(socket.listeners("news")).toHaveLength(1);
    view.unmount();
    deliverEvent(socket, "news", "after unmount");

    expect(socket.listeners("news")).toHaveLength(0);
    expect(received).toEqual([]);
  });
});

describe("useSocketValue", () => {
  it("shows the last payload of an event, the initial value before", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const view = render(<Headline socket={socket} />);
    expect(view.getByTestId("headline").textContent).toBe("none yet");

    act(() => deliverEvent(socket, "news", "first"));
    act(() => deliverEvent(socket, "news", "second"));
    expect(view.getByTestId("headline").textContent).toBe("second");
  });

  it("takes the provider's default socket and holds it open: the server's welcome shows", async () => {
    const counter = countingWebSocket();
    const view = render(
      <SocketProvider
        url={MOCK_SERVER_URL}
        options={{ transports: ["websocket"], WebSocket: counter.WebSocket }}
      >
        <Greeting />
      </SocketProvider>,
    );
    await expect.poll(() => view.getByTestId("greeting").textContent).toMatch(/^welcome \S+$/);
    expect(counter.opened).toHaveLength(1);
  });
});
