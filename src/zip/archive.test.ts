// The shared zip reader over an in-memory source: zip64 fields, and damaged archives named by the caller's wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, deflateRawSync } from 'node:zlib';
import { looksLikeZip, readZipDirectory, readZipEntryData, type ZipSource, type ZipWording } from './archive.js';

const WORDING: ZipWording = {
  entry: (path, name) => `${path}[${name}]`,
  resave: 'Save it again.',
  rewrite: 'Write it plainly.',
  noEndRecord: { problem: 'has no end record', fix: 'Check it.' },
  crcMismatch: 'fails its CRC-32 check',
};

const source = (bytes: Buffer): ZipSource => ({ path: 'a.zip', size: bytes.length, readAt: (p, n) => bytes.subarray(p, p + n) });

interface Member { name: string; data: Buffer; deflate?: boolean; flags?: number; zip64?: boolean }

/** A zip of `members`; with `zip64`, the member's sizes and offset live only in its zip64 extra field. */
function zipOf(members: Member[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, deflate = false, flags = 0, zip64 = false } of members) {
    const packed = deflate ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(nameBytes.length, 26);
    const extra = zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
    if (zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(data.length), 4);
      extra.writeBigUInt64LE(BigInt(packed.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(data) >>> 0, 16);
    central.writeUInt32LE(zip64 ? 0xffffffff : packed.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    parts.push(local, nameBytes, packed);
    centrals.push(central, nameBytes, extra);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const text = Buffer.from('the same bytes, stored or deflated '.repeat(4));

test('reads stored, deflated and zip64-described entries alike', () => {
  const zip = zipOf([{ name: 'a', data: text }, { name: 'b', data: text, deflate: true }, { name: 'c', data: text, zip64: true }]);
  const entries = readZipDirectory(source(zip), WORDING);
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.size]), [['a', 0, text.length], ['b', 8, text.length], ['c', 0, text.length]]);
  for (const entry of entries) assert.deepEqual(Buffer.from(readZipEntryData(source(zip), entry, WORDING)), text, entry.name);
  assert.equal(looksLikeZip(zip), true);
  assert.equal(looksLikeZip(text), false);
});

test('damaged archives are reported in the caller\'s wording', () => {
  assert.throws(() => readZipDirectory(source(text), WORDING), { code: 'BAD_FILE', message: 'a.zip: has no end record. Check it.' });
  const zip = zipOf([{ name: 'a', data: text }]);
  assert.throws(() => readZipDirectory(source(zip.subarray(30 + 1 + text.length - 10)), WORDING), {
    message: `a.zip: is a truncated zip archive: it needs 47 bytes at byte ${30 + 1 + text.length} but has ${47 + 22 + 10} in all. Save it again.`,
  });
  const [entry] = readZipDirectory(source(zip), WORDING);
  const flipped = Buffer.from(zip);
  flipped[31] ^= 0xff;
  assert.throws(() => readZipEntryData(source(flipped), entry!, WORDING), { message: 'a.zip[a]: fails its CRC-32 check. Save it again.' });
  assert.throws(() => readZipEntryData(source(zip), { ...entry!, size: 3 }, WORDING), { message: `a.zip[a]: unpacks to ${text.length} bytes but the zip directory says 3. Save it again.` });
  const locked = zipOf([{ name: 'a', data: text, flags: 1 }]);
  assert.throws(() => readZipEntryData(source(locked), readZipDirectory(source(locked), WORDING)[0]!, WORDING), {
    message: 'a.zip[a]: is encrypted, which is not supported. Write it plainly.',
  });
  const short = zipOf([{ name: 'a', data: text, zip64: true }]);
  short.writeUInt16LE(8, short.length - 22 - 28 + 2); // the zip64 field claims only one of its three values
  assert.throws(() => readZipDirectory(source(short), WORDING), { message: "a.zip: is a damaged zip archive: the zip64 field of 'a' is too short. Save it again." });
  const zip64End = Buffer.from(zip);
  zip64End.writeUInt32LE(0xffffffff, zip64End.length - 22 + 16);
  assert.throws(() => readZipDirectory(source(zip64End), WORDING), { message: 'a.zip: is a zip64 archive without its zip64 locator. Save it again.' });
});
