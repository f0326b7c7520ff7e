import { act, render, renderHook } from "@testing-library/react";
import type { Socket } from "@wireline/sdk";
import { Activity, StrictMode, useLayoutEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { SocketProvider, useSocketEvent, useSocketValue } from "../index.ts";
import {
  connectedSocket,
  countingWebSocket,
  deliverEvent,
  MOCK_SERVER_URL,
  quietPeriod,
} from "./browser-helpers.ts";

interface ServerEvents {
  news: (headline: string) => void;
  welcome: (info: { id: string }) => void;
  "typing:start": (user: string) => void;
  "typing:stop": (user: string) => void;
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

/** Like {@link ArrivesBeforeEffects}, for a list of events. */
function ArriveBeforeEffects(props: {
  socket: NewsSocket;
  once: { done: boolean };
  events: Array<[keyof ServerEvents, string]>;
}) {
  if (!props.once.done) {
    props.once.done = true;
    for (const [event, arg] of props.events) deliverEvent(props.socket, event, arg);
  }
  return null;
}

/** Removes the socket's catch-all listeners while rendering, as an app's own code might. */
function ClearsCatchAll(props: { socket: NewsSocket }) {
  props.socket.offAny();
  return null;
}

/** Two hooks of one component: whether someone is typing depends on the order of the events. */
function TypingIndicator(props: { socket: NewsSocket; log: string[] }) {
  const [typing, setTyping] = useState(false);
  useSocketEvent(props.socket, "typing:start", (user) => {
    props.log.push(`start:${user}`);
    setTyping(true);
  });
  useSocketEvent(props.socket, "typing:stop", (user) => {
    props.log.push(`stop:${user}`);
    setTyping(false);
  });
  return <p data-testid="typing">{String(typing)}</p>;
}

function Lines(props: { socket: NewsSocket }) {
  const [lines, setLines] = useState<string[]>([]);
  useSocketEvent(props.socket, "news", (line) => setLines((all) => [...all, line]));
  return <p data-testid="lines">{lines.join(",")}</p>;
}

/** A chat tab that `<Activity>` hides and shows. */
function ChatTab(props: { socket: NewsSocket; visible: boolean }) {
  return (
    <Activity mode={props.visible ? "visible" : "hidden"}>
      <Lines socket={props.socket} />
    </Activity>
  );
}

/** Reports uncaught errors (what the SDK reports a listener's error as) to `errors`. */
function catchUncaught() {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    errors.push(event.error);
  };
  window.addEventListener("error", onError);
  uncaughtCatchers.push(() => window.removeEventListener("error", onError));
  return errors;
}
const uncaughtCatchers: Array<() => void> = [];
afterEach(() => {
  for (const stop of uncaughtCatchers.splice(0)) stop();
});

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

/** Ann stops typing, then starts again: both arrive after render, before the effects. */
function StopThenStart({ socket, log }: { socket: Socket<ServerEvents>; log: string[] }) {
  return (
    <>
      <TypingIndicator socket={socket} log={log} />
      <ArriveBeforeEffects
        socket={socket}
        once={{ done: false }}
        events={[
          ["typing:stop", "ann"],
          ["typing:start", "ann"],
        ]}
      />
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

    expect(received).toEqual([]);
    // Must: the socket's listener (the journal's, kept one replay window for a remount) leaves.
    await expect.poll(() => socket.listeners("news")).toHaveLength(0);
  });

  it("gets its events again after the app's socket.off(event), once it remounts", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const received: string[] = [];
    const watcher = <Watcher socket={socket} onNews={(headline) => received.push(headline)} />;
    const view = render(watcher);
    socket.off("news");
    view.unmount();
    render(watcher);
    act(() => deliverEvent(socket, "news", "after remount"));

    expect(received).toEqual(["after remount"]);
  });

  it("delivers each event once when <Activity> hides and shows it after a quiet second", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const view = render(<ChatTab socket={socket} visible />);
    // Longer than the replay window: nothing rendered meanwhile.
    await quietPeriod(1500);
    act(() => deliverEvent(socket, "news", "m1"));
    act(() => deliverEvent(socket, "news", "m2"));
    act(() => deliverEvent(socket, "news", "m3"));
    view.rerender(<ChatTab socket={socket} visible={false} />);
    view.rerender(<ChatTab socket={socket} visible />);
    act(() => deliverEvent(socket, "news", "m4"));

    // Must: showing the tab again replays nothing it already had.
    expect(view.getByTestId("lines").textContent).toBe("m1,m2,m3,m4");
  });

  it("replays the events of several hooks in the order they arrived", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const log: string[] = [];
    const view = render(<StopThenStart socket={socket} log={log} />);

    // Must: stop then start, as they arrived, so Ann is shown typing.
    expect(log).toEqual(["stop:ann", "start:ann"]);
    expect(view.getByTestId("typing").textContent).toBe("true");
  });

  it("reports a handler's error on a replayed event and goes on, as on a live one", async () => {
    const errors = catchUncaught();
    const socket = await connectedSocket<ServerEvents>();
    const received: string[] = [];
    const onNews = (headline: string) => {
      if (headline === "between render and effect") throw new Error("handler bug");
      received.push(headline);
    };
    const view = render(
      <>
        <Watcher socket={socket} onNews={onNews} />
        <p data-testid="alive">alive</p>
        <ArrivesBeforeEffects socket={socket} once={{ done: false }} />
      </>,
    );
    act(() => deliverEvent(socket, "news", "live"));

    // Must: the tree stays, the hook stays subscribed, the error is reported, not swallowed.
    expect(view.getByTestId("alive").textContent).toBe("alive");
    expect(received).toEqual(["live"]);
    await expect.poll(() => errors).toEqual([new Error("handler bug")]);
  });

  it("replays without occupying the socket's catch-all listeners, even after offAny()", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const received: string[] = [];
    render(
      <>
        <Watcher socket={socket} onNews={(headline) => received.push(headline)} />
        <ClearsCatchAll socket={socket} />
        <ArrivesBeforeEffects socket={socket} once={{ done: false }} />
      </>,
    );
    act(() => deliverEvent(socket, "news", "live"));

    // Must: the app's offAny() takes nothing of the hook's, and listenersAny() shows nothing.
    expect(received).toEqual(["between render and effect", "live"]);
    expect(socket.listenersAny()).toEqual([]);
    render(<Watcher socket={socket} onNews={() => {}} />);
    expect(socket.listenersAny()).toEqual([]);
  });
});

/**
 * A root rendered by React's own scheduler, outside `act()`: a normal render runs its effects in
 * a later task, as in an app. Undone after the test.
 */
function scheduledRoot() {
  const scope = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  const wasActEnvironment = scope.IS_REACT_ACT_ENVIRONMENT;
  scope.IS_REACT_ACT_ENVIRONMENT = false;
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  scheduledRootCleanups.push(() => {
    root.unmount();
    host.remove();
    scope.IS_REACT_ACT_ENVIRONMENT = wasActEnvironment;
  });
  return { root, host };
}

const scheduledRootCleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanUp of scheduledRootCleanups.splice(0)) cleanUp();
});

/** Long enough for React's scheduler to render, commit and run the effects. */
const settled = () => quietPeriod(150);

function NewsLog(props: { socket: NewsSocket; into: string[] }) {
  useSocketEvent(props.socket, "news", (headline) => props.into.push(headline));
  return null;
}

/** Delivers `headlines` in one task, from its layout effect: before its siblings' effects ran. */
function Flood(props: { socket: NewsSocket; headlines: string[] }) {
  useLayoutEffect(() => {
    for (const headline of props.headlines) deliverEvent(props.socket, "news", headline);
  }, [props.socket, props.headlines]);
  return null;
}

type RoomEvents = Record<`room:${number}`, (text: string) => void>;

/** Listens to its room's event: the event name changes with the room. */
function Room(props: { socket: Socket<RoomEvents>; room: number; into: string[] }) {
  useSocketEvent(props.socket, `room:${props.room}`, (text) =>
    props.into.push(`${props.room}:${text}`),
  );
  return null;
}

describe("useSocketEvent under React's own scheduling (no act)", () => {
  it("replays in arrival order across hooks while another hook of the socket is mounted", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const { root, host } = scheduledRoot();
    const news: string[] = [];
    root.render(<NewsLog socket={socket} into={news} />);
    await settled();
    const log: string[] = [];
    root.render(
      <>
        <NewsLog socket={socket} into={news} />
        <StopThenStart socket={socket} log={log} />
      </>,
    );
    await expect.poll(() => log.length).toBe(2);

    // Must: stop then start, as they arrived, although the effects ran in a later task.
    expect(log).toEqual(["stop:ann", "start:ann"]);
    await expect.poll(() => host.textContent).toBe("true");
  });

  it("gives a mounted hook every event of a flood while another hook waits for its effect", async () => {
    const socket = await connectedSocket<ServerEvents>();
    const { root } = scheduledRoot();
    const mounted: string[] = [];
    const added: string[] = [];
    const flood = Array.from({ length: 1500 }, (_, index) => `n${index}`);
    root.render(<NewsLog socket={socket} into={mounted} />);
    await settled();
    root.render(
      <>
        <NewsLog socket={socket} into={mounted} />
        <NewsLog socket={socket} into={added} />
        <Flood socket={socket} headlines={flood} />
      </>,
    );
    await expect.poll(() => added.length).toBe(flood.length);

    // Must: more than the replay bound, yet none lost by either hook.
    expect(mounted).toEqual(flood);
    expect(added).toEqual(flood);
  });

  it("stops listening to an event name one window after no hook uses it", async () => {
    const socket = (await connectedSocket<ServerEvents>()) as unknown as Socket<RoomEvents>;
    const { root } = scheduledRoot();
    const got: string[] = [];
    const page = (room: number) => (
      <>
        <NewsLog socket={socket as unknown as NewsSocket} into={[]} />
        <Room socket={socket} room={room} into={got} />
      </>
    );
    for (let room = 1; room <= 5; room++) {
      root.render(page(room));
      await settled();
    }
    root.render(page(4));
    await settled();
    deliverEvent(socket as never, "room:4", "live");
    await expect.poll(() => got).toEqual(["4:live"]);
    await quietPeriod(1200);
    const listening = (room: number) => socket.listeners(`room:${room}`).length;

    // Must: a window after, the names no hook uses are let go; the one in use stays.
    await expect.poll(() => [1, 2, 3, 5].map(listening)).toEqual([0, 0, 0, 0]);
    expect(listening(4)).toBe(1);
    deliverEvent(socket as never, "room:4", "still");
    expect(got).toEqual(["4:live", "4:still"]);
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

  it("keeps a function given as initial value as the value, not as an initializer", async () => {
    const socket = await connectedSocket<{ format: (render: () => string) => void }>();
    const plain = () => "plain";
    const { result } = renderHook(() => useSocketValue(socket, "format", plain));

    expect(result.current).toBe(plain);
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
