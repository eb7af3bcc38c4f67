import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, Worker, workerData, type ResourceLimits } from 'node:worker_threads';

/**
 * Untrusted files (chronology workbooks and CSVs, uploaded documents) are
 * read in a worker thread with a heap of its own (docs/architecture.md,
 * "Uploads and their temporary files"): a file that gets past every bound
 * and still needs more memory ends the worker, never the API.
 */

/** The worker's heap: enough for the bounded readers (a batch of rows, the shared strings, a PDF's first page). */
export const UPLOAD_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };

/** Workers at once in this process; more uploads wait their turn, so that many bombs at once still use bounded memory. */
export const MAX_UPLOAD_WORKERS = 2;

/**
 * How long a worker may run before it is ended: every bounded reader answers
 * well within it, so a file that takes longer has found a way round the
 * bounds, and must not hold one of the MAX_UPLOAD_WORKERS turns for ever.
 */
export const UPLOAD_WORKER_DEADLINE_MS = 60_000;

/** The worker ran out of its heap. */
export class WorkerOutOfMemory extends Error {}
/** The worker ended without an answer. */
export class WorkerFailed extends Error {}
/** The worker was still running at its deadline, and was ended: a failure like any other to its callers. */
export class WorkerTimedOut extends WorkerFailed {}

/** How a task is run: its heap, and how long it may take (milliseconds). */
export interface UploadTaskOptions {
  limits?: ResourceLimits;
  deadlineMs?: number;
}

let running = 0;
const waiting: (() => void)[] = [];
/** The workers running now, so that a shutdown can end them rather than wait up to their deadline. */
const live = new Set<Worker>();

async function takeTurn(): Promise<void> {
  if (running < MAX_UPLOAD_WORKERS) {
    running += 1;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function endTurn(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

/**
 * The worker's script. The build runs it from `dist/`; under Jest the
 * sources run as TypeScript from `src/`, and a worker needs JavaScript, so
 * it starts from the build that `npm test` makes first.
 */
export function workerScript(url: URL): URL {
  const path = fileURLToPath(url);
  if (existsSync(path)) return url;
  const at = path.lastIndexOf(`${sep}src${sep}`);
  return at < 0 ? url : pathToFileURL(`${path.slice(0, at)}${sep}dist${path.slice(at)}`);
}

function runOnce<T>(script: URL, data: unknown, limits: ResourceLimits, deadlineMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(workerScript(script), { workerData: data, resourceLimits: limits });
    live.add(worker);
    let answer: { value: T } | undefined;
    let failure: Error | undefined;
    const deadline = setTimeout(() => {
      failure = new WorkerTimedOut(`the worker was still running after ${deadlineMs} ms`);
      void worker.terminate();
    }, deadlineMs);
    worker.once('message', (value: T) => {
      answer = { value };
    });
    worker.once('error', (error: Error & { code?: string }) => {
      failure = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerOutOfMemory(error.message) : new WorkerFailed(error.message);
    });
    // Settled only once the thread has ended: whatever it was writing is closed by then.
    worker.once('exit', (code) => {
      live.delete(worker);
      clearTimeout(deadline);
      if (answer) resolve(answer.value);
      else reject(failure ?? new WorkerFailed(`the worker ended with code ${code}`));
    });
  });
}

/**
 * Runs `script` (a module that calls `serveUploadTask`) on `data` in a worker
 * of its own, its turn among MAX_UPLOAD_WORKERS, ended at its deadline.
 */
export async function runUploadTask<T>(script: URL, data: unknown, options: UploadTaskOptions = {}): Promise<T> {
  await takeTurn();
  try {
    return await runOnce<T>(script, data, options.limits ?? UPLOAD_WORKER_LIMITS, options.deadlineMs ?? UPLOAD_WORKER_DEADLINE_MS);
  } finally {
    endTurn();
  }
}

/**
 * Ends every running worker: their callers see a WorkerFailed. The
 * application calls it as it shuts down (app.module.ts), so that a stopping
 * server does not wait for a file to finish reading; the test run calls it
 * after each test file (test/support/end-upload-workers.ts), so that a test
 * that timed out mid-upload leaves no thread running.
 */
export async function endUploadWorkers(): Promise<void> {
  await Promise.all([...live].map((worker) => worker.terminate()));
}

/** In a worker's script: answers the task with what `task` makes of the worker's data. */
export function serveUploadTask<D, T>(task: (data: D) => Promise<T>): void {
  void task(workerData as D).then((value) => parentPort!.postMessage(value));
}
