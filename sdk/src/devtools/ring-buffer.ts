/**
 * A fixed-capacity FIFO: pushing past capacity overwrites the oldest item. Pushing is O(1)
 * and allocates nothing once full, so a busy connection's log costs no garbage per event;
 * until then it grows with what it holds (a large capacity reserves no memory up front).
 */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #items: Array<T | undefined>;
  /** Index of the oldest item. */
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Wireline: a ring buffer needs a capacity that is a positive integer, got ${capacity}.`,
      );
    }
    this.capacity = capacity;
    this.#items = [];
  }

  /** Items held. */
  get length(): number {
    return this.#length;
  }

  /** Appends `item`; returns the item it evicted, if the buffer was full. */
  push(item: T): T | undefined {
    if (this.#length < this.capacity) {
      this.#items[(this.#start + this.#length) % this.capacity] = item;
      this.#length++;
      return undefined;
    }
    const evicted = this.#items[this.#start];
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % this.capacity;
    return evicted;
  }

  /** The items, oldest first (a copy). */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#length; i++) {
      out.push(this.#items[(this.#start + i) % this.capacity] as T);
    }
    return out;
  }

  /** Removes every item. */
  clear(): void {
    this.#items.length = 0;
    this.#start = 0;
    this.#length = 0;
  }
}
