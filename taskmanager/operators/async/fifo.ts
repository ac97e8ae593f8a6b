/** A first-in first-out queue with O(1) removal at the head (arrays shift in O(n)). */

/** FIFO of values; iterates from head to tail. */
export class Fifo<T> implements Iterable<T> {
  private items: T[] = [];
  private head = 0;

  /** How many values are queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends at the tail. */
  push(value: T): void {
    this.items.push(value);
  }

  /** The value at the head, without removing it. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The value at the tail. */
  last(): T | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }

  /** Removes and returns the value at the head. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
