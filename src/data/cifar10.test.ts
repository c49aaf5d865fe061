import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pngjs from 'pngjs';
import { CIFAR10_CLASSES, loadCifar10, parseCifar10Batch } from './cifar10.js';
import { SHARED_DATA, tempDir } from './fixtures/helpers.js';

const tmp = tempDir('cifar');
after(tmp.remove);

/** Run fn with NORMALITY_CACHE pointing at a fresh folder. */
function withCache<T>(name: string, fn: (cache: string) => T): T {
  const saved = process.env.NORMALITY_CACHE;
  const cache = join(tmp.dir, `cache-${name}`);
  process.env.NORMALITY_CACHE = cache;
  try {
    return fn(cache);
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_CACHE;
    else process.env.NORMALITY_CACHE = saved;
  }
}

/** Records with label k % 10 and every pixel byte of image k equal to (seed + k) % 256. */
function batch(count: number, seed: number): Buffer {
  const out = Buffer.alloc(count * 3073);
  for (let k = 0; k < count; k++) {
    out[k * 3073] = (seed + k) % 10;
    out.fill((seed + k) % 256, k * 3073 + 1, (k + 1) * 3073);
  }
  return out;
}

test('binary batches, in the folder or in cifar-10-batches-bin/, and as a .tar.gz', () => {
  const root = join(tmp.dir, 'binary');
  const inner = join(root, 'cifar-10-batches-bin');
  mkdirSync(inner, { recursive: true });
  for (let i = 1; i <= 5; i++) writeFileSync(join(inner, `data_batch_${i}.bin`), batch(2, 10 * i));
  writeFileSync(join(inner, 'test_batch.bin'), batch(3, 7));
  const train = loadCifar10({ root, split: 'train' });
  assert.deepEqual(train.shape, [10, 3, 32, 32]);
  assert.deepEqual([...train.labels!], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
  assert.equal(train.x[3072 * 3], Math.fround(21 / 255));
  assert.deepEqual(train.classNames, [...CIFAR10_CLASSES]);
  const test = loadCifar10({ root: inner, split: 'test' });
  assert.deepEqual([...test.labels!], [7, 8, 9]);
  assert.equal(test.x[3072 * 2 + 5], Math.fround(9 / 255));

  const archive = join(tmp.dir, 'cifar-10-binary.tar.gz');
  assert.equal(spawnSync('tar', ['-czf', archive, '-C', root, 'cifar-10-batches-bin']).status, 0);
  withCache('binary', (cache) => {
    const fromArchive = loadCifar10({ root: archive, split: 'test' });
    assert.deepEqual([...fromArchive.labels!], [7, 8, 9]);
    assert.equal(readdirSync(join(cache, 'extracted')).length, 1);
    // A folder holding that one archive (as ../shared/data/cifar10 holds its own) means the archive.
    const holder = join(tmp.dir, 'holds-an-archive');
    mkdirSync(holder);
    copyFileSync(archive, join(holder, 'cifar-10-binary.tar.gz'));
    assert.deepEqual([...loadCifar10({ root: holder, split: 'test' }).labels!], [7, 8, 9]);
  });
});

test('binary batch and folder errors say what was expected', () => {
  assert.throws(() => parseCifar10Batch(Buffer.alloc(3072), 'b.bin'), {
    message: 'b.bin: has 3072 bytes: expected a multiple of 3073 (1 label byte + 3072 pixel bytes per image; an official batch is 30730000). Use the "CIFAR-10 binary version" batches (cifar-10-binary.tar.gz), not the Python or MATLAB ones.',
  });
  const bad = batch(1, 0);
  bad[0] = 12;
  assert.throws(() => parseCifar10Batch(bad, 'b.bin'), { message: 'b.bin: record 0 has label 12: expected 0..9.' });
  const empty = join(tmp.dir, 'empty');
  mkdirSync(empty);
  assert.throws(() => loadCifar10({ root: empty, split: 'test' }), {
    message: `CIFAR-10 test data not found at ${empty}. Expected test_batch.bin (binary batches) or a test/ folder with one sub-folder per class, in the folder or in cifar-10-batches-bin/; or pass the path of a .tar(.gz|.xz) archive of them as root (--data on the command line).`,
  });
  const partial = join(tmp.dir, 'partial');
  mkdirSync(partial);
  writeFileSync(join(partial, 'data_batch_1.bin'), batch(1, 0));
  assert.throws(() => loadCifar10({ root: partial, split: 'train' }), {
    message: `CIFAR-10 batch not found at ${join(partial, 'data_batch_2.bin')}. The train split needs data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin.`,
  });
});

function png(width: number, height: number, value: number): Buffer {
  const image = new pngjs.PNG({ width, height });
  image.data.fill(value);
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  return pngjs.PNG.sync.write(image, { colorType: 2 });
}

test('loadCifar10: a missing options object, a missing root or an unknown option is refused up front', () => {
  const call = loadCifar10 as (options?: unknown) => unknown;
  assert.throws(() => call(), {
    code: 'INVALID_ARGUMENT',
    message: "Expected an object with root (a folder or archive) and split ('train' or 'test') for loadCifar10 options but received undefined. For example: loadCifar10({ root: 'data/cifar-10-batches-bin', split: 'train' }).",
  });
  assert.throws(() => call({ split: 'test' }), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected the path of the CIFAR-10 binary batches, class folders or archive for root but received undefined.',
  });
  assert.throws(() => call({ root: '/nonexistent', split: 'test', cached: false }), {
    message: "Unknown option 'cached' for loadCifar10. Did you mean 'cache'? Its options: root, split, cache.",
  });
});

test('class folders: standard class order, natural file order, decoded-image cache, size errors', () => {
  const root = join(tmp.dir, 'folders');
  CIFAR10_CLASSES.forEach((name, k) => {
    mkdirSync(join(root, 'test', name), { recursive: true });
    writeFileSync(join(root, 'test', name, '10.png'), png(32, 32, 20 * k + 1));
    writeFileSync(join(root, 'test', name, '2.png'), png(32, 32, 20 * k));
  });
  withCache('folders', (cache) => {
    const data = loadCifar10({ root, split: 'test' });
    assert.deepEqual(data.shape, [20, 3, 32, 32]);
    assert.deepEqual([...data.labels!], CIFAR10_CLASSES.flatMap((_, k) => [k, k]));
    assert.equal(data.x[0], 0);
    assert.equal(data.x[3072 * 3], Math.fround(21 / 255)); // class 1, file 10.png after 2.png
    assert.equal(readdirSync(join(cache, 'cifar10')).length, 1);
    const again = loadCifar10({ root, split: 'test' });
    assert.deepEqual(again.x, data.x);
    assert.deepEqual(loadCifar10({ root, split: 'test', cache: false }).x, data.x);
    // An edited image is decoded again, and its entry replaces the old one.
    writeFileSync(join(root, 'test', 'airplane', '2.png'), png(32, 32, 99));
    assert.equal(loadCifar10({ root, split: 'test' }).x[0], Math.fround(99 / 255));
    assert.equal(readdirSync(join(cache, 'cifar10')).length, 1);
  });
  writeFileSync(join(root, 'test', 'cat', '3.png'), png(30, 32, 0));
  withCache('folders-bad', () => {
    assert.throws(() => loadCifar10({ root, split: 'test' }), {
      message: `${join(root, 'test', 'cat', '3.png')}: is 30x32 pixels but 32x32 (width x height) was expected. Every image in the folder must have the same size; resize them first.`,
    });
  });
  rmSync(join(root, 'test', 'truck'), { recursive: true });
  mkdirSync(join(root, 'test', 'lorry'));
  assert.throws(() => loadCifar10({ root, split: 'test', cache: false }), {
    message: `${join(root, 'test')}: has class folders airplane, automobile, bird, cat, deer, dog, frog, horse, lorry, ship: expected exactly airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck (missing truck) (unexpected lorry).`,
  });
});

const archive = join(SHARED_DATA, 'cifar10', 'cifar10-jpg.tar.xz');
test('the shared CIFAR-10 JPEG archive: test split, 1,000 per class (extracted and decoded once, then cached)', { skip: existsSync(archive) ? false : `${archive} is absent` }, (t) => {
  const start = performance.now();
  const data = loadCifar10({ root: archive, split: 'test' });
  const elapsed = performance.now() - start;
  assert.deepEqual(data.shape, [10000, 3, 32, 32]);
  const counts = new Array(10).fill(0);
  for (const label of data.labels!) counts[label]++;
  assert.deepEqual(counts, new Array(10).fill(1000));
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < data.x.length; i += 97) { min = Math.min(min, data.x[i]); max = Math.max(max, data.x[i]); }
  assert.ok(min >= 0 && max <= 1 && max > 0.9, `pixel range ${min}..${max}`);
  t.diagnostic(`CIFAR-10 test split loaded in ${elapsed.toFixed(0)} ms (cache: ${process.env.NORMALITY_CACHE || '~/.cache/normality'})`);
});
