/**
 * A FIFO of items with their sizes, counting the bytes it holds. The head moves instead of
 * shifting the array (Array#shift is O(n) per call on a queue of thousands), and the arrays are
 * let go whenever the queue empties and made again only for the next item, so an idle
 * subscriber holds no buffer.
 */
export class ItemQueue<T> {
  private items: (T | undefined)[] | undefined;
  private sizes: number[] | undefined;
  private head = 0;
  private total = 0;

  /** Bytes of the queued items, as their sizes were given. */
  get bytes(): number {
    return this.total;
  }

  get length(): number {
    return (this.items?.length ?? 0) - this.head;
  }

  push(item: T, size: number): void {
    (this.items ??= []).push(item);
    (this.sizes ??= []).push(size);
    this.total += size;
  }

  shift(): T | undefined {
    const items = this.items;
    const sizes = this.sizes;
    if (items === undefined || sizes === undefined) return undefined;
    const item = items[this.head];
    this.total -= sizes[this.head]!;
    items[this.head] = undefined;
    this.head++;
    if (this.head === items.length) this.clear();
    else if (this.head >= 1024 && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.sizes = sizes.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = undefined;
    this.sizes = undefined;
    this.head = 0;
    this.total = 0;
  }
}
