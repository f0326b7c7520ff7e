import { act, render } from "@testing-library/react";
import type { ConnectionSnapshot, Socket } from "@wireline/sdk";
import { describe, expect, it } from "vitest";
import { useConnectionState } from "../index.ts";
import { connectedSocket } from "./browser-helpers.ts";

type Renders = Record<string, number>;

function Probe(props: {
  name: string;
  renders: Renders;
  socket: Socket;
  select?: (state: ConnectionSnapshot) => unknown;
}) {
  props.renders[props.name] = (props.renders[props.name] ?? 0) + 1;
  const selected = useConnectionState(props.select, props.socket);
  return <p data-testid={props.name}>{JSON.stringify(selected)}</p>;
}

const byStatus = (state: ConnectionSnapshot) => state.status;
const byOutbox = (state: ConnectionSnapshot) => state.outboxSize;
const statusAndAttempt = (state: ConnectionSnapshot) => ({
  status: state.status,
  attempt: state.attempt,
});

describe("useConnectionState", () => {
  it("re-renders a component only when the slice it selects changes", async () => {
    const socket = await connectedSocket({ autoConnect: false });
    const renders: Renders = {};
    const view = render(
      <>
        <Probe name="whole" renders={renders} socket={socket} />
        <Probe name="status" renders={renders} socket={socket} select={byStatus} />
        <Probe name="outbox" renders={renders} socket={socket} select={byOutbox} />
        <Probe name="object" renders={renders} socket={socket} select={statusAndAttempt} />
      </>,
    );
    expect(renders).toEqual({ whole: 1, status: 1, outbox: 1, object: 1 });

    // Emits while not connected wait in the outbox: three changes of outboxSize alone.
    act(() => {
      socket.emit("note", 1);
    });
    act(() => {
      socket.emit("note", 2);
    });
    act(() => {
      socket.emit("note", 3);
    });

    // Must: whole and outbox saw each change; status and a fresh-object selector none.
    expect(renders).toEqual({ whole: 4, status: 1, outbox: 4, object: 1 });
    expect(view.getByTestId("outbox").textContent).toBe("3");
    expect(view.getByTestId("object").textContent).toBe('{"status":"idle","attempt":0}');

    act(() => {
      socket.connect();
    });
    await expect.poll(() => view.getByTestId("status").textContent).toBe('"connected"');
    expect(view.getByTestId("outbox").textContent).toBe("0");
  });

  it("follows the live status through a disconnect and a reconnect", async () => {
    const socket = await connectedSocket();
    const renders: Renders = {};
    const view = render(
      <Probe name="status" renders={renders} socket={socket} select={byStatus} />,
    );
    expect(view.getByTestId("status").textContent).toBe('"connected"');

    act(() => {
      socket.disconnect();
    });
    expect(view.getByTestId("status").textContent).toBe('"disconnected"');
    act(() => {
      socket.connect();
    });
    await expect.poll(() => view.getByTestId("status").textContent).toBe('"connected"');
    view.unmount();
  });
});
