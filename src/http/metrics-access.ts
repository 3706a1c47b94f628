import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read /metrics: a request bearing one of `tokens` (the metrics token, the admin
 * token); unset ones are skipped. Compared in constant time, on digests so lengths leak nothing.
 */
export function createMetricsReaderCheck(
  tokens: readonly (string | undefined)[],
): (authorization: string | null) => boolean {
  const accepted = tokens.filter((t): t is string => t !== undefined).map(digest);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return false;
    const presented = digest(match[1]!);
    let ok = false;
    for (const token of accepted) ok = timingSafeEqual(presented, token) || ok;
    return ok;
  };
}
