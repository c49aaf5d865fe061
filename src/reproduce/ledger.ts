/**
 * The resumable state of a reproduction made of many short training runs (one per class and model, or
 * per seed): a JSON ledger at the --checkpoint path holds each finished run's numbers, and the run in
 * progress keeps its training checkpoint beside it. Running the same command again skips the finished
 * runs and resumes the cut one from its last epoch, so a kill hours into memae-mnist costs at most one
 * epoch. The ledger records the settings that produced it and refuses to mix in runs made with others.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../checkpoint/atomic.js';
import { badFile } from '../errors.js';
import { fileKind } from '../checkpoint/file-kind.js';
import type { Shard } from './jobs.js';
import { getNumThreads } from '../tensor/runtime.js';

/** What must match for finished runs to be reused: everything that changes their numbers. */
export type LedgerSettings = Record<string, string | number | boolean>;

interface LedgerFile<T> {
  settings: LedgerSettings;
  runs: Record<string, T>;
  /**
   * The intra-op threads each run finished with. Not a setting (a ledger goes on under another --jobs or
   * --threads), but it moves a run's last digits, so a mix is named beside the results. Absent in older ledgers.
   */
  threads?: Record<string, number>;
}

/** Where --jobs worker `index` records the runs it finishes, beside the ledger at `path` (merged into it afterwards). */
function jobLedgerPath(path: string, index: number): string {
  return `${path}.job-${index}`;
}

export class RunLedger<T> {
  readonly #path: string | undefined;
  readonly #file: LedgerFile<T>;
  /** A --jobs worker records its runs in a file of its own, so that workers never write the same file. */
  readonly #recordTo: { path: string; file: LedgerFile<T> } | undefined;

  private constructor(path: string | undefined, file: LedgerFile<T>, shard: Shard | undefined) {
    this.#path = path;
    this.#file = file;
    this.#recordTo = path !== undefined && shard ? { path: jobLedgerPath(path, shard.index), file: { settings: file.settings, runs: {}, threads: {} } } : undefined;
  }

  /**
   * The ledger at `path` (created on the first finished run), or one kept in memory only when `path` is
   * undefined. A --jobs worker (`shard`) reads it and records into its own file beside it.
   */
  static open<T>(path: string | undefined, settings: LedgerSettings, shard?: Shard): RunLedger<T> {
    if (path !== undefined && !shard) mergeJobLedgers(path); // what --jobs workers of a killed run finished
    if (path === undefined || !existsSync(path)) return new RunLedger<T>(path, { settings, runs: {} }, shard);
    const file = readLedger<T>(path);
    const [there, here] = [benchmarkOf(file.settings), benchmarkOf(settings)];
    if (there !== here) throw badFile(path, `holds the runs of ${there ?? 'another benchmark'}, not of ${here ?? 'this one'}`, 'Pass each benchmark a --checkpoint path of its own.');
    const differing = Object.keys({ ...settings, ...file.settings }).filter((key) => file.settings[key] !== settings[key]);
    if (differing.length > 0) {
      const was = differing.map((key) => `${key} ${JSON.stringify(file.settings[key])} → ${JSON.stringify(settings[key])}`).join(', ');
      throw badFile(path, `holds runs made with other settings (${was})`,
        'Run with the settings it was made with to go on, or pass another --checkpoint path (or delete this file) to start over.');
    }
    return new RunLedger<T>(path, file, shard);
  }

  /** Number of runs already finished (for a "resuming" message). */
  get finishedRuns(): number {
    return Object.keys(this.#file.runs).length;
  }

  /** A finished run's numbers, or undefined when it has still to run. */
  finished(key: string): T | undefined {
    return this.#file.runs[key];
  }

  /**
   * For the protocol line: how many runs finished with how many threads, when that differs between runs (a
   * ledger resumed under another --jobs or --threads); empty when they agree or it is unknown.
   */
  threadsText(): string {
    const counts = new Map<string, number>();
    for (const key of Object.keys(this.#file.runs)) {
      const threads = this.#file.threads?.[key];
      const label = threads === undefined ? 'an unrecorded thread count' : `${threads} thread${threads === 1 ? '' : 's'}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    if (counts.size < 2) return '';
    const parts = [...counts].map(([label, runs]) => `${runs} with ${label}`);
    return `; its runs were trained with differing thread counts (${parts.join(', ')}), which move the last digits`;
  }

  /** Where the run `key` keeps its training checkpoint while it trains (none without a ledger file). */
  trainingCheckpoint(key: string): string | undefined {
    return this.#path === undefined ? undefined : `${this.#path}.${key}.training`;
  }

  /** Record a finished run (written atomically) and drop its training checkpoint. */
  record(key: string, numbers: T): void {
    this.#file.runs[key] = numbers;
    (this.#file.threads ??= {})[key] = getNumThreads();
    if (this.#path === undefined) return;
    const target = this.#recordTo ?? { path: this.#path, file: this.#file };
    target.file.runs[key] = numbers;
    (target.file.threads ??= {})[key] = getNumThreads();
    writeFileAtomic(target.path, new TextEncoder().encode(`${JSON.stringify(target.file, null, 1)}\n`));
    rmSync(this.trainingCheckpoint(key)!, { force: true });
  }
}

/** Fold every worker ledger beside the ledger at `path` (<path>.job-<i>) into it, then remove them; returns the runs it holds. */
export function mergeJobLedgers(path: string): number {
  const folder = dirname(path);
  const prefix = `${basename(path)}.job-`;
  const parts = existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))).map((name) => join(folder, name)) : [];
  const finished = mergeLedgers(path, parts);
  for (const part of parts) rmSync(part, { force: true });
  return finished;
}

/**
 * Fold the runs of the ledgers at `parts` into the one at `path` (made from the first of them when it does
 * not exist), written atomically; every one must hold runs of the same settings. Returns the runs it holds.
 */
function mergeLedgers(path: string, parts: readonly string[]): number {
  let merged = existsSync(path) ? readLedger<unknown>(path) : undefined;
  for (const part of parts) {
    const file = readLedger<unknown>(part);
    if (merged && JSON.stringify(sortedKeys(file.settings)) !== JSON.stringify(sortedKeys(merged.settings))) {
      throw badFile(part, `holds runs made with other settings than ${path}`, 'Delete it, or run with the settings it was made with.');
    }
    merged = { settings: merged?.settings ?? file.settings, runs: { ...merged?.runs, ...file.runs }, threads: { ...merged?.threads, ...file.threads } };
  }
  if (merged && parts.length > 0) writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(merged, null, 1)}\n`));
  return merged ? Object.keys(merged.runs).length : 0;
}

function sortedKeys(settings: LedgerSettings): [string, unknown][] {
  return Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
}

/** The benchmark whose runs a ledger holds: named (memae-kdd), or the one-class benchmark of its dataset. */
function benchmarkOf(settings: LedgerSettings): string | undefined {
  if (typeof settings.benchmark === 'string') return settings.benchmark;
  return typeof settings.dataset === 'string' ? `memae-${settings.dataset}` : undefined;
}

function readLedger<T>(path: string): LedgerFile<T> {
  const bytes = readFileSync(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    // A binary file's parse error quotes its bytes, which the terminal would print as garbage: name what it is instead.
    const kind = fileKind(bytes);
    const text = kind?.kind === 'text' || kind?.kind === 'json';
    const problem = text ? `is not valid JSON (${(error as Error).message})` : `is ${kind?.description ?? 'a binary file'}, not JSON`;
    throw badFile(path, `is not a reproduction checkpoint: it ${problem}`, 'Pass the --checkpoint path of an earlier run of the same benchmark, or a new path.');
  }
  const file = parsed as Partial<LedgerFile<T>> | null;
  if (typeof file !== 'object' || file === null || typeof file.settings !== 'object' || typeof file.runs !== 'object') {
    throw badFile(path, 'is not a reproduction checkpoint (expected a JSON object with "settings" and "runs")', 'Pass the --checkpoint path of an earlier run of the same benchmark, or a new path.');
  }
  return file as LedgerFile<T>;
}
