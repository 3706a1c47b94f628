/**
 * Whether `value`, written as JSON, would take more than `maxBytes` bytes. Iterative, and it
 * stops as soon as the answer is known, so measuring a huge value costs no more than the limit.
 * Strings count their UTF-8 length without escapes: close enough for a limit.
 */
export function exceedsJsonBytes(value: unknown, maxBytes: number): boolean {
  let remaining = maxBytes;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      // UTF-8 takes at least one byte per UTF-16 code unit: a long string is over without a scan.
      if (item.length + 2 > remaining) return true;
      remaining -= Buffer.byteLength(item, 'utf8') + 2;
    } else if (item === null || typeof item !== 'object') {
      remaining -= item === undefined ? 0 : String(item).length;
    } else if (Array.isArray(item)) {
      remaining -= 1 + item.length;
      for (const element of item) pending.push(element);
    } else {
      const entries = Object.entries(item);
      remaining -= 1 + entries.length;
      for (const [key, child] of entries) pending.push(key, child);
    }
    if (remaining < 0) return true;
  }
  return false;
}
