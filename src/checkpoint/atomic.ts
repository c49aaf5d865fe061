/**
 * Crash-safe file writing: a reader sees either the old file or the complete
 * new one, never a half-written checkpoint.
 *
 * The bytes go to a temporary file beside the target (same directory, so the
 * final rename stays on one file system and is atomic), are flushed to disk
 * with fsync, and only then renamed over the target. The directory is fsynced
 * too, so the rename itself survives a power cut. On any failure the temporary
 * file is removed and the old target is left untouched.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  type Stats,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { badFile, invalidArgument, NormalityError } from '../errors.js';
import { makeFolders } from './folders.js';

/**
 * Write `data` to `path` atomically, creating missing parent folders.
 *
 * `data` is one byte array or any iterable of them (an array, a generator).
 * Chunks are written one after another as they come, never joined in memory,
 * so a checkpoint of hundreds of MB costs no extra copy. If the iterable
 * throws, that error is rethrown unchanged after cleaning up.
 *
 * An existing target keeps its permission bits; a symlink stays a symlink and
 * the file it points to is replaced.
 */
export function writeFileAtomic(path: string, data: Uint8Array | Iterable<Uint8Array>): void {
  if (typeof path !== 'string' || path === '') {
    throw invalidArgument('path', 'a non-empty file path string', path);
  }
  const chunks = toChunks(data);
  // Through a symlink, replace the file it points to and keep the link.
  const target = realTarget(path);
  const existing = statIfExists(target);
  if (existing?.isDirectory()) {
    throw badFile(path, 'is a folder, not a file', 'Pass a file path such as model.safetensors.');
  }
  const directory = dirname(target);
  ensureDirectory(path, directory);
  removeStaleTemporaries(directory, basename(target));

  const tempPath = join(directory, `${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = ioStep(path, () => openSync(tempPath, 'wx'));
    // A re-saved checkpoint should not silently lose permissions the user set on it.
    if (existing) keepMode(fd, existing.mode);
    let index = 0;
    for (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array)) {
        throw invalidArgument(`chunk ${index} of data`, 'a Uint8Array', chunk, 'Pass Uint8Array chunks only.');
      }
      writeFully(path, fd, chunk);
      index += 1;
    }
    const openFd = fd;
    ioStep(path, () => fsyncSync(openFd));
    fd = undefined;
    ioStep(path, () => closeSync(openFd));
    ioStep(path, () => renameSync(tempPath, target));
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(tempPath);
    throw error;
  }
  syncDirectory(directory);
}

/**
 * A process killed while it wrote (SIGKILL, a power cut) leaves its temporary file behind: a training
 * checkpoint's can be hundreds of MB, written again every epoch. Before writing, remove this target's
 * temporaries whose writer is no longer running (a live one is another process writing now).
 */
function removeStaleTemporaries(directory: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(name)) continue;
    // This writer's `<name>.tmp-<pid>-<hex>`, and `<name>.<pid>.<hex>.tmp` of the results writer before it.
    const pid = /^\.tmp-(\d+)-[0-9a-f]{12}$/.exec(entry.slice(name.length))?.[1] ?? /^\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry.slice(name.length))?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) removeQuietly(join(directory, entry));
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** One byte array becomes a one-chunk list; anything else must be iterable. */
function toChunks(data: Uint8Array | Iterable<Uint8Array>): Iterable<Uint8Array> {
  // Check Uint8Array first: it is itself iterable (over numbers).
  if (data instanceof Uint8Array) return [data];
  if (data !== null && typeof data === 'object' && Symbol.iterator in data) return data;
  throw invalidArgument('data', 'a Uint8Array or an iterable of Uint8Array chunks', data);
}

function ensureDirectory(path: string, directory: string): void {
  try {
    makeFolders(directory);
  } catch (error) {
    throw ioError(path, error);
  }
}

/** writeSync may write fewer bytes than asked (large buffers, signals): loop until done. */
function writeFully(path: string, fd: number, chunk: Uint8Array): void {
  let offset = 0;
  while (offset < chunk.byteLength) {
    offset += ioStep(path, () => writeSync(fd, chunk, offset, chunk.byteLength - offset));
  }
}

function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // Not there yet (the usual case), or a dangling link that the new file replaces.
  }
}

function statIfExists(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function keepMode(fd: number, mode: number): void {
  try {
    fchmodSync(fd, mode & 0o7777);
  } catch {
    // A file system without POSIX modes: keep the default.
  }
}

/** Make the rename durable. Some platforms (Windows) cannot open a folder for fsync: best effort. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // The data itself is already on disk; only the rename's durability is at stake.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or invalid: nothing left to release.
  }
}

function removeQuietly(tempPath: string): void {
  try {
    unlinkSync(tempPath);
  } catch {
    // Never created, or already gone.
  }
}

/** Run one file-system call, turning a system error into a message that names the target. */
function ioStep<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw ioError(path, error);
  }
}

const FIXES: Record<string, string> = {
  ENOSPC: 'Free some disk space and save again.',
  EDQUOT: 'Free some disk space (you are over quota) and save again.',
  EACCES: 'Check that you may write to that folder, or save somewhere else.',
  EPERM: 'Check that you may write to that folder, or save somewhere else.',
  EROFS: 'The file system is read-only; save somewhere else.',
  EISDIR: 'That path is a folder; pass a file path such as model.safetensors.',
  ENOTDIR: 'A part of that path is a file, not a folder; pick another path.',
  EEXIST: 'A part of that path is a file, not a folder; pick another path.',
};

function ioError(path: string, error: unknown): NormalityError {
  if (error instanceof NormalityError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = systemReason(error, code);
  const fix = (code !== undefined ? FIXES[code] : undefined) ?? 'Check the path and save again.';
  const wrapped = badFile(path, `could not be written (${reason})`, `${fix} Any previous file there is unchanged.`);
  wrapped.cause = error;
  return wrapped;
}

/** `EACCES: permission denied`, without Node's tail naming the syscall and the temporary path. */
function systemReason(error: unknown, code: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && message.startsWith(`${code}: `)) return message.split(', ')[0];
  return message;
}
