/**
 * A FIFO of items with their sizes, counting the bytes it holds. The head moves instead of
 * shifting the array (Array#shift is O(n) per call on a queue of thousands), and the array is
 * let go whenever the queue empties, so an idle subscriber holds no buffer.
 */
export class ItemQueue<T> {
  private items: (T | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private total = 0;

  /** Bytes of the queued items, as their sizes were given. */
  get bytes(): number {
    return this.total;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T, size: number): void {
    this.items.push(item);
    this.sizes.push(size);
    this.total += size;
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.total -= this.sizes[this.head]!;
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) this.clear();
    else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.sizes = [];
    this.head = 0;
    this.total = 0;
  }
}
