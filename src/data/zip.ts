/**
 * Just enough of the ZIP format to read .npz files: the central directory
 * (with zip64 records for large archives), entries stored or deflated, CRC-checked.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { badFile } from '../errors.js';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/** The entries listed in the central directory, in archive order. */
export function listZipEntries(bytes: Uint8Array, path: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view, path);
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) {
      throw badFile(path, 'is a zip whose end record asks for zip64 but has no zip64 locator before it');
    }
    const record = u64(view, locator + 8, path);
    if (record + 56 > bytes.length || view.getUint32(record, true) !== ZIP64_EOCD) {
      throw badFile(path, `is a zip whose zip64 end record is missing at offset ${record}`);
    }
    count = u64(view, record + 32, path);
    cdSize = u64(view, record + 40, path);
    cdOffset = u64(view, record + 48, path);
  }
  if (cdOffset + cdSize > bytes.length) {
    throw badFile(path, `is a truncated zip: its central directory (offset ${cdOffset}, ${cdSize} bytes) runs past the end of the file (${bytes.length} bytes)`,
      'Download or save the file again.');
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) {
      throw badFile(path, `is a corrupt zip: central directory entry ${i} at offset ${p} has no valid signature`);
    }
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const entry: ZipEntry = {
      name: Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, nameLength).toString('utf8'),
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      crc32: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true),
    };
    applyZip64Extra(view, p + 46 + nameLength, extraLength, entry, path);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry, checked against its size and CRC-32. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, path: string): Uint8Array {
  const where = `${path}:${entry.name}`;
  if (entry.flags & 1) throw badFile(where, 'is encrypted, which is not supported', 'Save the archive without a password.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) {
    throw badFile(where, `has no local zip header at offset ${local}`, 'The archive is corrupt: save it again.');
  }
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw badFile(where, `is truncated: its data runs past the end of the archive`, 'Download or save the file again.');
  const raw = bytes.subarray(start, end);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else if (entry.method === 8) {
    try {
      // One output chunk of the known size: no chunk list to concatenate (a large array would be copied twice).
      data = inflateRawSync(raw, { chunkSize: Math.max(64, entry.size + 1) });
    } catch (error) {
      throw badFile(where, `cannot be inflated (${(error as Error).message})`, 'The archive is corrupt: save it again.');
    }
  } else {
    throw badFile(where, `uses zip compression method ${entry.method}: expected 0 (stored) or 8 (deflated)`,
      'Save it with numpy.savez or numpy.savez_compressed.');
  }
  if (data.length !== entry.size) {
    throw badFile(where, `unpacks to ${data.length} bytes but the zip directory says ${entry.size}`);
  }
  if (crc32(data) >>> 0 !== entry.crc32) throw badFile(where, 'fails its CRC-32 check: the archive is corrupt', 'Download or save the file again.');
  return data;
}

function findEndOfCentralDirectory(view: DataView, path: string): number {
  const last = view.byteLength - 22;
  const first = Math.max(0, last - MAX16);
  for (let p = last; p >= first; p--) {
    if (view.getUint32(p, true) === EOCD) return p;
  }
  throw badFile(path, 'is not a zip archive (no end-of-central-directory record)',
    'A .npz file is a zip written by numpy.savez; check that the file is complete.');
}

/** Replace 0xFFFFFFFF placeholders with the 64-bit values of the zip64 extra field (id 0x0001). */
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry, path: string): void {
  let p = start;
  const end = start + length;
  while (p + 4 <= end) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const needed = 8 * [entry.size, entry.compressedSize, entry.localHeaderOffset].filter((v) => v === MAX32).length;
      if (needed > size || p + 4 + size > end) throw badFile(path, `has a zip64 extra field for '${entry.name}' that is too short (${size} bytes, ${needed} needed)`);
      if (entry.size === MAX32) { entry.size = u64(view, q, path); q += 8; }
      if (entry.compressedSize === MAX32) { entry.compressedSize = u64(view, q, path); q += 8; }
      if (entry.localHeaderOffset === MAX32) { entry.localHeaderOffset = u64(view, q, path); q += 8; }
      return;
    }
    p += 4 + size;
  }
}

function u64(view: DataView, offset: number, path: string): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw badFile(path, `holds a zip64 size or offset too large to read (${value})`);
  return Number(value);
}
