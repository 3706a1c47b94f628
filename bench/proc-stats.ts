import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux everywhere). */
const TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /** User plus system CPU seconds the process (all its threads) used so far. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** When sampled (wallMs). */
  readonly at: number;
}

/** CPU time and resident memory of a process, from /proc (Linux). */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return {
    cpuSeconds: (utime + stime) / TICKS_PER_SECOND,
    rssBytes: rssKb * 1024,
    at: performance.timeOrigin + performance.now(),
  };
}

/** Share of one core the process used between two samples, in percent. */
export function cpuPercent(from: ProcessSample, to: ProcessSample): number {
  const wallSeconds = (to.at - from.at) / 1000;
  return wallSeconds > 0 ? Math.round(((to.cpuSeconds - from.cpuSeconds) / wallSeconds) * 100) : 0;
}

/** Samples a process every `intervalMs` until stopped; keeps the highest RSS seen. */
export function watchPeakRss(pid: number, intervalMs = 100): { stop(): number } {
  let peak = sampleProcess(pid).rssBytes;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, sampleProcess(pid).rssBytes);
    } catch {
      // The process is gone; keep what was seen.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
