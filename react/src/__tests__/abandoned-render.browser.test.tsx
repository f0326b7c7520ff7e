import { render } from "@testing-library/react";
import type { BaseManager } from "@wireline/sdk";
import {
  Activity,
  Component,
  type ReactNode,
  StrictMode,
  Suspense,
  startTransition,
  use,
  useState,
} from "react";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import {
  SocketProvider,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
  useSocketValue,
} from "../index.ts";
import { sharedConnections } from "../shared-connections.ts";
import { countingWebSocket, MOCK_SERVER_URL, quietPeriod } from "./browser-helpers.ts";

const RELEASE_DELAY = 200;
/** Long enough past the release delay for its timers to have fired on a loaded machine. */
const PAST_RELEASE_DELAY = RELEASE_DELAY + 400;

/** Suspends until `until` resolves: a render that reaches it commits only then. */
function Pending(props: { until: Promise<unknown> }): ReactNode {
  use(props.until);
  return null;
}

/** Suspends for good: the render that reaches it never commits. */
const forever = new Promise<never>(() => {});
const neverReady = <Pending until={forever} />;

function Thrower(): ReactNode {
  throw new Error("render failed");
}

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? <p>failed</p> : this.props.children;
  }
}

/** How a test switches pages: `go` in a transition, `goNow` as an urgent update. */
interface Navigation {
  go(page: string): void;
  goNow(page: string): void;
}

/** Renders `pages[page]`, starting at "home", under a Suspense boundary already shown. */
function Pages(props: { pages: Record<string, ReactNode>; navigation: Navigation }) {
  const [page, setPage] = useState("home");
  props.navigation.go = (next) => startTransition(() => setPage(next));
  props.navigation.goNow = setPage;
  return props.pages[page];
}

function navigation(): Navigation {
  return { go() {}, goNow() {} };
}

/** What a consumer's renders saw: how many there were, and the Managers they were handed. */
interface Renders {
  count: number;
  managers: Set<BaseManager>;
}

/** Every socket hook of the binding, on the provider's connection; notes its renders. */
function Consumer(props: { renders: Renders }) {
  const socket = useSocket();
  props.renders.count++;
  props.renders.managers.add(socket.io);
  useSocketEvent(socket, "welcome", () => {});
  useSocketValue(socket, "welcome", null);
  useEmitWithAck(socket, "echo");
  const status = useConnectionState((state) => state.status);
  return <p data-testid="status">{status}</p>;
}

function setup() {
  const counter = countingWebSocket();
  const renders: Renders = { count: 0, managers: new Set() };
  // A WebSocket class of its own: the test's connection is nobody else's.
  const options = { transports: ["websocket" as const], WebSocket: counter.WebSocket };
  const provide = (children: ReactNode) => (
    <SocketProvider url={MOCK_SERVER_URL} options={options} releaseDelay={RELEASE_DELAY}>
      {children}
    </SocketProvider>
  );
  /** Whether a connection the renders were handed is still in the page's pool. */
  const pooled = () => {
    // An existing connection comes back as it is; a new one (delay 0) leaves the pool at once.
    const current = sharedConnections.get(new URL(MOCK_SERVER_URL).origin, options, 0);
    return renders.managers.has(current.manager);
  };
  /** Must: the render happened, opened nothing, and its connection left the pool in time. */
  const expectNothingLeft = async () => {
    await expect.poll(() => renders.count).toBeGreaterThan(0);
    expect(renders.managers.size).toBe(1);
    await quietPeriod(PAST_RELEASE_DELAY);
    expect(counter.opened).toHaveLength(0);
    expect(pooled()).toBe(false);
  };
  return { counter, renders, pooled, provide, expectNothingLeft };
}

describe("a render that never commits", () => {
  it("opens nothing when a transition suspends for good", async () => {
    const { renders, provide, expectNothingLeft } = setup();
    const nav = navigation();
    const chat = provide(
      <>
        <Consumer renders={renders} />
        {neverReady}
      </>,
    );
    const view = render(
      <Suspense fallback={<p>loading</p>}>
        <Pages navigation={nav} pages={{ home: <p>home</p>, chat }} />
      </Suspense>,
    );
    nav.go("chat");
    await expectNothingLeft();
    // Must: the transition kept the old screen.
    expect(view.getByText("home")).toBeTruthy();
  });

  it("opens nothing when a new Suspense boundary commits its fallback instead", async () => {
    const { renders, provide, expectNothingLeft } = setup();
    const view = render(
      <Suspense fallback={<p>loading</p>}>
        {provide(
          <>
            <Consumer renders={renders} />
            {neverReady}
          </>,
        )}
      </Suspense>,
    );
    await expectNothingLeft();
    expect(view.getByText("loading")).toBeTruthy();
  });

  it("opens nothing when another transition supersedes it", async () => {
    const { renders, provide, expectNothingLeft } = setup();
    const nav = navigation();
    const chat = provide(
      <>
        <Consumer renders={renders} />
        {neverReady}
      </>,
    );
    const view = render(
      <Suspense fallback={<p>loading</p>}>
        <Pages navigation={nav} pages={{ home: <p>home</p>, chat, elsewhere: <p>elsewhere</p> }} />
      </Suspense>,
    );
    nav.go("chat");
    await expect.poll(() => renders.count).toBeGreaterThan(0);
    nav.go("elsewhere");
    await expect.poll(() => view.queryByText("elsewhere")).toBeTruthy();
    await expectNothingLeft();
  });

  it("opens nothing under StrictMode's double render of a suspended transition", async () => {
    const { renders, provide, expectNothingLeft } = setup();
    const nav = navigation();
    const chat = provide(
      <>
        <Consumer renders={renders} />
        {neverReady}
      </>,
    );
    render(
      <StrictMode>
        <Suspense fallback={<p>loading</p>}>
          <Pages navigation={nav} pages={{ home: null, chat }} />
        </Suspense>
      </StrictMode>,
    );
    nav.go("chat");
    await expectNothingLeft();
  });

  it("opens nothing when an error boundary replaces the tree it rendered in", async () => {
    const { renders, provide, expectNothingLeft } = setup();
    // React reports the error the boundary caught; expected here.
    const reported = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => reported.mockRestore());
    const view = render(
      <Boundary>
        {provide(
          <>
            <Consumer renders={renders} />
            <Thrower />
          </>,
        )}
      </Boundary>,
    );
    await expectNothingLeft();
    expect(view.getByText("failed")).toBeTruthy();
  });

  it("opens nothing when <Activity> renders it hidden and never shows it", async () => {
    const { renders, provide, expectNothingLeft } = setup();
    render(<Activity mode="hidden">{provide(<Consumer renders={renders} />)}</Activity>);
    await expectNothingLeft();
  });

  it("leaves an open connection to close after the release delay once its last mounted user unmounts", async () => {
    const { counter, renders, pooled, provide } = setup();
    const mounted: Renders = { count: 0, managers: renders.managers };
    const nav = navigation();
    const home = provide(<Consumer renders={mounted} />);
    const more = provide(
      <>
        <Consumer renders={mounted} />
        <Consumer renders={renders} />
        {neverReady}
      </>,
    );
    const view = render(
      <Suspense fallback={<p>loading</p>}>
        <Pages navigation={nav} pages={{ home, more, gone: <p>gone</p> }} />
      </Suspense>,
    );
    await expect.poll(() => view.getByTestId("status").textContent).toBe("connected");
    nav.go("more");
    await expect.poll(() => renders.count).toBeGreaterThan(0);
    // Taken before the navigation: the unmount (and the release delay) cannot start earlier.
    const leftAt = performance.now();
    nav.goNow("gone");
    await expect.poll(() => view.queryByText("gone")).toBeTruthy();

    // Must: the one WebSocket closes once the delay after the unmount is over, and the
    // connection leaves the pool, whatever the abandoned render took from it.
    await expect.poll(() => counter.live(), { timeout: 5000 }).toBe(0);
    expect(performance.now() - leftAt).toBeGreaterThanOrEqual(RELEASE_DELAY - 20);
    expect(counter.opened).toHaveLength(1);
    expect(renders.managers.size).toBe(1);
    await expect.poll(() => pooled()).toBe(false);
  });
});

describe("a render that commits later than the release delay", () => {
  it("opens one connection when it commits and closes it after the release delay", async () => {
    const { counter, renders, pooled, provide } = setup();
    let ready: () => void = () => {};
    const slow = new Promise<void>((resolve) => (ready = resolve));
    const nav = navigation();
    const chat = provide(
      <>
        <Consumer renders={renders} />
        <Pending until={slow} />
      </>,
    );
    const view = render(
      <Suspense fallback={<p>loading</p>}>
        <Pages navigation={nav} pages={{ home: <p>home</p>, chat }} />
      </Suspense>,
    );
    nav.go("chat");
    await expect.poll(() => renders.count).toBeGreaterThan(0);
    // The connection its render took has left the pool by now.
    await quietPeriod(PAST_RELEASE_DELAY);
    expect(counter.opened).toHaveLength(0);
    ready();

    // Must: the commit opens the connection, once…
    await expect.poll(() => view.getByTestId("status").textContent).toBe("connected");
    expect(counter.opened).toHaveLength(1);
    // …and the unmount closes it after the delay, leaving the pool empty.
    nav.goNow("home");
    await expect.poll(() => counter.live(), { timeout: 5000 }).toBe(0);
    expect(pooled()).toBe(false);
  });
});
