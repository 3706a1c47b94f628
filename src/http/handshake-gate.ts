import type { Duplex } from 'node:stream';

/**
 * WebSocket handshakes taken on at once. In a reconnect storm thousands of clients upgrade in
 * the same second; served all together, every one of them advances a little per turn of the
 * event loop and each waits for the whole storm before its first event. Taken a bounded number
 * at a time, in the order they came, each handshake runs to its first subscription quickly and
 * the rest wait their turn on their open TCP connection, holding nothing but the socket.
 *
 * A handshake holds its turn from the upgrade until its first operation was taken on, its socket
 * closed, or `holdMs` passed (a client that connects and waits): a client that sends nothing
 * cannot keep others waiting for longer than that.
 */
export class HandshakeGate {
  private running = 0;
  private readonly waiting: { socket: Duplex; start: (done: () => void) => void }[] = [];
  private head = 0;

  constructor(
    /** Handshakes under way at once; 0 takes every one at once. */
    private readonly maxRunning: number,
    private readonly holdMs: number,
  ) {}

  /** Handshakes waiting for their turn now. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /**
   * Runs `start` for the upgrade on `socket` now or once a turn is free; `start` gets the
   * `done` to call when the handshake no longer needs its turn (calls after the first pass).
   * A socket that closes while it waits is dropped from the line.
   */
  admit(socket: Duplex, start: (done: () => void) => void): void {
    if (this.maxRunning === 0 || (this.running < this.maxRunning && this.queued === 0)) {
      this.run(start);
      return;
    }
    this.waiting.push({ socket, start });
  }

  private run(start: (done: () => void) => void): void {
    this.running++;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.running--;
      this.next();
    };
    const timer = setTimeout(done, this.holdMs);
    timer.unref();
    start(done);
  }

  private next(): void {
    while (this.running < this.maxRunning && this.head < this.waiting.length) {
      const { socket, start } = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as never; // let it be collected
      if (this.head === this.waiting.length) {
        this.waiting.length = 0;
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      if (socket.destroyed) continue;
      this.run(start);
    }
  }
}
