import { act, render } from "@testing-library/react";
import { hydrateRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { SocketProvider, useConnectionState, useSocket } from "../index.ts";
import { countingWebSocket, MOCK_SERVER_URL } from "./browser-helpers.ts";

function Status() {
  return <p id="status">{useConnectionState((state) => state.status)}</p>;
}

function Holder() {
  useSocket();
  return <Status />;
}

let root: Root | undefined;
let container: HTMLElement | undefined;
afterEach(() => {
  act(() => root?.unmount());
  container?.remove();
});

describe("hydrating server-rendered markup", () => {
  it("hydrates the server's idle markup even when the connection is already live, then shows it", async () => {
    const counter = countingWebSocket();
    const options = { WebSocket: counter.WebSocket };
    // Another part of the page opened the shared connection before this root hydrates.
    const live = render(
      <SocketProvider url={MOCK_SERVER_URL} options={options}>
        <Holder />
      </SocketProvider>,
    );
    await expect.poll(() => live.container.textContent).toBe("connected");

    // What a server renders (ssr.test.tsx: server renders see an idle connection).
    container = document.createElement("div");
    container.innerHTML = '<p id="status">idle</p>';
    document.body.append(container);
    const errors: unknown[] = [];
    act(() => {
      root = hydrateRoot(
        container!,
        <SocketProvider url={MOCK_SERVER_URL} options={options}>
          <Status />
        </SocketProvider>,
        { onRecoverableError: (error) => errors.push(error) },
      );
    });
    await expect.poll(() => container!.textContent).toBe("connected");

    // Must: hydration matched the server's "idle" (no mismatch reported), on the one connection.
    expect(errors).toEqual([]);
    expect(counter.opened).toHaveLength(1);
  });
});
