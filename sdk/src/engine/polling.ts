import { requestHeaders, storeCookies } from "#node-transport";
import { decodeEnginePayload, type EnginePacket, encodeEnginePacket } from "../protocol/index.ts";
import { utf8Length } from "../protocol/utf8-length.ts";
import { unref } from "../unref.ts";
import type {
  Transport,
  TransportEvents,
  TransportFactory,
  TransportOptions,
} from "./transport.ts";

/** The record separator between packets of one polling body. */
const SEPARATOR_LENGTH = 1;
/** The close packet. */
const CLOSE: EnginePacket = { type: "close" };
/** The close packet, encoded (nothing else encodes to it: a message starts with "4"). */
const ENCODED_CLOSE = "1";
/**
 * How long, after a close, what was written may take to go out before every request is
 * aborted: a POST that never answers (a dead path) would otherwise hold it and the long GET
 * open until TCP gives up.
 */
const CLOSE_WRITE_DEADLINE_MS = 10_000;
/**
 * How long a handshake closed with `endSession` is waited for: not longer, as a server that
 * does not answer would hold one of the page's few HTTP connections to it meanwhile.
 */
const HANDSHAKE_WAIT_MS = 3000;

/** A request the server answered with an error status; `status` and `responseText` as an XHR's. */
function httpError(method: string, status: number, responseText: string): Error {
  return Object.assign(
    new Error(
      `Wireline: polling ${method} answered HTTP ${status} (${responseText.slice(0, 100)})`,
    ),
    { status, responseText },
  );
}

class PollingTransport implements Transport {
  readonly name = "polling";
  readonly #options: TransportOptions;
  readonly #events: TransportEvents;
  readonly #aborter = new AbortController();
  readonly #queue: EnginePacket[] = [];
  #sid: string | undefined;
  #maxPayload = Infinity;
  #polling = false;
  #writing = false;
  #closed = false;
  #closeDeadline: ReturnType<typeof setTimeout> | undefined;
  #onPaused: (() => void) | undefined;

  constructor(options: TransportOptions, events: TransportEvents) {
    this.#options = options;
    this.#events = events;
    this.#sid = options.query.sid;
    this.#poll();
  }

  get writable(): boolean {
    return !this.#writing;
  }

  send(packets: EnginePacket[]): void {
    if (this.#closed) return;
    this.#queue.push(...packets);
    this.#write();
  }

  pause(onPaused: () => void): void {
    this.#onPaused = onPaused;
    this.#checkPaused();
  }

  resume(): void {
    this.#onPaused = undefined;
    // A GET still in flight polls again when it ends; else the loop starts again here.
    if (!this.#polling) this.#poll();
    this.#write();
  }

  /**
   * Stops polling. What was written before (the close packet among it) still goes out, in
   * order, behind a POST in flight: an app's last emits and its disconnect reach the server,
   * unless that takes longer than {@link CLOSE_WRITE_DEADLINE_MS}.
   */
  close(endSession = false): void {
    if (this.#closed) return;
    this.#closed = true;
    const handshaking = !this.#sid;
    // Before the handshake came there is nowhere to write; or, to end the session it opens,
    // the close packet waits for it.
    if (handshaking) {
      this.#queue.length = 0;
      if (endSession) this.#queue.push(CLOSE);
    }
    this.#abortOnceWritten();
    if (!this.#aborter.signal.aborted) {
      this.#closeDeadline = setTimeout(
        () => this.#abort(),
        handshaking ? HANDSHAKE_WAIT_MS : CLOSE_WRITE_DEADLINE_MS,
      );
      unref(this.#closeDeadline);
    }
  }

  /**
   * Closed: the long GET is aborted once nothing is left to write, since a server ends the
   * session as soon as it sees the GET go, and would miss a POST still to come.
   */
  #abortOnceWritten(): void {
    if (!this.#writing && this.#queue.length === 0) this.#abort();
  }

  /** Aborts every request still out. */
  #abort(): void {
    clearTimeout(this.#closeDeadline);
    this.#aborter.abort();
  }

  #url(): string {
    const target = new URL(this.#options.url);
    for (const [key, value] of Object.entries(this.#options.query)) {
      target.searchParams.set(key, value);
    }
    if (this.#sid) target.searchParams.set("sid", this.#sid);
    if (this.#options.timestampRequests !== false) {
      target.searchParams.set(
        this.#options.timestampParam ?? "t",
        Date.now().toString(36) + Math.random().toString(36).slice(2, 6),
      );
    }
    return target.toString();
  }

  /**
   * One HTTP request over `fetch`, or `XMLHttpRequest` where there is no `fetch` (looked up now).
   * `url` and `headers` come from the caller, so what throws making them throws there, not in a
   * rejection. `body`: the POST's; undefined for a GET.
   */
  async #request(
    url: string,
    headers: Record<string, string>,
    method: "GET" | "POST",
    body?: string,
  ): Promise<string> {
    const options = this.#options;
    if (body !== undefined) headers["content-type"] = "text/plain;charset=UTF-8";
    const withCredentials = options.withCredentials === true;
    const signal = this.#aborter.signal;
    const fetchImpl = (globalThis as { fetch?: typeof fetch }).fetch;
    if (fetchImpl) {
      const init: RequestInit = {
        method,
        headers,
        credentials: withCredentials ? "include" : "same-origin",
        cache: "no-store",
        signal,
        // Absent for a GET: an undefined member is no body, to fetch as to XHR's send().
        body,
      };
      const response = await fetchImpl(url, init);
      storeCookies(options, response);
      const text = await response.text();
      if (!response.ok) throw httpError(method, response.status, text);
      return text;
    }
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      xhr.withCredentials = withCredentials;
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.onload = () =>
        xhr.status >= 200 && xhr.status < 300
          ? resolve(xhr.responseText)
          : reject(httpError(method, xhr.status, xhr.responseText));
      // An aborted request fails as fetch's does, so its caller does not wait forever.
      xhr.onerror = xhr.onabort = () => reject(new Error(`Wireline: polling ${method} failed`));
      // One signal serves every request of a transport: each takes its listener off when done.
      const abort = () => xhr.abort();
      signal.addEventListener("abort", abort);
      xhr.onloadend = () => signal.removeEventListener("abort", abort);
      xhr.send(body ?? null);
    });
  }

  #poll(): void {
    if (this.#closed || this.#onPaused) return;
    this.#polling = true;
    this.#request(this.#url(), requestHeaders(this.#options), "GET")
      .then((body) => {
        this.#polling = false;
        if (this.#closed) return this.#endAbandonedSession(body);
        for (const packet of decodeEnginePayload(body, this.#events.binaryType())) {
          if (packet.type === "open") this.#readHandshake(packet.data);
          this.#events.onPacket(packet);
          if (this.#closed) return;
        }
        // The first answer must open a session: polling again would open another each time.
        if (!this.#sid) throw new Error("Wireline: polling got no handshake");
        if (this.#onPaused) this.#checkPaused();
        else this.#poll();
      })
      .catch((error: unknown) => this.#fail(error));
  }

  /** The answer to a GET made before the close: a session it opened is told to end at once. */
  #endAbandonedSession(body: string): void {
    // Opened before the close: what was written goes out, then the requests end.
    if (this.#sid) return;
    for (const packet of decodeEnginePayload(body, "arraybuffer")) {
      if (packet.type === "open") this.#readHandshake(packet.data);
    }
    if (this.#sid) this.#write();
    else this.#abort();
  }

  #readHandshake(data: unknown): void {
    try {
      const handshake = JSON.parse(String(data)) as { sid?: unknown; maxPayload?: unknown };
      if (typeof handshake.sid === "string") this.#sid = handshake.sid;
      if (typeof handshake.maxPayload === "number" && handshake.maxPayload > 0) {
        this.#maxPayload = handshake.maxPayload;
      }
    } catch {
      // The Engine reports a malformed handshake; nothing to learn here.
    }
  }

  #write(): void {
    if (this.#writing || this.#queue.length === 0 || !this.#sid) return;
    this.#writing = true;
    const packets = this.#queue.splice(0);
    const encoded: string[] = [];
    let remaining = packets.length;
    // Blobs encode asynchronously in browsers: wait for every packet, keeping their order.
    packets.forEach((packet, index) => {
      encodeEnginePacket(
        packet,
        false,
        (data) => {
          encoded[index] = data as string;
          if (--remaining === 0) this.#post(packets, encoded);
        },
        // A Blob that could not be read: the writing could not go on without it.
        (error) => this.#fail(error),
      );
    });
  }

  /** Sends as many packets as fit in the server's `maxPayload`; the rest wait for the next POST. */
  #post(packets: EnginePacket[], encoded: string[]): void {
    let count = 0;
    let size = 0;
    for (const part of encoded) {
      const next = size + utf8Length(part) + (count > 0 ? SEPARATOR_LENGTH : 0);
      // The close packet goes alone, once the rest arrived: a server (socket.io's) handles the
      // packets before it on a later tick, and the close would overtake a DISCONNECT.
      if (count > 0 && (next > this.#maxPayload || part === ENCODED_CLOSE)) break;
      size = next;
      count++;
    }
    this.#queue.unshift(...packets.slice(count));
    const payload = encoded.slice(0, count).join("\x1e");
    this.#request(this.#url(), requestHeaders(this.#options), "POST", payload)
      .then(() => {
        this.#writing = false;
        if (this.#queue.length > 0) this.#write();
        else if (this.#closed) this.#abortOnceWritten();
        else {
          this.#events.onDrain?.();
          this.#checkPaused();
        }
      })
      // As for a GET: an error in handling the answer fails the transport, never unhandled.
      .catch((error: unknown) => this.#fail(error));
  }

  #checkPaused(): void {
    const onPaused = this.#onPaused;
    if (!onPaused || this.#polling || this.#writing || this.#queue.length > 0) return;
    this.#onPaused = undefined;
    onPaused();
  }

  #fail(error: unknown): void {
    // A failed request ends the writing and the long GET too, after a close as well.
    this.#queue.length = 0;
    this.#abort();
    if (this.#closed) return;
    this.#closed = true;
    this.#events.onClose("transport error", error);
  }
}

/**
 * The HTTP long-polling transport, over `fetch` (or `XMLHttpRequest` where `fetch` is absent).
 * Pass it in `transports` with {@link websocket} to start on polling and upgrade:
 * `io(url, { transports: [polling, websocket] })`.
 */
export const polling: TransportFactory = {
  name: "polling",
  open: (options, events) => new PollingTransport(options, events),
};
