import { render } from "@testing-library/react";
import { Manager, type Socket } from "@wireline/sdk";
import { describe, expect, it } from "vitest";
import { SocketProvider, useConnectionState, useSocket, useSocketValue } from "../index.ts";
import {
  connectedSocket,
  countingWebSocket,
  MOCK_SERVER_URL,
  quietPeriod,
  SOCKET_IO_URL,
} from "./browser-helpers.ts";

/** Shows its connection's status and the server's welcome; reports its socket. */
function Client(props: { name: string; onSocket?: (socket: Socket) => void }) {
  const socket = useSocket();
  props.onSocket?.(socket);
  const status = useConnectionState((state) => state.status);
  const welcome = useSocketValue<{ id: string } | null>("welcome", null);
  return (
    <p data-testid={props.name}>
      {status} {welcome ? "welcomed" : "-"}
    </p>
  );
}

function StatusOnly() {
  return <>{useConnectionState((state) => state.status)}</>;
}

const port = (url: string) => new URL(url).port;

describe("SocketProvider", () => {
  it("gives providers of different servers a connection each", async () => {
    const counter = countingWebSocket();
    const sockets: Record<string, Socket> = {};
    const options = { transports: ["websocket" as const], WebSocket: counter.WebSocket };
    const view = render(
      <>
        <SocketProvider url={MOCK_SERVER_URL} options={options}>
          <Client name="mock" onSocket={(socket) => (sockets.mock = socket)} />
        </SocketProvider>
        <SocketProvider url={SOCKET_IO_URL} options={options}>
          <Client name="official" onSocket={(socket) => (sockets.official = socket)} />
        </SocketProvider>
      </>,
    );
    await expect.poll(() => view.getByTestId("mock").textContent).toBe("connected welcomed");
    await expect.poll(() => view.getByTestId("official").textContent).toBe("connected welcomed");

    // Must: two Managers, one WebSocket to each server.
    expect(sockets.mock!.io).not.toBe(sockets.official!.io);
    expect(counter.opened.map((ws) => port(ws.url)).sort()).toEqual(
      [port(MOCK_SERVER_URL), port(SOCKET_IO_URL)].sort(),
    );
  });

  it("shares one connection between providers of the same URL and equal options", async () => {
    const counter = countingWebSocket();
    const sockets: Socket[] = [];
    const view = render(
      <>
        <SocketProvider url={MOCK_SERVER_URL} options={{ WebSocket: counter.WebSocket }}>
          <Client name="one" onSocket={(socket) => sockets.push(socket)} />
        </SocketProvider>
        <SocketProvider url={MOCK_SERVER_URL} options={{ WebSocket: counter.WebSocket }}>
          <Client name="two" onSocket={(socket) => sockets.push(socket)} />
        </SocketProvider>
      </>,
    );
    await expect.poll(() => view.getByTestId("two").textContent).toBe("connected welcomed");
    await quietPeriod(200);

    expect(new Set(sockets).size).toBe(1);
    expect(counter.opened).toHaveLength(1);
  });

  it("lets a nested provider name another server for its subtree", async () => {
    const counter = countingWebSocket();
    const sockets: Record<string, Socket> = {};
    const view = render(
      <SocketProvider url={MOCK_SERVER_URL} options={{ WebSocket: counter.WebSocket }}>
        <Client name="outer" onSocket={(socket) => (sockets.outer = socket)} />
        <SocketProvider url={SOCKET_IO_URL} options={{ WebSocket: counter.WebSocket }}>
          <Client name="inner" onSocket={(socket) => (sockets.inner = socket)} />
        </SocketProvider>
      </SocketProvider>,
    );
    await expect.poll(() => view.getByTestId("inner").textContent).toBe("connected welcomed");
    await expect.poll(() => view.getByTestId("outer").textContent).toBe("connected welcomed");
    expect(sockets.outer!.io).not.toBe(sockets.inner!.io);
  });

  it("moves its subtree to the new server when its URL changes, and closes the old connection", async () => {
    const counter = countingWebSocket();
    const sockets: Socket[] = [];
    const tree = (url: string) => (
      <SocketProvider url={url} options={{ WebSocket: counter.WebSocket }}>
        <Client name="client" onSocket={(socket) => sockets.push(socket)} />
      </SocketProvider>
    );
    const view = render(tree(MOCK_SERVER_URL));
    await expect.poll(() => view.getByTestId("client").textContent).toBe("connected welcomed");
    const [toMock] = counter.opened;

    view.rerender(tree(SOCKET_IO_URL));
    await expect.poll(() => counter.opened.length).toBe(2);
    await expect.poll(() => view.getByTestId("client").textContent).toBe("connected welcomed");

    // Must: the component now holds the new server's socket; the old WebSocket closed.
    const last = sockets.at(-1)!;
    expect(last.io).not.toBe(sockets[0]!.io);
    expect(port(counter.opened[1]!.url)).toBe(port(SOCKET_IO_URL));
    await expect.poll(() => toMock!.readyState).toBe(WebSocket.CLOSED);
    expect(sockets[0]!.connected).toBe(false);
  });

  it("hands out the app's own socket as is and never closes it", async () => {
    const own = await connectedSocket();
    let seen: Socket | undefined;
    const view = render(
      <SocketProvider client={own}>
        <Client name="client" onSocket={(socket) => (seen = socket)} />
      </SocketProvider>,
    );
    await expect.poll(() => view.getByTestId("client").textContent).toMatch(/^connected/);
    view.unmount();
    await quietPeriod(300);

    // Must: the very socket the app passed; still connected after its users unmounted.
    expect(seen).toBe(own);
    expect(own.connected).toBe(true);
  });

  it("never reconnects a socket the app disconnected, when handed the app's Manager", async () => {
    const own = await connectedSocket();
    own.disconnect();
    let seen: Socket | undefined;
    const view = render(
      <SocketProvider client={own.io}>
        <Client name="client" onSocket={(socket) => (seen = socket)} />
      </SocketProvider>,
    );
    await quietPeriod(300);

    // Must: the hooks found the app's socket and left it as the app left it.
    expect(seen).toBe(own);
    expect(own.connected).toBe(false);
    expect(view.getByTestId("client").textContent).toBe("disconnected -");
  });

  it("observes the app's Manager without creating or connecting a socket on it", async () => {
    const manager = new Manager(MOCK_SERVER_URL, { autoConnect: false });
    const view = render(
      <SocketProvider client={manager}>
        <StatusOnly />
      </SocketProvider>,
    );
    expect(view.container.textContent).toBe("idle");
    await quietPeriod(200);
    expect(manager.nsps.size).toBe(0);
    expect(manager.getSnapshot().status).toBe("idle");
  });

  it("refuses a client together with a URL, saying what to do", () => {
    expect(() =>
      render(
        // @ts-expect-error: the props forbid client with url; the check is for untyped callers.
        <SocketProvider client={{}} url={MOCK_SERVER_URL}>
          <p>never</p>
        </SocketProvider>,
      ),
    ).toThrow(/either `client` or `url`\/`options`/);
  });

  it("connects to a URL without a scheme as io() does: a host, with the page's scheme", async () => {
    const counter = countingWebSocket();
    const host = MOCK_SERVER_URL.replace(/^http:\/\//, ""); // "127.0.0.1:port"
    let socket: Socket | undefined;
    const view = render(
      <SocketProvider
        url={host}
        options={{ transports: ["websocket"], WebSocket: counter.WebSocket }}
      >
        <Client name="host" onSocket={(s) => (socket = s)} />
      </SocketProvider>,
    );

    // Must: the default namespace of that host, not a namespace named after it on the page's server.
    await expect.poll(() => view.getByTestId("host").textContent).toBe("connected welcomed");
    expect(socket!.nsp).toBe("/");
    expect(counter.opened.map((ws) => port(ws.url))).toEqual([port(MOCK_SERVER_URL)]);
  });
});
