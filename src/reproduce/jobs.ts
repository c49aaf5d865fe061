/**
 * `reproduce --jobs N`: a many-run benchmark's runs spread over N worker processes. The networks of these
 * benchmarks are small, so one process makes poor use of many cores; N processes of a few threads each
 * train more runs per second (MNIST on 2 cores: two 1-thread runs side by side take about as long as one
 * 2-thread run). Processes, not threads: each run seeds libtorch's one global generator.
 *
 * A worker is the same command, its options passed as a config file, with NORMALITY_REPRODUCE_JOB=i/N in
 * its environment: it reads the ledger, trains those of the runs still to do whose index is i modulo N, and
 * records each in a ledger of its own (<ledger>.job-i), since no two processes may write one file. Then
 * theirs are merged into the main one, from which the benchmark's usual pass reads every run and reports.
 * A run in progress keeps its training checkpoint where a one-process run would, so a killed run goes on
 * from its last epoch whatever the number of workers the next command has.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../checkpoint/atomic.js';
import { NormalityError, invalidArgument } from '../errors.js';
import { mergeJobLedgers } from './ledger.js';
import type { ReproduceResult } from './types.js';

/** Which runs one process trains: those whose index is `index` modulo `count`. */
export interface Shard {
  index: number;
  count: number;
}

const JOB_VARIABLE = 'NORMALITY_REPRODUCE_JOB';
const CLI = fileURLToPath(new URL('../../bin/normality.js', import.meta.url));

/** The share of runs this process trains when it is a --jobs worker, or undefined when it is not one. */
export function workerShard(): Shard | undefined {
  const value = process.env[JOB_VARIABLE];
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count) {
    throw invalidArgument(JOB_VARIABLE, "'i/N' with 0 ≤ i < N (set by reproduce --jobs for its workers)", value);
  }
  return shard;
}

/**
 * A worker stops when the command that started it is gone (its end of the worker's stdin closes): a killed
 * `reproduce --jobs` leaves no worker training on, writing into ledgers a rerun will use. Returns the
 * function that stops watching, so that a worker whose runs are done can exit.
 */
export function exitWithParent(): () => void {
  const gone = () => process.exit(130);
  process.stdin.on('end', gone);
  process.stdin.on('error', gone);
  process.stdin.resume();
  return () => {
    process.stdin.off('end', gone);
    process.stdin.off('error', gone);
    process.stdin.destroy();
  };
}

/** Whether run number `runIndex` (counted over the whole benchmark) is this process's to train. */
export function isMine(shard: Shard | undefined, runIndex: number): boolean {
  return shard === undefined || runIndex % shard.count === shard.index;
}

/** What a worker's benchmark returns once its share is trained: the numbers are in its ledger, and the command that started it reports. */
export function workerDone(metric: string, target: number): ReproduceResult {
  return { metric, value: Number.NaN, target, details: {}, protocol: 'a --jobs worker: its runs are in its ledger' };
}

/** For a protocol line: how the runs were spread over worker processes, if they were. */
export function parallelText(parallel: { jobs: number; threadsPerJob: number } | undefined): string {
  return parallel ? `; trained in ${parallel.jobs} worker processes of ${parallel.threadsPerJob} thread${parallel.threadsPerJob === 1 ? '' : 's'} each` : '';
}

export interface WorkerPlan {
  benchmark: string;
  /** The command's options, written as the workers' config file (their ledgers, threads and quiet are set here). */
  options: Record<string, unknown>;
  jobs: number;
  threadsPerJob: number;
  /** The main ledger: finished runs are merged into it. */
  ledger: string;
  /** Whether that ledger outlives the command (--checkpoint), for the message when a worker fails. */
  keepsLedger: boolean;
}

/** Run the workers and merge their ledgers into `plan.ledger`; returns how many runs that ledger held before they started. */
export async function runWorkers(plan: WorkerPlan): Promise<number> {
  const before = mergeJobLedgers(plan.ledger);
  if (before > 0) console.error(`${plan.ledger}: ${before} runs already finished; going on`);
  const scratch = temporaryFolder('normality-workers-');
  const config = join(scratch.path, 'options.json');
  const { config: _ownConfig, checkpoint: _ledger, jobs: _jobs, out: _out, quiet: _quiet, threads: _threads, ...shared } = plan.options;
  writeFileAtomic(config, new TextEncoder().encode(JSON.stringify(shared)));
  try {
    // Each worker reads the ledger (skipping the runs finished there) and records into its own file beside it.
    const exits = await Promise.all(Array.from({ length: plan.jobs }, (_, i) => runWorker(plan, i, config)));
    const finished = mergeJobLedgers(plan.ledger);
    const failed = exits.map((exit, i) => ({ exit, i })).filter(({ exit }) => exit !== 0);
    if (failed.length > 0) {
      const kept = plan.keepsLedger
        ? `The ${finished} runs finished so far are in ${plan.ledger}: the same command goes on from them.`
        : 'Pass --checkpoint <path> to keep the runs that finish, so that a rerun goes on from them.';
      throw new NormalityError('WORKER_FAILED', `${failed.map(({ i, exit }) => `worker ${i} exited with ${exit}`).join('; ')} (${failed.length === 1 ? 'its' : 'their'} messages are above). ${kept}`);
    }
  } finally {
    scratch.remove();
  }
  return before;
}

/** Folders made by temporaryFolder and not yet removed. */
const temporaryFolders = new Set<string>();
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeTemporaryFolders(): void {
  for (const path of temporaryFolders) rmSync(path, { recursive: true, force: true });
  temporaryFolders.clear();
}

/**
 * Stopped by a signal, a process runs no `finally`: its temporary folders would stay in /tmp. This removes
 * them, then lets the signal end the process as it would have, so that its exit status still names the
 * signal. Where another listener handles the signal (it decides whether the process ends), the folders stay
 * until the process exits.
 */
function onStopSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeTemporaryFolders();
  for (const name of STOP_SIGNALS) process.off(name, onStopSignal);
  process.kill(process.pid, signal);
}

/**
 * A new folder in the system's temporary folder (its name starts with `prefix`), removed by `remove()`, or
 * when the process exits or is stopped by SIGINT, SIGTERM or SIGHUP first (a launcher killed outright stops
 * its command with SIGTERM: bin/normality.js). Only SIGKILL of this very process leaves it behind.
 */
export function temporaryFolder(prefix: string): { path: string; remove(): void } {
  if (temporaryFolders.size === 0) {
    for (const name of STOP_SIGNALS) process.on(name, onStopSignal);
    process.on('exit', removeTemporaryFolders);
  }
  const path = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.add(path);
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      temporaryFolders.delete(path);
      if (temporaryFolders.size > 0) return;
      for (const name of STOP_SIGNALS) process.off(name, onStopSignal);
      process.off('exit', removeTemporaryFolders);
    },
  };
}

/** One worker: its messages go to stderr prefixed with its number; resolves with its exit status. */
function runWorker(plan: WorkerPlan, index: number, config: string): Promise<number | string> {
  const args = [CLI, 'reproduce', plan.benchmark, '--config', config, '--checkpoint', plan.ledger, '--quiet', '--threads', String(plan.threadsPerJob)];
  // stdin stays open and unwritten: it closes when this process dies, and the worker then stops (exitWithParent).
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, [JOB_VARIABLE]: `${index}/${plan.jobs}` } });
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) console.error(`[job ${index}] ${line}`);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code, signal) => {
      if (pending) console.error(`[job ${index}] ${pending}`);
      resolve(code ?? signal ?? 'no status');
    });
  });
}
