import { positiveInteger } from './errors.js';

/**
 * A fixed-capacity ring: pushing beyond capacity overwrites the oldest item. Iterates oldest to newest.
 * Memory is allocated once, at construction.
 *
 * @example
 * ```ts
 * const last = new CircularBuffer<number>(3);
 * for (const n of [1, 2, 3, 4]) last.push(n);
 * [...last]; // [2, 3, 4]
 * ```
 */
export class CircularBuffer<T> implements Iterable<T> {
  /** How many items the buffer holds at most. */
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  /** Index of the oldest item. */
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = positiveInteger('CircularBuffer capacity', capacity);
    this.#items = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** How many items the buffer holds now. */
  get size(): number {
    return this.#size;
  }

  /** True when the next push overwrites the oldest item. */
  get isFull(): boolean {
    return this.#size === this.capacity;
  }

  /** Appends `item`; returns the item it overwrote when the buffer was full. */
  push(item: T): T | undefined {
    if (this.#size < this.capacity) {
      this.#items[(this.#head + this.#size) % this.capacity] = item;
      this.#size++;
      return undefined;
    }
    const overwritten = this.#items[this.#head];
    this.#items[this.#head] = item;
    this.#head = (this.#head + 1) % this.capacity;
    return overwritten;
  }

  /** The item at `index` counted from the oldest (0) or, when negative, from the newest (-1). */
  at(index: number): T | undefined {
    const i = index < 0 ? this.#size + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.#size) return undefined;
    return this.#items[(this.#head + i) % this.capacity];
  }

  /** The oldest item. */
  get oldest(): T | undefined {
    return this.at(0);
  }

  /** The newest item. */
  get newest(): T | undefined {
    return this.at(-1);
  }

  /** Removes every item (and drops the references to them). */
  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }

  /** The items, oldest first. */
  toArray(): T[] {
    return [...this];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.#size; i++) yield this.#items[(this.#head + i) % this.capacity] as T;
  }
}
