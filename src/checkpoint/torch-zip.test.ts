// The zip reader on torch.save archives: stored and deflated entries, and damaged archives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listZipEntries, readZipEntry } from '../data/zip.js';
import { looksLikeZip, ZipFile } from './torch-zip.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../src/checkpoint/fixtures/${name}`, import.meta.url));

function withTemp(bytes: Uint8Array, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'normality-zip-'));
  try {
    const path = join(dir, 'damaged.pt');
    writeFileSync(path, bytes);
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('lists the entries of a torch.save archive and reads them, stored or deflated', () => {
  const stored = ZipFile.open(fixture('state_dict.pt'));
  const deflated = ZipFile.open(fixture('deflated.pt'));
  try {
    assert.deepEqual([...stored.entries.keys()].slice(0, 2), ['state_dict/data.pkl', 'state_dict/data/0']);
    assert.equal(stored.entries.get('state_dict/data/0')!.method, 0);
    assert.equal(deflated.entries.get('deflated/data/0')!.method, 8);
    assert.deepEqual(deflated.read('deflated/data/0'), stored.read('state_dict/data/0'));
    assert.equal(Buffer.from(stored.read('state_dict/version')).toString().trim(), '3');
    assert.throws(() => stored.read('state_dict/data/99'), {
      code: 'BAD_FILE', message: `${fixture('state_dict.pt')}: lacks the zip entry 'state_dict/data/99'. The file is truncated or damaged: save or download it again.`,
    });
  } finally {
    stored.close();
    deflated.close();
  }
});

test('looksLikeZip knows a zip by its first bytes', () => {
  assert.equal(looksLikeZip(readFileSync(fixture('state_dict.pt'))), true);
  assert.equal(looksLikeZip(readFileSync(fixture('legacy.pt'))), false);
  assert.equal(looksLikeZip(new Uint8Array(0)), false);
});

test('a truncated archive is named as such', () => {
  const bytes = readFileSync(fixture('state_dict.pt'));
  withTemp(bytes.subarray(0, 1000), (path) => {
    assert.throws(() => ZipFile.open(path), {
      code: 'BAD_FILE',
      message: `${path}: is a truncated zip archive: its end-of-central-directory record is missing. The file is truncated or damaged: save or download it again.`,
    });
  });
});

test('a damaged entry fails its CRC-32 check; a damaged directory is reported', () => {
  const bytes = Buffer.from(readFileSync(fixture('state_dict.pt')));
  const reader = ZipFile.open(fixture('state_dict.pt'));
  const entry = reader.entries.get('state_dict/data/0')!;
  reader.close();
  const damaged = Buffer.from(bytes);
  const local = entry.localHeaderOffset;
  damaged[local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28) + 5]! ^= 0xff;
  withTemp(damaged, (path) => {
    const zip = ZipFile.open(path);
    try {
      assert.throws(() => zip.read('state_dict/data/0'), { code: 'BAD_FILE', message: `${path} (entry state_dict/data/0): fails its CRC-32 check. The file is truncated or damaged: save or download it again.` });
    } finally {
      zip.close();
    }
  });
  const directory = bytes.readUInt32LE(bytes.length - 22 + 16);
  const noDirectory = Buffer.from(bytes);
  noDirectory.fill(0, directory, directory + 4);
  withTemp(noDirectory, (path) => {
    assert.throws(() => ZipFile.open(path), { code: 'BAD_FILE', message: /is a damaged zip archive: central directory entry 0 is malformed/ });
  });
});

test('the file-backed reader and the in-memory one (for .npz) agree on the same archive', () => {
  const bytes = readFileSync(fixture('deflated.pt'));
  const inMemory = listZipEntries(bytes, 'deflated.pt');
  const zip = ZipFile.open(fixture('deflated.pt'));
  try {
    assert.deepEqual(inMemory, [...zip.entries.values()]);
    for (const entry of inMemory) assert.deepEqual(Buffer.from(readZipEntry(bytes, entry, 'deflated.pt')), Buffer.from(zip.read(entry.name)), entry.name);
  } finally {
    zip.close();
  }
});
