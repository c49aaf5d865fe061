/**
 * Reading whole files with errors that say which file and what it should be,
 * transparent gzip (detected by its magic bytes, not by the file name), and
 * folder entries that follow symbolic links.
 */
import { readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { badFile, fileNotFound } from '../errors.js';

/**
 * The bytes of a file. `what` names it in errors ("MNIST image file"), `fix`
 * says how to get it.
 */
export function readBytes(path: string, what: string, fix?: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fileNotFound(path, what, fix);
    if (code === 'EISDIR') throw badFile(path, `is a folder, but a ${/ file$/i.test(what) ? what : `${what} file`} was expected`, fix);
    throw badFile(path, `cannot be read (${code ?? String(error)})`);
  }
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzip the bytes when they are gzip, else return them unchanged. */
export function gunzipIfNeeded(bytes: Buffer, path: string): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw badFile(path, `is gzip-compressed but cannot be decompressed (${(error as Error).message})`,
      'The file is probably truncated: download it again.');
  }
}

/** readBytes, then gunzip when the file is gzip-compressed. */
export function readMaybeGzip(path: string, what: string, fix?: string): Buffer {
  return gunzipIfNeeded(readBytes(path, what, fix), path);
}

/** Hex dump of the first bytes, for "found ..." in error messages. */
export function hexBytes(bytes: Uint8Array, count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(count, bytes.length); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.length ? parts.join(' ') : '(nothing: the file is empty)';
}

/** Whether a folder entry is a folder (or a plain file), following symbolic links: datasets are often linked into place. */
export function entryIs(dir: string, entry: Dirent, kind: 'folder' | 'file'): boolean {
  if (kind === 'folder' ? entry.isDirectory() : entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    const target = statSync(join(dir, entry.name));
    return kind === 'folder' ? target.isDirectory() : target.isFile();
  } catch {
    return false;
  }
}
