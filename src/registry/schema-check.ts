/**
 * Whether a registration's JSON Schema compiles, checked on a worker thread: compiling a
 * platform-sized schema with Ajv takes 10–20 ms of CPU (more on a busy machine), too long to
 * hold the event loop for on every registration. The compiled validator is a function and
 * cannot cross threads, so the worker only answers valid or why not; publishing compiles its
 * own validator on first use (validators.ts).
 *
 * One worker per process, started by startSchemaChecks or the first check and kept (unref'd:
 * it never holds the process open). When it cannot start or stops, the check compiles on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { assertSchemaCompiles, type JsonSchema } from './schema-validator.js';

interface Pending {
  readonly schema: JsonSchema;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

let worker: Worker | undefined;
let workerFailed = false;
let nextId = 0;
const pending = new Map<number, Pending>();

/** Resolves when `schema` compiles; rejects with the Error compileDataValidator would throw. */
export function checkSchemaCompiles(schema: JsonSchema): Promise<void> {
  const running = workerFailed ? undefined : (worker ?? startWorker());
  if (!running) return checkHere(schema);
  return new Promise<void>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { schema, resolve, reject });
    // Only a running check keeps the process alive, as the synchronous check would.
    if (pending.size === 1) running.ref();
    running.postMessage({ id, schema });
  });
}

/** Starts the worker now, so that the first registration does not wait for it to load. */
export function startSchemaChecks(): void {
  if (!worker && !workerFailed) startWorker();
}

async function checkHere(schema: JsonSchema): Promise<void> {
  assertSchemaCompiles(schema);
}

function startWorker(): Worker | undefined {
  // Run from source (tsx, vitest), the worker is TypeScript too and needs tsx to load.
  const fromSource = import.meta.url.endsWith('.ts');
  try {
    const started = new Worker(
      new URL(`./schema-check-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url),
      fromSource ? { execArgv: ['--import', 'tsx'] } : {},
    );
    started.unref();
    started.on('message', ({ id, error }: { id: number; error?: string }) => {
      const check = pending.get(id);
      pending.delete(id);
      if (pending.size === 0) started.unref();
      if (!check) return;
      if (error === undefined) check.resolve();
      else check.reject(new Error(error));
    });
    // A worker that fails is not restarted: every check from then on runs here.
    started.on('error', () => stopWorker(started));
    started.on('exit', () => stopWorker(started));
    worker = started;
    return started;
  } catch {
    workerFailed = true;
    return undefined;
  }
}

function stopWorker(stopped: Worker): void {
  if (worker !== stopped) return;
  worker = undefined;
  workerFailed = true;
  const waiting = [...pending.values()];
  pending.clear();
  for (const check of waiting) checkHere(check.schema).then(check.resolve, check.reject);
}
