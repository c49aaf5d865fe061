/**
 * Results as JSON with what produced them (SPEC §4: every number says which
 * options and seed gave it). Written to a temporary file in the same folder and
 * renamed over the target, so a crash never leaves half a file behind.
 */
import { writeFileAtomic } from '../checkpoint/atomic.js';
import { libraryVersion } from './version.js';

export interface ResultsMeta {
  seed?: number;
  /** The resolved options the command ran with. */
  options?: unknown;
  /** The command line; default `normality <process.argv after the script>`. */
  command?: readonly string[];
}

export interface ResultsFile<T = unknown> {
  meta: {
    timestamp: string;
    version: string;
    node: string;
    platform: string;
    command: string[];
    seed: number | null;
    options: unknown;
  };
  results: T;
}

/** Write `{ meta, results }` to `path` atomically, creating folders; returns what was written. */
export async function writeResults<T>(path: string, results: T, meta: ResultsMeta = {}): Promise<ResultsFile<T>> {
  const document: ResultsFile<T> = {
    meta: {
      timestamp: new Date().toISOString(),
      version: libraryVersion(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      command: [...(meta.command ?? ['normality', ...process.argv.slice(2)])],
      seed: meta.seed ?? null,
      options: meta.options ?? null,
    },
    results,
  };
  await writeAtomically(path, `${JSON.stringify(document, jsonValue, 2)}\n`);
  return document;
}

/**
 * JSON has no typed arrays, NaN or Infinity: typed arrays become arrays (not `{"0":…}`), NaN (no value, such as
 * the AUC of a video with one class) becomes null as JSON consumers expect, and ±Infinity, a value, its name.
 */
function jsonValue(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, Number);
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Text written atomically, as checkpoints are: a reader sees the old file or the whole new one. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  writeFileAtomic(path, Buffer.from(text, 'utf8'));
}
