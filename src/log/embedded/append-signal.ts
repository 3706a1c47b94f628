/**
 * Tells waiting readers that records were appended. All readers of a topic share one promise, so
 * a thousand idle readers cost a thousand reactions on one promise, and no polling timer.
 */
export class AppendSignal {
  private pending: { promise: Promise<void>; resolve: () => void } | undefined;

  /** Settles at the next notify(). Take it before checking for new records, so none is missed. */
  next(): Promise<void> {
    if (!this.pending) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  notify(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve();
  }
}
