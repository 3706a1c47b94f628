/**
 * Runs tasks one at a time in arrival order: a partition's writes, fsyncs, retention and close
 * never overlap, without a lock that could be forgotten.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one whether it succeeded or not.
    this.tail = result.catch(() => {});
    return result;
  }
}
