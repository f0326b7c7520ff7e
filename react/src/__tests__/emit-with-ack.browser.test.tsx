import { act, render, renderHook } from "@testing-library/react";
import type { Socket } from "@wireline/sdk";
import { useEffect } from "react";
import { describe, expect, expectTypeOf, it } from "vitest";
import { useEmitWithAck } from "../index.ts";
import { connectedSocket, deliverAck } from "./browser-helpers.ts";

interface ClientEvents {
  /** The global setup's server acknowledges with what it got. */
  echo: (text: string, ack: (reply: string) => void) => void;
  /** Nothing on the server handles it: no ack ever comes by itself. */
  unanswered: (text: string, ack: (reply: string) => void) => void;
}
type EchoSocket = Socket<Record<string, never>, ClientEvents>;

/** Emits from its mount effect: a child's effects run before its parent's. */
function JoinOnMount(props: { join: (room: string) => unknown }) {
  useEffect(() => {
    void props.join("room-1");
  }, [props.join]);
  return null;
}

/** Holds the hook and records each status it renders. */
function Room(props: { socket: EchoSocket; shown: string[] }) {
  const join = useEmitWithAck(props.socket, "echo", { timeout: 5000 });
  props.shown.push(join.status);
  return <JoinOnMount join={join.emit} />;
}

describe("useEmitWithAck", () => {
  it("goes pending, then success with the server's acknowledgement", async () => {
    const socket = await connectedSocket<Record<string, never>, ClientEvents>();
    const { result } = renderHook(() => useEmitWithAck(socket, "echo", { timeout: 5000 }));
    expect(result.current.status).toBe("idle");

    let outcome: Promise<unknown> | undefined;
    act(() => {
      outcome = result.current.emit("hello");
    });
    expect(result.current.status).toBe("pending");
    await expect.poll(() => result.current.status).toBe("success");

    expectTypeOf(result.current.data).toEqualTypeOf<string | undefined>();
    expect(result.current.data).toBe("hello");
    expect(result.current.error).toBeUndefined();
    await expect(outcome).resolves.toEqual({ status: "success", data: "hello", error: undefined });
  });

  it("fails with the ack timeout error when no acknowledgement comes in time", async () => {
    const socket = await connectedSocket<Record<string, never>, ClientEvents>();
    const { result } = renderHook(() => useEmitWithAck(socket, "unanswered", { timeout: 150 }));
    act(() => {
      void result.current.emit("anyone?");
    });
    await expect.poll(() => result.current.status).toBe("error");
    expect(result.current.error?.message).toMatch("operation has timed out");
    expect(result.current.data).toBeUndefined();
  });

  it("fails when the socket disconnects before the acknowledgement", async () => {
    const socket = await connectedSocket<Record<string, never>, ClientEvents>();
    const { result } = renderHook(() => useEmitWithAck(socket, "unanswered", { timeout: 5000 }));
    act(() => {
      void result.current.emit("anyone?");
    });
    act(() => {
      socket.disconnect();
    });
    await expect.poll(() => result.current.status).toBe("error");
    expect(result.current.error?.message).toMatch(/socket has been disconnected/);
  });

  it("keeps the latest call's reply when an older one answers last", async () => {
    const socket: EchoSocket = await connectedSocket<Record<string, never>, ClientEvents>();
    const { result } = renderHook(() => useEmitWithAck(socket, "unanswered", { timeout: 5000 }));
    let first: Promise<unknown> | undefined;
    act(() => {
      first = result.current.emit("first");
    });
    act(() => {
      void result.current.emit("second");
    });
    // Ack ids count from 0 on a fresh socket: answer the second call, then the first.
    await act(async () => deliverAck(socket as never, 1, "reply to second"));
    await act(async () => deliverAck(socket as never, 0, "reply to first"));

    // Must: the state shows the latest call; the older call still resolves its own promise.
    expect(result.current.status).toBe("success");
    expect(result.current.data).toBe("reply to second");
    await expect(first).resolves.toMatchObject({ data: "reply to first" });
  });

  it("ignores a reply after reset() and after unmount", async () => {
    const socket = await connectedSocket<Record<string, never>, ClientEvents>();
    const { result, unmount } = renderHook(() =>
      useEmitWithAck(socket, "unanswered", { timeout: 5000 }),
    );
    act(() => {
      void result.current.emit("reset me");
    });
    act(() => result.current.reset());
    await act(async () => deliverAck(socket as never, 0, "too late"));
    expect(result.current.status).toBe("idle");
    expect(result.current.data).toBeUndefined();

    let pending: Promise<unknown> | undefined;
    act(() => {
      pending = result.current.emit("unmount me");
    });
    unmount();
    deliverAck(socket as never, 1, "after unmount");
    // Must: the caller still gets its outcome; the unmounted hook's state is left alone.
    await expect(pending).resolves.toMatchObject({ status: "success", data: "after unmount" });
    expect(result.current.status).toBe("pending");
  });

  it("goes pending for an emit from a child's mount effect, before the hook's own effect ran", async () => {
    const socket = await connectedSocket<Record<string, never>, ClientEvents>();
    const shown: string[] = [];
    render(<Room socket={socket} shown={shown} />);
    await expect.poll(() => shown.at(-1)).toBe("success");

    // Must: the status went through "pending", as for an emit made later.
    expect(shown).toContain("pending");
  });
});
