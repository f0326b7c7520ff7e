import { Manager, noopLifecycle, type Socket } from "@wireline/sdk";

function namespaceOf(url: string | undefined): string {
  try {
    return url === undefined ? "/" : new URL(url).pathname || "/";
  } catch {
    // A relative URL ("/chat"): its path is the namespace.
    return url?.startsWith("/") ? url.split("?")[0]! : "/";
  }
}

/**
 * A socket that never connects, for server-side rendering: its state stays `idle`, it opens
 * nothing, listens to no page signal and starts no timer. Listeners may still be added.
 */
export function inertSocket(url: string | undefined, namespace: string | undefined): Socket {
  const manager = new Manager("http://localhost", {
    autoConnect: false,
    reconnection: false,
    lifecycle: noopLifecycle(),
  });
  return manager.socket(namespace ?? namespaceOf(url));
}
