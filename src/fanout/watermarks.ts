import type { PartitionOffsets } from '../log/event-log.js';

/**
 * Low and high watermarks per stream, shared by concurrent callers and reused for a moment:
 * a thousand resumes arriving together cost the log one look-up, not a thousand in a row.
 * A failed look-up is not kept.
 */
export class Watermarks {
  private readonly known = new Map<string, { at: number; offsets: Promise<PartitionOffsets[]> }>();

  constructor(
    private readonly lookUp: (stream: string) => Promise<PartitionOffsets[]>,
    private readonly maxAgeMs: number,
  ) {}

  get(stream: string): Promise<PartitionOffsets[]> {
    const now = Date.now();
    const known = this.known.get(stream);
    if (known && now - known.at < this.maxAgeMs) return known.offsets;
    const offsets = this.lookUp(stream);
    const entry = { at: now, offsets };
    this.known.set(stream, entry);
    offsets.catch(() => {
      if (this.known.get(stream) === entry) this.known.delete(stream);
    });
    // Forgotten once stale, so streams nobody asks about again take no memory.
    setTimeout(() => {
      if (this.known.get(stream) === entry) this.known.delete(stream);
    }, this.maxAgeMs).unref();
    return offsets;
  }
}
