/**
 * The on-disk cache for work that is slow to repeat: archives extracted once,
 * and decoded images kept as raw bytes so a second load takes a moment.
 *
 * Location: $NORMALITY_CACHE, else ~/.cache/normality. Every entry is written under
 * a temporary name and renamed into place, so an interrupted run leaves no half
 * entry behind.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { makeFolders } from '../checkpoint/folders.js';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { badFile, fileNotFound, NormalityError } from '../errors.js';

/** The cache folder: $NORMALITY_CACHE, else ~/.cache/normality. */
export function cacheRoot(): string {
  return process.env.NORMALITY_CACHE || join(homedir(), '.cache', 'normality');
}

/**
 * A file's version in cache keys: its size, modification time and change time. The change time catches a
 * file overwritten by one of the same size that keeps the old modification time (`cp -p`, `rsync -a`,
 * tar), which no tool sets back; renaming or chmod changes it too, which only costs a fresh decode.
 */
export function fileVersion(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** A short stable hash of some text, for cache file names. */
export function cacheKey(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

const ARCHIVE_FLAGS: [suffix: string, flags: string][] = [
  ['.tar.xz', '-xJf'], ['.txz', '-xJf'], ['.tar.gz', '-xzf'], ['.tgz', '-xzf'], ['.tar.bz2', '-xjf'], ['.tar', '-xf'],
];

/** True when the path names a tar archive this module can extract. */
export function isArchive(path: string): boolean {
  return ARCHIVE_FLAGS.some(([suffix]) => path.toLowerCase().endsWith(suffix));
}

/**
 * Extract a tar archive (.tar, .tar.gz, .tar.xz, .tar.bz2) with the system `tar`
 * into the cache, once; later calls return the same folder. The cache entry is
 * keyed by the archive's name and version (fileVersion); a new extraction of
 * the same archive path removes the earlier ones.
 */
export function extractArchive(archive: string): string {
  const flags = ARCHIVE_FLAGS.find(([suffix]) => archive.toLowerCase().endsWith(suffix))?.[1];
  if (!flags) throw badFile(archive, `is not a tar archive: expected a name ending in ${ARCHIVE_FLAGS.map(([s]) => s).join(', ')}`);
  let stats;
  try {
    stats = statSync(archive);
  } catch {
    throw fileNotFound(archive, 'Archive');
  }
  const name = basename(archive).replace(/[^A-Za-z0-9._-]/g, '_');
  const target = join(cacheRoot(), 'extracted', `${name}-${cacheKey(fileVersion(stats))}`);
  if (existsSync(join(target, '.complete'))) return target;
  const temporary = `${target}.partial-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  makeFolders(temporary);
  const result = spawnSync('tar', [flags, archive, '-C', temporary], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    rmSync(temporary, { recursive: true, force: true });
    const why = result.error ? result.error.message : (result.stderr || '').trim() || `exit status ${result.status}`;
    throw new NormalityError('BAD_FILE', `${archive}: could not be extracted with tar ${flags} (${why}). `
      + 'Check that the archive is complete and that tar (and xz for .xz files) is installed, e.g. apt-get install tar xz-utils.');
  }
  // The marker names the archive, so that a later copy of it (a new time or size) can retire this one.
  const source = resolve(archive);
  writeFileSync(join(temporary, '.complete'), source);
  try {
    renameSync(temporary, target);
  } catch {
    // Another process finished the same extraction first: use its copy.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(join(target, '.complete'))) throw badFile(target, 'is an incomplete cache entry', `Delete it and try again.`);
  }
  removeOlderExtractions(dirname(target), `${name}-`, basename(target), source);
  return target;
}

/** Delete earlier extractions of the same archive path, so re-downloads or touched files do not pile up. */
function removeOlderExtractions(dir: string, prefix: string, keep: string, source: string): void {
  for (const entry of readdirSync(dir)) {
    if (entry === keep || !entry.startsWith(prefix) || entry.includes('.partial-')) continue;
    let marker: string;
    try {
      marker = readFileSync(join(dir, entry, '.complete'), 'utf8');
    } catch {
      continue;
    }
    if (marker === source) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

const MAGIC = 'NRMCACH1';

/** Write `header` (JSON) and raw `parts` to a cache file, atomically. */
export function writeCacheFile(path: string, header: object, parts: Uint8Array[]): void {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  const temporary = `${path}.partial-${process.pid}`;
  makeFolders(join(path, '..'));
  writeFileSync(temporary, Buffer.concat([prefix, json, ...parts]));
  renameSync(temporary, path);
}

/** Read a cache file written by writeCacheFile, or undefined when it is missing or unreadable. */
export function readCacheFile(path: string): { header: Record<string, unknown>; payload: Uint8Array } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) return undefined;
  const length = bytes.readUInt32LE(8);
  try {
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + length)) as Record<string, unknown>;
    return { header, payload: bytes.subarray(12 + length) };
  } catch {
    return undefined;
  }
}
