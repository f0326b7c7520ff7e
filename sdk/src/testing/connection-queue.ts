import type { MockServerSocket } from "./server-socket.ts";

/**
 * The sockets `waitForConnection` hands out: each new socket goes to the earliest call waiting
 * on its namespace, or waits in line for the next call.
 */
export class ConnectionQueue {
  /** Sockets no call took yet, per namespace, in connection order. */
  private readonly unclaimed = new Map<string, MockServerSocket[]>();
  private readonly waiters = new Set<{
    nsp: string;
    resolve: (socket: MockServerSocket) => void;
    reject: (error: Error) => void;
  }>();

  /** Hands a new socket to the earliest call waiting on its namespace, or queues it. */
  announce(socket: MockServerSocket): void {
    for (const waiter of this.waiters) {
      if (waiter.nsp === socket.nsp.name) {
        waiter.resolve(socket);
        return;
      }
    }
    const queue = this.unclaimed.get(socket.nsp.name) ?? [];
    queue.push(socket);
    this.unclaimed.set(socket.nsp.name, queue);
  }

  /**
   * The earliest socket of `nsp` not handed out yet, at once or when it connects; rejects with
   * `timeoutError()` after `timeout` ms.
   */
  next(nsp: string, timeout: number, timeoutError: () => Error): Promise<MockServerSocket> {
    const ready = this.unclaimed.get(nsp)?.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter = {
        nsp,
        resolve: (socket: MockServerSocket) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(socket);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(timeoutError());
      }, timeout);
      this.waiters.add(waiter);
    });
  }

  /**
   * Forgets the queued sockets and rejects the calls still waiting with `error()`: one left by a
   * test that ended would otherwise take the next test's first socket.
   */
  clear(error: () => Error): void {
    this.unclaimed.clear();
    for (const waiter of [...this.waiters]) waiter.reject(error());
  }
}
