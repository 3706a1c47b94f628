import { LogError, LogErrorCode } from './event-log.js';

/** The `ready` and `done` promises of a reader (LogReader, GroupReader), settled from within. */
export interface ReaderLifecycle {
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  markReady(): void;
  /**
   * The reader stopped. Without `error`, `done` resolves and a `ready` still pending rejects
   * with LOG_CLOSED saying `closedBeforeReady`; with one, both reject with it.
   */
  end(closedBeforeReady: string, error?: unknown): void;
}

export function readerLifecycle(): ReaderLifecycle {
  let markReady!: () => void;
  let failReady!: (error: unknown) => void;
  const ready = new Promise<void>(
    (resolve, reject) => ((markReady = resolve), (failReady = reject)),
  );
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  // Callers may await only one of the two; neither may become an unhandled rejection.
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return {
    ready,
    done,
    markReady: () => markReady(),
    end(closedBeforeReady, error) {
      if (error === undefined) {
        failReady(new LogError(LogErrorCode.Closed, closedBeforeReady));
        finish();
      } else {
        failReady(error);
        fail(error);
      }
    },
  };
}
