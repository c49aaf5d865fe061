/**
 * The one ZIP reader of the project: the central directory (with zip64 records for large archives)
 * and entries stored or deflated, each checked against its size and CRC-32. It reads through a
 * `ZipSource` — bytes at a position — so the same code serves an archive held in memory (.npz) and
 * one read from disk an entry at a time (torch.save checkpoints); `ZipWording` lets each caller
 * word the errors for its users.
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

/** Where the archive's bytes come from. `readAt` is only asked for ranges inside `0 … size`. */
export interface ZipSource {
  /** The archive's name in messages. */
  path: string;
  size: number;
  readAt(position: number, length: number): Uint8Array;
}

/** What differs between callers' messages: how an entry is named, and what the user should do. */
export interface ZipWording {
  /** How messages name one entry, e.g. `a.npz:X.npy` or `model.pt (entry model/data.pkl)`. */
  entry(path: string, name: string): string;
  /** The fix for a damaged or truncated archive. */
  resave: string;
  /** The fix for an entry this reader cannot unpack (encrypted, or compressed by another method). */
  rewrite: string;
  /** The problem and fix when the file ends without an end-of-central-directory record. */
  noEndRecord: { problem: string; fix: string };
  /** How a CRC-32 mismatch is described. */
  crcMismatch: string;
}

const SIGNATURE = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, end64: 0x06064b50, locator64: 0x07064b50 };
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

/** Whether a file's first bytes are those of a zip archive (a local header, or the end record of an empty one). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && head[3] === head[2] + 1;
}

/** The entries listed in the central directory, in archive order. */
export function readZipDirectory(source: ZipSource, wording: ZipWording): ZipEntry[] {
  const { path } = source;
  const damaged = damagedArchive(path, wording);
  const { count, size, offset } = findDirectory(source, wording);
  const directory = bufferOf(readChecked(source, offset, size, wording));
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== SIGNATURE.central) throw damaged(`central directory entry ${i} is malformed`);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const extraStart = p + 46 + nameLength;
    if (extraStart + extraLength > directory.length) throw damaged(`central directory entry ${i} runs past the directory`);
    const entry: ZipEntry = {
      name: directory.toString('utf8', p + 46, extraStart),
      flags: directory.readUInt16LE(p + 8),
      method: directory.readUInt16LE(p + 10),
      crc32: directory.readUInt32LE(p + 16),
      compressedSize: directory.readUInt32LE(p + 20),
      size: directory.readUInt32LE(p + 24),
      localHeaderOffset: directory.readUInt32LE(p + 42),
    };
    applyZip64(directory.subarray(extraStart, extraStart + extraLength), entry, damaged);
    entries.push(entry);
    p = extraStart + extraLength + directory.readUInt16LE(p + 32);
  }
  return entries;
}

/** The uncompressed bytes of one entry, checked against its size and CRC-32. Stored entries are `readAt`'s bytes as they are. */
export function readZipEntryData(source: ZipSource, entry: ZipEntry, wording: ZipWording): Uint8Array {
  const where = wording.entry(source.path, entry.name);
  if (entry.flags & 1) throw badFile(where, 'is encrypted, which is not supported', wording.rewrite);
  const header = bufferOf(readChecked(source, entry.localHeaderOffset, 30, wording));
  if (header.readUInt32LE(0) !== SIGNATURE.local) throw badFile(where, `has no local zip header at byte ${entry.localHeaderOffset}`, wording.resave);
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = readChecked(source, start, entry.compressedSize, wording);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) data = inflate(raw, entry.size, where, wording);
  else throw badFile(where, `uses zip compression method ${entry.method}: expected 0 (stored) or 8 (deflated)`, wording.rewrite);
  if (data.length !== entry.size) throw badFile(where, `unpacks to ${data.length} bytes but the zip directory says ${entry.size}`, wording.resave);
  if (crc32(data) >>> 0 !== entry.crc32) throw badFile(where, wording.crcMismatch, wording.resave);
  return data;
}

/** Count, size and offset of the central directory, from the end record or, when that overflows, the zip64 end record. */
function findDirectory(source: ZipSource, wording: ZipWording): { count: number; size: number; offset: number } {
  const { path } = source;
  // The end record (22 bytes plus a comment of up to 64 KiB) closes the file.
  const tailLength = Math.min(source.size, 22 + MAX16);
  const tailStart = source.size - tailLength;
  const tail = bufferOf(source.readAt(tailStart, tailLength));
  let end = -1;
  for (let p = tail.length - 22; p >= 0 && end < 0; p--) if (tail.readUInt32LE(p) === SIGNATURE.end) end = p;
  if (end < 0) throw badFile(path, wording.noEndRecord.problem, wording.noEndRecord.fix);
  const count = tail.readUInt16LE(end + 10);
  const size = tail.readUInt32LE(end + 12);
  const offset = tail.readUInt32LE(end + 16);
  if (count !== MAX16 && size !== MAX32 && offset !== MAX32) return { count, size, offset };
  const locatorPosition = tailStart + end - 20;
  const locator = locatorPosition < 0 ? undefined : bufferOf(source.readAt(locatorPosition, 20));
  if (locator === undefined || locator.readUInt32LE(0) !== SIGNATURE.locator64) {
    throw badFile(path, 'is a zip64 archive without its zip64 locator', wording.resave);
  }
  const damaged = damagedArchive(path, wording);
  const record = bufferOf(readChecked(source, u64(locator, 8, damaged), 56, wording));
  if (record.readUInt32LE(0) !== SIGNATURE.end64) throw badFile(path, 'is a zip64 archive without its zip64 end record', wording.resave);
  return { count: u64(record, 32, damaged), size: u64(record, 40, damaged), offset: u64(record, 48, damaged) };
}

/** `source.readAt`, after checking that the range lies inside the archive. */
function readChecked(source: ZipSource, position: number, length: number, wording: ZipWording): Uint8Array {
  if (position + length > source.size) {
    throw badFile(source.path, `is a truncated zip archive: it needs ${length} bytes at byte ${position} but has ${source.size} in all`, wording.resave);
  }
  return source.readAt(position, length);
}

function inflate(raw: Uint8Array, size: number, where: string, wording: ZipWording): Uint8Array {
  try {
    // One output chunk of the known size (no chunk list to concatenate), and never more than the directory promised.
    return inflateRawSync(raw, { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size) });
  } catch (error) {
    throw badFile(where, `cannot be inflated (${(error as Error).message})`, wording.resave);
  }
}

/** The zip64 extra field (id 1) holds, in order, the 64-bit values whose 32-bit fields are all ones. */
function applyZip64(extra: Buffer, entry: ZipEntry, damaged: (problem: string) => Error): void {
  for (let p = 0; p + 4 <= extra.length; p += 4 + extra.readUInt16LE(p + 2)) {
    if (extra.readUInt16LE(p) !== 1) continue;
    let q = p + 4;
    const fieldEnd = p + 4 + extra.readUInt16LE(p + 2);
    const next = (): number => {
      if (q + 8 > Math.min(fieldEnd, extra.length)) throw damaged(`the zip64 field of '${entry.name}' is too short`);
      q += 8;
      return u64(extra, q - 8, damaged);
    };
    if (entry.size === MAX32) entry.size = next();
    if (entry.compressedSize === MAX32) entry.compressedSize = next();
    if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = next();
    return;
  }
}

function u64(bytes: Buffer, offset: number, damaged: (problem: string) => Error): number {
  const value = bytes.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged(`it holds a size or offset of ${value}`);
  return Number(value);
}

/** The error for a directory whose fields contradict each other. */
function damagedArchive(path: string, wording: ZipWording): (problem: string) => Error {
  return (problem) => badFile(path, `is a damaged zip archive: ${problem}`, wording.resave);
}

/** A Buffer view of the same memory, for its little-endian readers (no copy). */
function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
