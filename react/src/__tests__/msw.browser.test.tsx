import { act, fireEvent, render, screen } from "@testing-library/react";
import { mockSocketServer } from "@wireline/sdk/testing";
import { setupWorker } from "msw/browser";
import { StrictMode, useState } from "react";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SocketProvider,
  useConnectionState,
  useEmitWithAck,
  useSocket,
  useSocketEvent,
} from "../index.ts";
import { quietPeriod } from "./browser-helpers.ts";

// No real server here: @wireline/sdk/testing mocks one with MSW, in this page.
const URL = "http://react-chat.test";
const server = mockSocketServer(URL, { pingInterval: 1000, pingTimeout: 1000 });
const worker = setupWorker(...server.handlers);
await worker.start({ quiet: true, onUnhandledRequest: "bypass" });

let connections = 0;
// reset() forgets the server's listeners too: each test gets them afresh.
beforeEach(() => {
  server.on("connection", (socket) => {
    connections++;
    socket.on("save", (title: unknown, ack: unknown) => {
      if (typeof ack === "function") ack(`saved ${String(title)}`);
    });
  });
});

afterEach(() => {
  server.reset();
  connections = 0;
});
afterAll(() => worker.stop());

interface ServerEvents {
  message: (text: string) => void;
}
interface ClientEvents {
  message: (text: string) => void;
  save: (title: string, ack: (reply: string) => void) => void;
}

function Chat() {
  const socket = useSocket<ServerEvents, ClientEvents>();
  const [lines, setLines] = useState<string[]>([]);
  useSocketEvent(socket, "message", (text) => setLines((all) => [...all, text]));
  const status = useConnectionState((state) => state.status);
  const save = useEmitWithAck(socket, "save", { timeout: 2000 });
  return (
    <>
      <p data-testid="status">{status}</p>
      <p data-testid="lines">{lines.join(",")}</p>
      <button type="button" onClick={() => socket.emit("message", "hi")}>
        say hi
      </button>
      <button type="button" onClick={() => void save.emit("draft")}>
        save
      </button>
      <p data-testid="save">{save.status === "success" ? save.data : save.status}</p>
    </>
  );
}

/** Records every status it renders. */
function StatusLog(props: { seen: string[] }) {
  props.seen.push(useConnectionState((state) => state.status));
  return null;
}

const fastReconnection = { reconnectionDelay: 50, reconnectionDelayMax: 100 };

describe("@wireline/react against a server mocked with MSW", () => {
  it("shows pushed messages, sends its own and gets acknowledgements", async () => {
    render(
      <SocketProvider url={URL}>
        <Chat />
      </SocketProvider>,
    );
    const serverSide = await server.waitForConnection();
    await expect.poll(() => screen.getByTestId("status").textContent).toBe("connected");
    serverSide.emit("message", "welcome");
    await expect.poll(() => screen.getByTestId("lines").textContent).toBe("welcome");

    fireEvent.click(screen.getByText("say hi"));
    await server.expectEmitted("message", "hi");
    fireEvent.click(screen.getByText("save"));
    await expect.poll(() => screen.getByTestId("save").textContent).toBe("saved draft");
  });

  it("opens one connection under StrictMode", async () => {
    render(
      <StrictMode>
        <SocketProvider url={URL} options={{ query: { case: "strict" } }}>
          <Chat />
        </SocketProvider>
      </StrictMode>,
    );
    await server.waitForConnection();
    await expect.poll(() => screen.getByTestId("status").textContent).toBe("connected");
    await quietPeriod(300);
    expect(connections).toBe(1);
  });

  it("follows a dropped connection through reconnecting back to connected, and keeps listening", async () => {
    const seen: string[] = [];
    render(
      <SocketProvider url={URL} options={{ query: { case: "drop" }, ...fastReconnection }}>
        <Chat />
        <StatusLog seen={seen} />
      </SocketProvider>,
    );
    await server.waitForConnection();
    await expect.poll(() => screen.getByTestId("status").textContent).toBe("connected");

    act(() => server.dropConnection());
    const again = await server.waitForConnection();
    await expect.poll(() => screen.getByTestId("status").textContent).toBe("connected");
    // Must: the drop was visible, and the same hooks serve the new session.
    expect(seen).toContain("reconnecting");
    again.emit("message", "back online");
    await expect.poll(() => screen.getByTestId("lines").textContent).toBe("back online");
  });
});
