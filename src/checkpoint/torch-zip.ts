/**
 * The zip archives `torch.save` writes (PyTorch ≥ 1.6), read one entry at a time from the open file:
 * only the central directory and the entry being read are in memory, whatever the checkpoint's size.
 * The format itself is src/zip/archive.ts; this file adds the open file and messages worded for
 * checkpoints. torch.save stores entries uncompressed; deflated ones (an archive re-packed by a zip
 * tool) are inflated.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:buffer';
import { badFile } from '../errors.js';
import { readZipDirectory, readZipEntryData, type ZipEntry, type ZipSource, type ZipWording } from '../zip/archive.js';

export { looksLikeZip, type ZipEntry } from '../zip/archive.js';

const RESAVE = 'The file is truncated or damaged: save or download it again.';

const CHECKPOINT_WORDING: ZipWording = {
  entry: (path, name) => `${path} (entry ${name})`,
  resave: RESAVE,
  rewrite: 'Save the checkpoint again with torch.save.',
  noEndRecord: { problem: 'is a truncated zip archive: its end-of-central-directory record is missing', fix: RESAVE },
  crcMismatch: 'fails its CRC-32 check',
};

export class ZipFile {
  readonly path: string;
  readonly entries = new Map<string, ZipEntry>();
  readonly #fd: number;
  readonly #source: ZipSource;

  private constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'r');
    try {
      this.#source = { path, size: fstatSync(this.#fd).size, readAt: (position, length) => this.#readAt(position, length) };
      for (const entry of readZipDirectory(this.#source, CHECKPOINT_WORDING)) this.entries.set(entry.name, entry);
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
    return readZipEntryData(this.#source, entry, CHECKPOINT_WORDING);
  }

  /** Exactly `length` bytes at `position` (the shared reader has checked that the file holds them). */
  #readAt(position: number, length: number): Buffer {
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
}
