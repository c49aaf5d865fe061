/**
 * NumPy .npz archives (numpy.savez / savez_compressed): a zip of .npy files,
 * one per key. Keys are the entry names without the `.npy` suffix.
 */
import { badFile } from '../errors.js';
import type { NumericArray } from './arrays.js';
import { readBytes } from './files.js';
import { parseNpyStored, toCOrder, type StoredArray } from './npy.js';
import { listZipEntries, readZipEntry } from './zip.js';

/** The names of the arrays in an .npz archive, in archive order. */
export function npzKeys(bytes: Uint8Array, path: string): string[] {
  return listZipEntries(bytes, path).map((entry) => keyOf(entry.name));
}

/**
 * Parse the arrays of an .npz archive. With `keys`, only those are unpacked, and
 * a missing one is an error that lists the keys the archive has.
 */
export function parseNpz(bytes: Uint8Array, path: string, keys?: readonly string[]): Record<string, NumericArray> {
  const stored = parseNpzStored(bytes, path, keys);
  return Object.fromEntries(Object.entries(stored).map(([key, array]) => [key, toCOrder(array)]));
}

/** parseNpz without reordering Fortran-ordered arrays (see parseNpyStored). */
export function parseNpzStored(bytes: Uint8Array, path: string, keys?: readonly string[]): Record<string, StoredArray> {
  const entries = listZipEntries(bytes, path);
  const byKey = new Map(entries.map((entry) => [keyOf(entry.name), entry]));
  const wanted = keys ?? [...byKey.keys()];
  const out: Record<string, StoredArray> = {};
  for (const key of wanted) {
    const entry = byKey.get(key);
    if (!entry) {
      throw badFile(path, `has no array '${key}': its arrays are ${[...byKey.keys()].map((k) => `'${k}'`).join(', ') || '(none)'}`);
    }
    out[key] = parseNpyStored(readZipEntry(bytes, entry, path), `${path}:${entry.name}`);
  }
  return out;
}

/** Read an .npz file (all arrays, or only `keys`). */
export function readNpz(path: string, keys?: readonly string[]): Record<string, NumericArray> {
  return parseNpz(readBytes(path, '.npz file'), path, keys);
}

/** Read an .npz file without reordering Fortran-ordered arrays. */
export function readNpzStored(path: string, keys?: readonly string[]): Record<string, StoredArray> {
  return parseNpzStored(readBytes(path, '.npz file'), path, keys);
}

function keyOf(name: string): string {
  return name.endsWith('.npy') ? name.slice(0, -4) : name;
}
