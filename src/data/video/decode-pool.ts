/**
 * Decode many frame files, on worker threads when there are cores to spare. JPEG
 * decoding in JavaScript costs ~10 ms a frame (Ped2's 360x240), so a dataset is cut
 * into runs of frames that the workers take in turn.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { invalidArgument, NormalityError, type ErrorCode } from '../../errors.js';
import type { DecodeReply, DecodeTask } from './decode-worker.js';
import { decodeFrames, type FrameFormat } from './frame-format.js';

/** Frames per task: small enough for even progress, large enough that messaging costs nothing. */
export const FRAMES_PER_TASK = 32;

export interface DecodeJob {
  files: string[];
  /** Called once per job with its (T, C, H, W) bytes, in any job order. */
  done: (data: Uint8Array) => void;
}

export interface DecodeOptions {
  /** Worker threads; 0 decodes on the calling thread. Default: the cores available, at most 8 (0 on one core). */
  workers?: number;
  /** Called after each run of frames with the frames decoded so far and the total. */
  onProgress?: (decoded: number, total: number) => void;
}

export function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores <= 1 ? 0 : Math.min(cores, 8);
}

/** Decode every job's frames; resolves when all are done, rejects on the first error. */
export async function decodeJobs(jobs: readonly DecodeJob[], format: FrameFormat, options: DecodeOptions = {}): Promise<void> {
  const workers = options.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw invalidArgument('workers', 'a whole number >= 0 (0 = decode on this thread)', workers);
  const tasks = jobs.flatMap((job, j) => chunks(job.files).map((files, k) => ({ job: j, chunk: k, files })));
  const total = tasks.reduce((sum, t) => sum + t.files.length, 0);
  const parts = jobs.map((job) => new Array<Uint8Array>(chunks(job.files).length));
  const remaining = parts.map((p) => p.length);
  let decoded = 0;
  const finish = (task: (typeof tasks)[number], data: Uint8Array): void => {
    parts[task.job][task.chunk] = data;
    decoded += task.files.length;
    options.onProgress?.(decoded, total);
    if (--remaining[task.job] === 0) {
      jobs[task.job].done(concat(parts[task.job]));
      parts[task.job] = [];
    }
  };
  jobs.forEach((job, j) => { if (remaining[j] === 0) job.done(new Uint8Array(0)); });
  if (workers === 0 || tasks.length <= 1) {
    for (const task of tasks) finish(task, decodeFrames(task.files, format));
    return;
  }
  await runOnWorkers(tasks, format, Math.min(workers, tasks.length), finish);
}

async function runOnWorkers<T extends { files: string[] }>(
  tasks: T[], format: FrameFormat, count: number, finish: (task: T, data: Uint8Array) => void,
): Promise<void> {
  const pool = Array.from({ length: count }, () => new Worker(new URL('./decode-worker.js', import.meta.url)));
  let next = 0;
  // The first failure (a corrupt frame) stops the handing out of work, but is thrown only once every worker
  // has finished the task in its hands: terminating a worker in the middle of zlib's work crashed Node
  // ("close before init" in node_zlib.cc, seen in a test run).
  let failure: unknown;
  const fail = (error: unknown): void => {
    failure ??= error;
    next = tasks.length;
  };
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next >= tasks.length) { resolve(); return; }
        const id = next++;
        worker.postMessage({ id, files: tasks[id].files, format } satisfies DecodeTask);
      };
      worker.on('message', (reply: DecodeReply) => {
        if ('error' in reply) fail(new NormalityError((reply.error.code ?? 'BAD_FILE') as ErrorCode, reply.error.message));
        else {
          try {
            finish(tasks[reply.id], reply.data);
          } catch (error) {
            fail(error);
          }
        }
        send();
      });
      // A worker that died has no task in its hands.
      worker.on('error', reject);
      worker.on('exit', (code) => { if (code !== 0) reject(new Error(`frame decoding worker stopped with exit code ${code}`)); });
      send();
    })));
    if (failure !== undefined) throw failure;
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

function chunks(files: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < files.length; i += FRAMES_PER_TASK) out.push(files.slice(i, i + FRAMES_PER_TASK));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}
