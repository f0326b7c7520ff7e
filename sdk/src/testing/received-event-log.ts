import {
  describeEvents,
  describePayload,
  payloadEquals,
  type ReceivedEvent,
} from "./received-events.ts";

/** Every event clients emitted, in arrival order, and the `expectEmitted` calls waiting for one. */
export class ReceivedEventLog {
  readonly entries: ReceivedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  /** Records an event a client emitted, and wakes the calls waiting for it. */
  record(entry: ReceivedEvent): void {
    this.entries.push(entry);
    for (const check of [...this.waiters]) check();
  }

  /**
   * The first entry of `event` with exactly `args` (by value, binary by bytes), recorded before
   * or after this call; rejects after `timeout` ms with a message listing what arrived.
   */
  expect(event: string, args: unknown[], timeout: number): Promise<ReceivedEvent> {
    const find = () =>
      this.entries.find(
        (entry) =>
          entry.event === event &&
          entry.args.length === args.length &&
          payloadEquals(entry.args, args),
      );
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = find();
        if (!match) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(match);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `Wireline mockSocketServer: no client emitted "${event}" with ${describePayload(args)} within ${timeout} ms. Received:\n${describeEvents(this.entries)}`,
          ),
        );
      }, timeout);
      this.waiters.add(check);
    });
  }

  /** Forgets the entries (calls still waiting keep waiting). */
  clear(): void {
    this.entries.length = 0;
  }
}
