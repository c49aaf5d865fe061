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
import type { Shard } from './jobs.js';

/** What must match for finished runs to be reused: everything that changes their numbers. */
export type LedgerSettings = Record<string, string | number | boolean>;

interface LedgerFile<T> {
  settings: LedgerSettings;
  runs: Record<string, T>;
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
    this.#recordTo = path !== undefined && shard ? { path: jobLedgerPath(path, shard.index), file: { settings: file.settings, runs: {} } } : undefined;
  }

  /**
   * The ledger at `path` (created on the first finished run), or one kept in memory only when `path` is
   * undefined. A --jobs worker (`shard`) reads it and records into its own file beside it.
   */
  static open<T>(path: string | undefined, settings: LedgerSettings, shard?: Shard): RunLedger<T> {
    if (path !== undefined && !shard) mergeJobLedgers(path); // what --jobs workers of a killed run finished
    if (path === undefined || !existsSync(path)) return new RunLedger<T>(path, { settings, runs: {} }, shard);
    const file = readLedger<T>(path);
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

  /** Where the run `key` keeps its training checkpoint while it trains (none without a ledger file). */
  trainingCheckpoint(key: string): string | undefined {
    return this.#path === undefined ? undefined : `${this.#path}.${key}.training`;
  }

  /** Record a finished run (written atomically) and drop its training checkpoint. */
  record(key: string, numbers: T): void {
    this.#file.runs[key] = numbers;
    if (this.#path === undefined) return;
    const target = this.#recordTo ?? { path: this.#path, file: this.#file };
    target.file.runs[key] = numbers;
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
    merged = { settings: merged?.settings ?? file.settings, runs: { ...merged?.runs, ...file.runs } };
  }
  if (merged && parts.length > 0) writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(merged, null, 1)}\n`));
  return merged ? Object.keys(merged.runs).length : 0;
}

function sortedKeys(settings: LedgerSettings): [string, unknown][] {
  return Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
}

function readLedger<T>(path: string): LedgerFile<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw badFile(path, `is not a reproduction checkpoint (${(error as Error).message})`, 'Pass the --checkpoint path of an earlier run of the same benchmark, or a new path.');
  }
  const file = parsed as Partial<LedgerFile<T>> | null;
  if (typeof file !== 'object' || file === null || typeof file.settings !== 'object' || typeof file.runs !== 'object') {
    throw badFile(path, 'is not a reproduction checkpoint (expected a JSON object with "settings" and "runs")', 'Pass the --checkpoint path of an earlier run of the same benchmark, or a new path.');
  }
  return file as LedgerFile<T>;
}
