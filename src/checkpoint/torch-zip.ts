/**
 * The zip archives `torch.save` writes (PyTorch ≥ 1.6), read one entry at a time from the open file:
 * only the central directory and the entry being read are in memory, whatever the checkpoint's size.
 * torch.save stores entries uncompressed; deflated ones (an archive re-packed by a zip tool) are
 * inflated. zip64 records are followed; every entry is checked against its size and CRC-32.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:buffer';
import { crc32, inflateRawSync } from 'node:zlib';
import { badFile } from '../errors.js';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const SIGNATURE = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, end64: 0x06064b50, locator64: 0x07064b50 };
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
const RESAVE = 'The file is truncated or damaged: save or download it again.';

/** Whether a file's first bytes are those of a zip archive. */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && head[3] === head[2] + 1;
}

export class ZipFile {
  readonly path: string;
  readonly entries = new Map<string, ZipEntry>();
  readonly #fd: number;
  readonly #fileSize: number;

  private constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'r');
    try {
      this.#fileSize = fstatSync(this.#fd).size;
      this.#readCentralDirectory();
    } catch (error) {
      closeSync(this.#fd);
      throw error;
    }
  }

  /** Open an archive and read its directory; close it with `close()`. */
  static open(path: string): ZipFile {
    return new ZipFile(path);
  }

  close(): void {
    closeSync(this.#fd);
  }

  /** The uncompressed bytes of one entry. */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    if (entry === undefined) throw badFile(this.path, `lacks the zip entry '${name}'`, RESAVE);
    const where = `${this.path} (entry ${name})`;
    if (entry.flags & 1) throw badFile(where, 'is encrypted', 'Save the checkpoint again without a password.');
    const header = this.#readAt(entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== SIGNATURE.local) throw badFile(where, `has no local zip header at byte ${entry.localHeaderOffset}`, RESAVE);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const raw = this.#readAt(start, entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) data = inflate(raw, entry.size, where);
    else throw badFile(where, `uses zip compression method ${entry.method}: expected 0 (stored) or 8 (deflated)`, 'Save the checkpoint again with torch.save.');
    if (data.length !== entry.size) throw badFile(where, `unpacks to ${data.length} bytes but the zip directory says ${entry.size}`, RESAVE);
    if (crc32(data) >>> 0 !== entry.crc32) throw badFile(where, 'fails its CRC-32 check', RESAVE);
    return data;
  }

  /** Exactly `length` bytes at `position`, or a BAD_FILE error when the file ends first. */
  #readAt(position: number, length: number): Buffer {
    if (position + length > this.#fileSize) {
      throw badFile(this.path, `is a truncated zip archive: it needs ${length} bytes at byte ${position} but has ${this.#fileSize} in all`, RESAVE);
    }
    if (length > constants.MAX_LENGTH) {
      throw badFile(this.path, `holds a zip entry of ${length} bytes, more than Node.js can hold in one buffer (${constants.MAX_LENGTH})`,
        'Split the checkpoint into smaller files.');
    }
    const buffer = Buffer.allocUnsafe(length);
    for (let done = 0; done < length;) {
      const read = readSync(this.#fd, buffer, done, Math.min(length - done, 1 << 30), position + done);
      if (read === 0) throw badFile(this.path, `ended while being read at byte ${position + done}`, RESAVE);
      done += read;
    }
    return buffer;
  }

  #readCentralDirectory(): void {
    // The end record (22 bytes plus a comment of up to 64 KiB) closes the file.
    const tailLength = Math.min(this.#fileSize, 22 + MAX16);
    const tail = this.#readAt(this.#fileSize - tailLength, tailLength);
    let end = -1;
    for (let p = tail.length - 22; p >= 0 && end < 0; p--) if (tail.readUInt32LE(p) === SIGNATURE.end) end = p;
    if (end < 0) {
      throw badFile(this.path, 'is a truncated zip archive: its end-of-central-directory record is missing', RESAVE);
    }
    let count = tail.readUInt16LE(end + 10);
    let size = tail.readUInt32LE(end + 12);
    let offset = tail.readUInt32LE(end + 16);
    if (count === MAX16 || size === MAX32 || offset === MAX32) {
      const endPosition = this.#fileSize - tailLength + end;
      const locator = this.#readAt(endPosition - 20, 20);
      if (locator.readUInt32LE(0) !== SIGNATURE.locator64) throw badFile(this.path, 'is a zip64 archive without its zip64 locator', RESAVE);
      const record = this.#readAt(safe(locator.readBigUInt64LE(8), this.path), 56);
      if (record.readUInt32LE(0) !== SIGNATURE.end64) throw badFile(this.path, 'is a zip64 archive without its zip64 end record', RESAVE);
      count = safe(record.readBigUInt64LE(32), this.path);
      size = safe(record.readBigUInt64LE(40), this.path);
      offset = safe(record.readBigUInt64LE(48), this.path);
    }
    const directory = this.#readAt(offset, size);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > directory.length || directory.readUInt32LE(p) !== SIGNATURE.central) {
        throw badFile(this.path, `is a damaged zip archive: central directory entry ${i} is malformed`, RESAVE);
      }
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      if (p + 46 + nameLength + extraLength > directory.length) {
        throw badFile(this.path, `is a damaged zip archive: central directory entry ${i} runs past the directory`, RESAVE);
      }
      const entry: ZipEntry = {
        name: directory.toString('utf8', p + 46, p + 46 + nameLength),
        flags: directory.readUInt16LE(p + 8),
        method: directory.readUInt16LE(p + 10),
        crc32: directory.readUInt32LE(p + 16),
        compressedSize: directory.readUInt32LE(p + 20),
        size: directory.readUInt32LE(p + 24),
        localHeaderOffset: directory.readUInt32LE(p + 42),
      };
      applyZip64(directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), entry, this.path);
      this.entries.set(entry.name, entry);
      p += 46 + nameLength + extraLength + directory.readUInt16LE(p + 32);
    }
  }
}

function inflate(raw: Uint8Array, size: number, where: string): Uint8Array {
  try {
    // One output chunk of the known size, and never more than the directory promised.
    return inflateRawSync(raw, { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size) });
  } catch (error) {
    throw badFile(where, `cannot be inflated (${(error as Error).message})`, RESAVE);
  }
}

/** The zip64 extra field (id 1) holds, in order, the 64-bit values whose 32-bit fields are all ones. */
function applyZip64(extra: Buffer, entry: ZipEntry, path: string): void {
  for (let p = 0; p + 4 <= extra.length; p += 4 + extra.readUInt16LE(p + 2)) {
    if (extra.readUInt16LE(p) !== 1) continue;
    let q = p + 4;
    const next = (): number => {
      if (q + 8 > extra.length) throw badFile(path, `is a damaged zip archive: the zip64 field of '${entry.name}' is too short`, RESAVE);
      q += 8;
      return safe(extra.readBigUInt64LE(q - 8), path);
    };
    if (entry.size === MAX32) entry.size = next();
    if (entry.compressedSize === MAX32) entry.compressedSize = next();
    if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = next();
    return;
  }
}

function safe(value: bigint, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw badFile(path, `is a damaged zip archive: it holds a size or offset of ${value}`, RESAVE);
  return Number(value);
}
