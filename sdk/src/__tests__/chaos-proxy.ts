// A TCP proxy that breaks the network between a client and any server, so a server whose own
// faults cannot be set (the official socket.io) can be put through the same storms as the mock
// server. It works below HTTP and WebSocket, as a real network fails.
import { createServer, type Socket as TcpSocket, connect as tcpConnect } from "node:net";

/** A running proxy in front of a server. */
export interface ChaosProxy {
  /** `http://127.0.0.1:<port>`: connect clients here instead of to the server. */
  readonly url: string;
  /** Resets every open connection at once (clients see the transport close). */
  dropAll(): void;
  /**
   * The open connections go silent both ways from now on, as when a NAT or proxy forgot them;
   * their bytes are swallowed and they are reset a while later. New connections work.
   */
  blackHoleCurrent(): void;
  /** New connections are reset as they arrive, for `ms`; open ones carry on. */
  refuseFor(ms: number): void;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

interface Pair {
  client: TcpSocket;
  upstream: TcpSocket;
  silent: boolean;
}

/** How long a black-holed connection lingers before it is reset (a client notices long before). */
const SILENT_LIFETIME_MS = 5_000;

/** Starts a proxy on a random loopback port in front of `target` (`http://host:port`). */
export async function startChaosProxy(target: string): Promise<ChaosProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<Pair>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let refusingUntil = 0;

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((client) => {
    if (Date.now() < refusingUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = tcpConnect(Number(port), hostname);
    const pair: Pair = { client, upstream, silent: false };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Bytes of a silent pair are swallowed, never delivered late: a stream that lost bytes
    // cannot carry on.
    client.on("data", (chunk) => {
      if (!pair.silent) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!pair.silent) client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };

  const reset = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream.resetAndDestroy();
  };

  return {
    url: `http://127.0.0.1:${address.port}`,
    dropAll() {
      for (const pair of [...pairs]) reset(pair);
    },
    blackHoleCurrent() {
      for (const pair of pairs) {
        if (pair.silent) continue;
        pair.silent = true;
        later(SILENT_LIFETIME_MS, () => reset(pair));
      }
    },
    refuseFor(ms) {
      refusingUntil = Math.max(refusingUntil, Date.now() + ms);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const pair of [...pairs]) reset(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
