import type { Engine } from "../engine/engine.ts";
import type { LifecycleDetail, LifecycleSignal } from "../lifecycle.ts";
import type { ConnectionSnapshot, ConnectionStatus, Manager } from "../manager.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { OutboxEntry } from "../outbox/outbox-entry.ts";
import type { OutboxError } from "../outbox/outbox-error.ts";
import type { EnginePacket } from "../protocol/index.ts";
import type { ConnectError, DisconnectReason, Socket } from "../socket.ts";
import { AckTracker } from "./ack-tracker.ts";
import type { EventLogRecord, OutboxPacketSummary } from "./event-log-entry.ts";
import { loggableText } from "./loggable-value.ts";
import { type PacketFields, PacketReader, type Redact, redactedValue } from "./packet-reader.ts";

type Unsubscribe = () => void;

/** An emitter of the SDK (Manager, Engine, Socket), whatever its event map (names checked or not). */
interface Listenable {
  on(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

/** Adds `listener` and returns the function that removes exactly it. */
function listen<A extends unknown[]>(
  target: Listenable,
  event: string,
  listener: (...args: A) => void,
): Unsubscribe {
  const stored = listener as never;
  target.on(event as never, stored);
  return () => target.off(event as never, stored);
}

/** The cause of a status change no event explained. */
function unexplainedCause(to: ConnectionStatus): string {
  switch (to) {
    case "connected":
      return "handshake";
    case "offline":
      return "offline";
    case "disconnected":
      return "close";
    default:
      return "open";
  }
}

/**
 * A close description as text: an Error's message, or a transport's `{ description, context }`
 * with a WebSocket close's code and reason.
 */
function describe(details: unknown): string | undefined {
  if (details instanceof Error) return details.message;
  type Details = { description?: unknown; context?: { code?: unknown; reason?: unknown } };
  const { description, context } = (details ?? {}) as Details;
  if (description === undefined) return undefined;
  const reason = context?.reason ? `: ${String(context.reason)}` : "";
  return context?.code === undefined
    ? String(description)
    : `${String(description)} (code ${String(context.code)}${reason})`;
}

function summarize(entry: OutboxEntry): OutboxPacketSummary {
  const { id, nsp, bytes, ackId } = entry;
  const event = loggableText(entry.event);
  return ackId === undefined ? { id, nsp, event, bytes } : { id, nsp, event, bytes, ackId };
}

function sessionId(handshake: EnginePacket["data"]): string | undefined {
  if (typeof handshake !== "string") return undefined;
  try {
    const sid = (JSON.parse(handshake) as { sid?: unknown }).sid;
    return typeof sid === "string" ? sid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Feeds `record` with what `manager` does: status changes with their cause, every packet in
 * and out of each Engine.IO session (rebinding as the Manager replaces its engine), acks,
 * transport changes, reconnection with its backoff, page and network signals, namespace
 * sockets with their outboxes, and errors. Returns the function that
 * removes every listener it added.
 */
export function observeConnection(
  manager: Manager,
  record: (entry: EventLogRecord) => void,
  redact: Redact | undefined,
): Unsubscribe {
  const acks = new AckTracker();
  const recordedErrors = new WeakSet<Error>();
  const socketSubscriptions = new Map<Socket, Unsubscribe[]>();
  // Sockets may share one outbox: each is observed once.
  const outboxSubscriptions = new Map<Outbox, Unsubscribe[]>();
  let last: ConnectionSnapshot = manager.getSnapshot();
  let stopped = false;

  // A cause is what happened just before a status change, within the same task: the change it
  // explains follows synchronously, so a cause left over after a microtask explains nothing.
  let pendingCause: string | undefined;
  let causeToken = 0;
  const setCause = (cause: string) => {
    pendingCause = cause;
    const token = ++causeToken;
    queueMicrotask(() => {
      if (token === causeToken) pendingCause = undefined;
    });
  };

  const recordError = (error: Error) => {
    // The Manager re-emits its engine's errors, and a failed attempt's error a third time.
    if (recordedErrors.has(error)) return;
    recordedErrors.add(error);
    const message = loggableText(error.message);
    record({ kind: "error", during: last.status, name: error.name, message });
    setCause(`error: ${message}`);
  };

  const recordPacket = (fields: PacketFields | undefined) => {
    if (!fields) return;
    record(fields);
    const ack = acks.observe(fields, globalThis.performance.now());
    if (ack) record(ack);
  };

  const bindOutbox = (outbox: Outbox) => {
    if (outboxSubscriptions.has(outbox)) return;
    const recordOne =
      (action: "enqueue" | "drop" | "expire") => (entry: OutboxEntry, error?: OutboxError) =>
        record({
          kind: "outbox",
          action,
          packets: [summarize(entry)],
          ...(error !== undefined && { code: error.code }),
          size: outbox.size,
        });
    outboxSubscriptions.set(outbox, [
      listen(outbox, "enqueue", recordOne("enqueue")),
      listen(outbox, "drop", recordOne("drop")),
      listen(outbox, "expire", recordOne("expire")),
      listen(outbox, "flush", (entries: OutboxEntry[]) =>
        record({
          kind: "outbox",
          action: "flush",
          packets: entries.map(summarize),
          size: outbox.size,
        }),
      ),
    ]);
  };

  // --- namespace sockets, bound as they appear ---
  const bindSockets = () => {
    for (const socket of manager.nsps.values()) {
      bindOutbox(socket.outbox);
      if (socketSubscriptions.has(socket)) continue;
      const nsp = socket.nsp;
      socketSubscriptions.set(socket, [
        listen(socket, "connect", () =>
          record({
            kind: "socket",
            nsp,
            action: "connect",
            ...(socket.id !== undefined && { socketId: socket.id }),
            recovered: socket.recovered,
          }),
        ),
        listen(socket, "disconnect", (reason: DisconnectReason) => {
          acks.forgetIncoming(nsp);
          record({ kind: "socket", nsp, action: "disconnect", reason });
        }),
        listen(socket, "connect_error", (error: ConnectError) => {
          // A refusal's message may quote what a redact hides (a token): it goes through it,
          // as the CONNECT_ERROR packet's payload does.
          const message = redact
            ? redactedValue(redact, error.message, {
                direction: "in",
                engineType: "message",
                socketType: "CONNECT_ERROR",
                nsp,
              })
            : loggableText(error.message);
          record({
            kind: "socket",
            nsp,
            action: "connect_error",
            message: typeof message === "string" ? message : "[redacted]",
          });
        }),
      ]);
    }
  };

  // --- the current Engine.IO session, rebound when the Manager replaces it ---
  let engine: Engine | undefined;
  let engineSubscriptions: Unsubscribe[] = [];
  const bindEngine = () => {
    if (stopped || manager.engine === engine) return;
    for (const unsubscribe of engineSubscriptions) unsubscribe();
    engineSubscriptions = [];
    engine = manager.engine;
    const current = engine;
    if (!current) return;
    const incoming = new PacketReader("in", redact, manager.opts.parser);
    const outgoing = new PacketReader("out", redact, manager.opts.parser);
    const transportName = () => current.transport?.name;
    engineSubscriptions = [
      listen(current, "packet", (packet: EnginePacket) => {
        recordPacket(incoming.read(packet));
        // The handshake packet precedes the session's `open` event, which the Manager acts on
        // first: recording the open here keeps the log in the order things happened.
        if (packet.type === "open") {
          const sid = sessionId(packet.data);
          record({
            kind: "transport",
            action: "open",
            ...(transportName() !== undefined && { transport: transportName() }),
            ...(sid !== undefined && { sid }),
          });
          setCause("handshake");
        }
      }),
      listen(current, "packetCreate", (packet: EnginePacket) => {
        const fields = outgoing.read(packet);
        // A namespace socket created after attaching shows itself by its CONNECT packet.
        if (fields?.socketType === "CONNECT") bindSockets();
        recordPacket(fields);
      }),
      listen(current, "race", (transport: string, waiting: string) =>
        record({ kind: "transport", action: "race", transport, waiting }),
      ),
      listen(current, "upgrading", ({ name }: { name: string }) =>
        record({ kind: "transport", action: "upgrading", transport: name }),
      ),
      listen(current, "upgrade", ({ name }: { name: string }) =>
        record({ kind: "transport", action: "upgrade", transport: name }),
      ),
      listen(current, "upgradeError", (error: Error) =>
        record({ kind: "transport", action: "upgrade-error", message: error.message }),
      ),
      listen(current, "error", recordError),
      listen(current, "close", (reason: string, description?: unknown) => {
        const message = describe(description);
        record({
          kind: "transport",
          action: "close",
          reason,
          ...(transportName() !== undefined && { transport: transportName() }),
          ...(message !== undefined && { message }),
        });
        setCause(reason);
      }),
    ];
  };

  // `open()` announces "connecting", and an attempt announces itself, just before the engine
  // is created: bind it right after, before its transport can deliver anything (a task away).
  const bindEngineSoon = () => queueMicrotask(bindEngine);

  const onState = (snapshot: ConnectionSnapshot) => {
    bindSockets();
    bindEngine();
    bindEngineSoon();
    const previous = last;
    last = snapshot;
    if (snapshot.status === previous.status && snapshot.attempt === previous.attempt) return;
    const retryInMs =
      snapshot.nextRetryAt === undefined
        ? undefined
        : Math.max(0, snapshot.nextRetryAt - Date.now());
    record({
      kind: "status",
      from: previous.status,
      to: snapshot.status,
      cause: pendingCause ?? unexplainedCause(snapshot.status),
      attempt: snapshot.attempt,
      ...(snapshot.nextRetryAt !== undefined && { nextRetryAt: snapshot.nextRetryAt, retryInMs }),
      ...(snapshot.transport !== undefined && { transport: snapshot.transport }),
    });
  };

  const managerSubscriptions = [
    listen(manager, "state", onState),
    listen(manager, "error", recordError),
    listen(manager, "reconnect_attempt", (attempt: number) => {
      record({ kind: "reconnect", phase: "attempt", attempt });
      setCause(`reconnect attempt ${attempt}`);
      bindEngineSoon();
    }),
    listen(manager, "reconnect_error", recordError),
    listen(manager, "reconnect_failed", () => record({ kind: "reconnect", phase: "failed" })),
    listen(manager, "reconnect", (attempt: number) =>
      record({ kind: "reconnect", phase: "succeeded", attempt }),
    ),
    // Emitted before the Manager acts on the signal, so it explains what follows.
    listen(manager, "lifecycle", (signal: LifecycleSignal, detail: LifecycleDetail) => {
      record({
        kind: "lifecycle",
        signal,
        ...(detail.persisted !== undefined && { persisted: detail.persisted }),
      });
      setCause(signal);
      // `online` may replace a stalled attempt's engine without a status change.
      bindEngineSoon();
    }),
    listen(manager, "backoff", (attempt: number, delay: number) =>
      record({ kind: "backoff", attempt, delay }),
    ),
    listen(manager, "ackTimeout", (nsp: string, ackId: number, event: string) =>
      record(acks.timedOut(nsp, ackId, loggableText(event), globalThis.performance.now())),
    ),
  ];
  bindSockets();
  bindEngine();

  return () => {
    stopped = true;
    for (const unsubscribe of managerSubscriptions) unsubscribe();
    for (const unsubscribe of engineSubscriptions) unsubscribe();
    for (const subscriptions of [
      ...socketSubscriptions.values(),
      ...outboxSubscriptions.values(),
    ]) {
      for (const unsubscribe of subscriptions) unsubscribe();
    }
    engineSubscriptions = [];
    socketSubscriptions.clear();
    outboxSubscriptions.clear();
    engine = undefined;
  };
}
