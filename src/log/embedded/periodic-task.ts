import type { EmbeddedLogLogger } from './options.js';

/**
 * Runs `task` every `intervalMs`, never two at once (a slow disk must not pile up runs), without
 * keeping the process alive. `stop()` resolves once a run in flight has finished.
 */
export function startPeriodicTask(
  name: string,
  intervalMs: number,
  task: () => Promise<void>,
  logger: EmbeddedLogLogger,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .catch((error: unknown) => logger.warn({ err: error }, `embedded log: ${name} failed`))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
