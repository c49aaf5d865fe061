import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromBase64, SHARED_DATA } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { npzKeys, parseNpz, readNpz } from './npz.js';

const { files, X, y } = references.npz;

test('reads .npz archives from numpy.savez, savez_compressed and zip64 records', () => {
  for (const name of ['stored', 'compressed', 'zip64']) {
    const bytes = fromBase64(files[name].b64);
    assert.deepEqual(npzKeys(bytes, name), ['X', 'y'], name);
    const arrays = parseNpz(bytes, name);
    assert.deepEqual(arrays.X.shape, [3, 4], name);
    assert.deepEqual([...arrays.X.data], X, name);
    assert.equal(arrays.y.dtype, 'int64');
    assert.deepEqual(Array.from(arrays.y.data as BigInt64Array, Number), y, name);
  }
  const onlyY = parseNpz(fromBase64(files.compressed.b64), 'c.npz', ['y']);
  assert.deepEqual(Object.keys(onlyY), ['y']);
});

test('corrupt archives are named with what went wrong', () => {
  const bytes = fromBase64(files.compressed.b64);
  assert.throws(() => parseNpz(bytes, 'c.npz', ['Z']), { message: "c.npz: has no array 'Z': its arrays are 'X', 'y'." });
  assert.throws(() => parseNpz(bytes.subarray(0, 100), 'c.npz'), {
    message: 'c.npz: is not a zip archive (no end-of-central-directory record). A .npz file is a zip written by numpy.savez; check that the file is complete.',
  });
  assert.throws(() => parseNpz(Buffer.from('just text, not a zip at all........'), 't.npz'), /t\.npz: is not a zip archive/);
  // Flip a byte of the first member's compressed data: inflate or the CRC check must fail.
  const damaged = Buffer.from(fromBase64(files.stored.b64));
  damaged[30 + 'X.npy'.length + 140] ^= 0xff;
  assert.throws(() => parseNpz(damaged, 's.npz'), { message: 's.npz:X.npy: fails its CRC-32 check: the archive is corrupt. Download or save the file again.' });
  // An unsupported compression method in the central directory.
  const method = Buffer.from(bytes);
  const central = method.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  method.writeUInt16LE(12, central + 10);
  assert.throws(() => parseNpz(method, 'm.npz'), {
    message: 'm.npz:X.npy: uses zip compression method 12: expected 0 (stored) or 8 (deflated). Save it with numpy.savez or numpy.savez_compressed.',
  });
});

const adbench = join(SHARED_DATA, 'adbench');
test('ADBench .npz files match NumPy', { skip: existsSync(adbench) ? false : `${adbench} is absent` }, () => {
  for (const [name, ref] of Object.entries<any>(references.adbench)) {
    const { X: features, y: labels } = readNpz(join(adbench, name), ['X', 'y']);
    assert.deepEqual(features.shape, ref.shape, name);
    let sum = 0;
    for (const v of Array.from(features.data as ArrayLike<number>)) sum += Number(v);
    assert.ok(Math.abs(sum - ref.sum) <= 1e-9 * Math.max(1, Math.abs(ref.sum)), `${name}: sum ${sum} vs ${ref.sum}`);
    let anomalies = 0;
    for (const v of Array.from(labels.data as ArrayLike<number | bigint>)) anomalies += Number(v);
    assert.equal(anomalies, ref.anomalies, name);
  }
  assert.ok(readdirSync(adbench).filter((f) => f.endsWith('.npz')).length >= 40);
});
