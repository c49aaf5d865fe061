/**
 * Zip archives held in memory, for .npz files: the shared reader of src/zip/archive.ts over a byte
 * array, with messages worded for NumPy users. Stored entries come back as views of `bytes` (no copy).
 */
import { readZipDirectory, readZipEntryData, type ZipEntry, type ZipSource, type ZipWording } from '../zip/archive.js';

export type { ZipEntry } from '../zip/archive.js';

const NPZ_WORDING: ZipWording = {
  entry: (path, name) => `${path}:${name}`,
  resave: 'Download or save the file again.',
  rewrite: 'Save it with numpy.savez or numpy.savez_compressed.',
  noEndRecord: {
    problem: 'is not a zip archive (no end-of-central-directory record)',
    fix: 'A .npz file is a zip written by numpy.savez; check that the file is complete.',
  },
  crcMismatch: 'fails its CRC-32 check: the archive is corrupt',
};

/** The entries listed in the central directory, in archive order. */
export function listZipEntries(bytes: Uint8Array, path: string): ZipEntry[] {
  return readZipDirectory(memorySource(bytes, path), NPZ_WORDING);
}

/** The uncompressed bytes of one entry, checked against its size and CRC-32. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, path: string): Uint8Array {
  return readZipEntryData(memorySource(bytes, path), entry, NPZ_WORDING);
}

function memorySource(bytes: Uint8Array, path: string): ZipSource {
  return { path, size: bytes.length, readAt: (position, length) => bytes.subarray(position, position + length) };
}
