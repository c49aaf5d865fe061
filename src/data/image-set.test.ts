import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pngjs from 'pngjs';
import { SHARED_DATA, tempDir, writePng } from './fixtures/helpers.js';
import { extractArchive } from './cache.js';
import { loadCifar10 } from './cifar10.js';
import { fitImage, loadImageSet } from './image-set.js';
import { takeSamples } from './arrays.js';

const tmp = tempDir('image-set');
after(tmp.remove);
// This file runs in its own process: its decoded-image cache lives in the temporary folder.
process.env.NORMALITY_CACHE = join(tmp.dir, 'cache');

const flatColour = (level: number) => () => [level, level, level] as [number, number, number];

/** One MVTec AD category: 3 normal training images, test/good 2, test/scratch 2 (numbered to check natural order). */
function writeMvtecCategory(root: string): void {
  for (const n of [10, 2, 1]) writePng(join(root, 'train', 'good', `${n}.png`), 64, 48, flatColour(100 + n));
  for (const n of [1, 2]) writePng(join(root, 'test', 'good', `${n}.png`), 64, 48, flatColour(110));
  for (const n of [1, 2]) writePng(join(root, 'test', 'scratch', `${n}.png`), 64, 48, flatColour(250));
  // MVTec's masks sit beside train/ and test/, not inside test/: they are not test images.
  writePng(join(root, 'ground_truth', 'scratch', '1_mask.png'), 64, 48, flatColour(255));
  // The left half of scratch 2 is the defect.
  writePng(join(root, 'ground_truth', 'scratch', '2_mask.png'), 64, 48, (x) => (x < 32 ? [255, 255, 255] : [0, 0, 0]));
}

test('the MVTec AD layout: train/good to train on, test/good normal, every other test folder anomalous', () => {
  const root = join(tmp.dir, 'bottle');
  writeMvtecCategory(root);
  const set = loadImageSet(root, { channels: 3, height: 32, width: 32 });
  assert.equal(set.layout, 'mvtec');
  assert.deepEqual(set.train.shape, [3, 3, 32, 32]);
  assert.deepEqual(set.train.files, ['train/good/1.png', 'train/good/2.png', 'train/good/10.png']);
  assert.equal(set.train.labels, undefined);
  assert.deepEqual(set.test.files, ['test/good/1.png', 'test/good/2.png', 'test/scratch/1.png', 'test/scratch/2.png']);
  assert.deepEqual([...set.test.labels!], [0, 0, 1, 1]);
  assert.deepEqual(takeSamples(set.test, [3, 0]).files, ['test/scratch/2.png', 'test/good/1.png'], 'a subset keeps each sample\'s file');
  // A flat grey image stays that grey, in [0, 1], on every channel and pixel after resizing.
  assert.ok(set.train.x.subarray(0, 3 * 32 * 32).every((v) => v === Math.fround(101 / 255)));
  assert.ok(set.test.x.subarray(3 * 3 * 32 * 32).every((v) => v === Math.fround(250 / 255)));
  // ground_truth/: a 0/1 mask per test image at the network's size; good images have none (all 0).
  const mask = (i: number) => [...set.test.masks!.subarray(i * 32 * 32, (i + 1) * 32 * 32)];
  assert.equal(set.test.masks!.length, 4 * 32 * 32);
  assert.ok(mask(0).every((v) => v === 0) && mask(1).every((v) => v === 0));
  assert.ok(mask(2).every((v) => v === 1));
  assert.deepEqual(mask(3).slice(0, 32), [...new Array(16).fill(1), ...new Array(16).fill(0)], 'the left half, resized');
  assert.deepEqual([...takeSamples(set.test, [3]).masks!], mask(3), 'a subset keeps each sample\'s mask');

  const gray = loadImageSet(root, { channels: 1, height: 28, width: 28, maxTrain: 2, maxTest: 3, seed: 5 });
  assert.deepEqual(gray.train.shape, [2, 1, 28, 28]);
  assert.equal(gray.test.shape[0], 3);
  assert.equal(gray.test.labels!.length, 3);
  const order = (files: string[]) => files.map((f) => Number(f.match(/(\d+)\.png$/)![1]));
  assert.deepEqual(order(gray.train.files!), [...order(gray.train.files!)].sort((a, b) => a - b), 'a subset keeps name order');
  assert.deepEqual(loadImageSet(root, { channels: 1, height: 28, width: 28, maxTrain: 2, seed: 5 }).train.files, gray.train.files, 'the same seed picks the same subset');
});

test('an anomalous test image without its ground_truth mask is named; without ground_truth/ there are no masks', () => {
  const root = join(tmp.dir, 'screw');
  writeMvtecCategory(root);
  rmSync(join(root, 'ground_truth', 'scratch', '2_mask.png'));
  assert.throws(() => loadImageSet(root, { channels: 1, height: 28, width: 28 }), {
    message: `${join(root, 'ground_truth', 'scratch')}: has no mask for test/scratch/2.png: expected 2_mask.png. ` +
      'In the MVTec AD layout every anomalous test image has a mask of its name plus _mask; without ground_truth/ the images are measured by their scores alone.',
  });
  // A mask of another size than its image would mark the wrong pixels: refused.
  writePng(join(root, 'ground_truth', 'scratch', '2_mask.png'), 48, 64, flatColour(255));
  assert.throws(() => loadImageSet(root, { channels: 1, height: 28, width: 28 }), {
    message: `${join(root, 'ground_truth', 'scratch', '2_mask.png')}: is 48×64 but its image test/scratch/2.png is 64×48. A mask marks the pixels of its own image: it must have the same size.`,
  });
  // A mask saved as 0/1 instead of 0/255 marks the same pixels.
  writePng(join(root, 'ground_truth', 'scratch', '2_mask.png'), 64, 48, (x) => (x < 32 ? [1, 1, 1] : [0, 0, 0]));
  const masks = loadImageSet(root, { channels: 1, height: 32, width: 32 }).test.masks!;
  assert.deepEqual([...masks.subarray(3 * 32 * 32, 3 * 32 * 32 + 32)], [...new Array(16).fill(1), ...new Array(16).fill(0)]);
  rmSync(join(root, 'ground_truth'), { recursive: true });
  assert.equal(loadImageSet(root, { channels: 1, height: 28, width: 28 }).test.masks, undefined);
});

test('folders and images linked into place are followed', () => {
  const source = join(tmp.dir, 'linked-source');
  writeMvtecCategory(source);
  const root = join(tmp.dir, 'linked');
  mkdirSync(join(root, 'test'), { recursive: true });
  symlinkSync(join(source, 'train'), join(root, 'train'));
  symlinkSync(join(source, 'test', 'good'), join(root, 'test', 'good'));
  mkdirSync(join(root, 'test', 'scratch'));
  symlinkSync(join(source, 'test', 'scratch', '2.png'), join(root, 'test', 'scratch', 'b.png'));
  const set = loadImageSet(root, { channels: 1, height: 8, width: 8, cache: false });
  assert.deepEqual(set.train.files, ['train/good/1.png', 'train/good/2.png', 'train/good/10.png']);
  assert.deepEqual(set.test.files, ['test/good/1.png', 'test/good/2.png', 'test/scratch/b.png']);
  assert.deepEqual([...set.test.labels!], [0, 0, 1]);
});

test('a folder of images alone: every image trains and every image is scored, unlabelled', () => {
  const root = join(tmp.dir, 'line');
  const levels: Record<string, number> = { 'b.png': 60, 'a.png': 50, 'c.png': 70 };
  for (const [name, level] of Object.entries(levels)) writePng(join(root, name), 40, 40, flatColour(level));
  writeFileSync(join(root, 'notes.txt'), 'not an image');
  writeFileSync(join(root, '._a.png'), 'macOS resource fork');
  const set = loadImageSet(root, { channels: 1, height: 28, width: 28 });
  assert.equal(set.layout, 'flat');
  assert.deepEqual(set.train.files, ['a.png', 'b.png', 'c.png']);
  assert.deepEqual(set.test.files, set.train.files);
  assert.equal(set.test.labels, undefined);
  const some = loadImageSet(root, { channels: 1, height: 28, width: 28, maxTrain: 2, seed: 3 });
  assert.equal(some.train.files!.length, 2);
  assert.deepEqual(some.test.files, ['a.png', 'b.png', 'c.png']);
  for (const part of [some.train, some.test]) {
    part.files!.forEach((file, i) => assert.equal(part.x[i * 28 * 28], Math.fround(levels[file]! / 255), `${file}'s pixels stay with its name`));
  }
  // One photo to check: the path of an image file is a set of that one image.
  const one = loadImageSet(join(root, 'b.png'), { channels: 1, height: 28, width: 28 });
  assert.deepEqual([one.layout, one.test.files, one.test.shape], ['flat', ['b.png'], [1, 1, 28, 28]]);
  assert.equal(one.test.x[0], Math.fround(60 / 255));
  assert.throws(() => loadImageSet(join(root, 'notes.txt'), { channels: 1, height: 28, width: 28 }), /notes\.txt: is not a \.jpg, \.jpeg, \.png, \.bmp, \.tif or \.tiff image, nor a folder of them\.$/);
});

test('a large image is averaged down, not aliased: thin stripes become their mean grey', () => {
  // Stripes 4 pixels wide every 8: sampling at 1 of 8 pixels would see only white or only black.
  const size = 256;
  const png = new pngjs.PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) {
    const level = [2, 3, 4, 5].includes((i % size) % 8) ? 255 : 0;
    png.data.set([level, level, level, 255], i * 4);
  }
  const image = { width: size, height: size, channels: 4 as const, data: new Uint8Array(png.data) };
  const fitted = fitImage(image, { channels: 1, height: 32, width: 32 });
  assert.deepEqual([fitted.width, fitted.height, fitted.channels], [32, 32, 1]);
  for (const v of fitted.data) assert.ok(Math.abs(v - 127.5) <= 1, `pixel ${v}: expected the stripes' mean, 127.5`);
});

test('decoded images are cached: a second load reads the cache, an edited image is decoded again', () => {
  const root = join(tmp.dir, 'cached');
  const cache = join(tmp.dir, 'cache-of-this-test');
  process.env.NORMALITY_CACHE = cache;
  for (const name of ['1.png', '2.png']) writePng(join(root, name), 16, 16, flatColour(40));
  const calls: string[] = [];
  const options = { channels: 1, height: 8, width: 8, onProgress: (done: number, total: number, part: string) => calls.push(`${part} ${done}/${total}`) } as const;
  assert.ok(loadImageSet(root, options).train.x.every((v) => v === Math.fround(40 / 255)));
  assert.deepEqual(calls, ['all 1/2', 'all 2/2'], 'progress for each decoded image');
  const entries = readdirSync(join(cache, 'images'));
  assert.equal(entries.length, 1);
  // Overwrite the cached pixels: the next load must return them, proving it read the cache.
  const entry = join(cache, 'images', entries[0]!);
  const bytes = readFileSync(entry);
  bytes.fill(7, bytes.length - 2 * 64);
  writeFileSync(entry, bytes);
  assert.ok(loadImageSet(root, options).train.x.every((v) => v === Math.fround(7 / 255)));
  assert.equal(calls.length, 2, 'nothing decoded on a cache hit');
  assert.ok(loadImageSet(root, { ...options, cache: false }).train.x.every((v) => v === Math.fround(40 / 255)), 'cache: false decodes');
  // An edited image (new time) misses the cache, and its new entry replaces the old one.
  utimesSync(join(root, '2.png'), new Date(), new Date(Date.now() + 5000));
  assert.ok(loadImageSet(root, options).train.x.every((v) => v === Math.fround(40 / 255)));
  assert.deepEqual(readdirSync(join(cache, 'images')), entries);
  // Other pixels of the same size under the old modification time (cp -p, rsync -a) miss the cache too.
  const before = statSync(join(root, '2.png'));
  writePng(join(root, '2.png'), 16, 16, flatColour(41));
  utimesSync(join(root, '2.png'), before.atime, before.mtime);
  assert.equal(statSync(join(root, '2.png')).size, before.size);
  assert.deepEqual(new Set(loadImageSet(root, options).train.x), new Set([Math.fround(40 / 255), Math.fround(41 / 255)]));
  process.env.NORMALITY_CACHE = join(tmp.dir, 'cache');
});

test('images of formats not read here are left out and listed, not dropped silently; one given alone is refused', () => {
  const root = join(tmp.dir, 'mixed-formats');
  writePng(join(root, '1.png'), 8, 8, flatColour(1));
  writeFileSync(join(root, '2.webp'), 'RIFF....WEBP');
  writeFileSync(join(root, 'notes.txt'), 'not an image');
  const set = loadImageSet(root, { channels: 1, height: 8, width: 8 });
  assert.deepEqual([set.train.files, set.skipped], [['1.png'], ['2.webp']]);
  assert.throws(() => loadImageSet(join(root, '2.webp'), { channels: 1, height: 8, width: 8 }), {
    message: `${join(root, '2.webp')}: is not a .jpg, .jpeg, .png, .bmp, .tif or .tiff image, nor a folder of them. Convert it to PNG.`,
  });
  // A folder of skipped images alone is not empty: the refusal says what was skipped, and why.
  const webpOnly = join(tmp.dir, 'webp-only');
  mkdirSync(webpOnly);
  writeFileSync(join(webpOnly, 'a.webp'), 'RIFF....WEBP');
  assert.throws(() => loadImageSet(webpOnly, { channels: 1, height: 8, width: 8 }), {
    message: `${webpOnly}: holds no images of the formats read here (.jpg, .jpeg, .png, .bmp, .tif, .tiff): 1 .webp file (a.webp) was skipped, as its format is not read. ` +
      'Convert it to PNG. Give a folder of normal images, or one with train/good and test/<good|defect> folders (MVTec AD layout).',
  });
  writeFileSync(join(webpOnly, 'b.webp'), 'RIFF....WEBP');
  writeFileSync(join(webpOnly, 'c.GIF'), 'GIF89a');
  assert.throws(() => loadImageSet(webpOnly, { channels: 1, height: 8, width: 8 }), { message: /: 2 \.webp files and 1 \.gif file \(a\.webp, b\.webp, c\.GIF\) were skipped, as their formats are not read\. Convert them to PNG\./ });
});

test('MVTec layout: images outside the folders it reads (directly in test/, or in train/ beside train/good) are left out and listed', () => {
  const root = join(tmp.dir, 'loose');
  writePng(join(root, 'train', 'good', '1.png'), 8, 8, flatColour(1));
  writePng(join(root, 'train', 'stray.png'), 8, 8, flatColour(2));
  writePng(join(root, 'test', 'good', '1.png'), 8, 8, flatColour(1));
  writePng(join(root, 'test', 'scratch', '1.png'), 8, 8, flatColour(200));
  writePng(join(root, 'test', 'loose.png'), 8, 8, flatColour(200));
  writeFileSync(join(root, 'test', 'loose.webp'), 'RIFF....WEBP');
  const set = loadImageSet(root, { channels: 1, height: 8, width: 8 });
  assert.deepEqual(set.test.files, ['test/good/1.png', 'test/scratch/1.png']);
  assert.deepEqual(set.misplaced, ['train/stray.png', 'test/loose.png', 'test/loose.webp']);
  assert.deepEqual(loadImageSet(root, { channels: 1, height: 8, width: 8, withTest: false }).misplaced, ['train/stray.png'], 'test/ unread: not listed');
});

test('bad image folders are named with what was expected', () => {
  assert.throws(() => loadImageSet(join(tmp.dir, 'missing'), { channels: 3, height: 32, width: 32 }), /Image folder not found at .*missing/);
  const empty = join(tmp.dir, 'empty');
  mkdirSync(empty);
  assert.throws(() => loadImageSet(empty, { channels: 3, height: 32, width: 32 }), /empty: holds no images .*MVTec AD layout/s);
  const noTest = join(tmp.dir, 'no-test');
  writePng(join(noTest, 'train', 'good', '1.png'), 8, 8, flatColour(1));
  // withTest: false reads train/ alone, whatever test/ holds (a broken test image does not stop training).
  const corruptTest = join(tmp.dir, 'corrupt-test');
  writePng(join(corruptTest, 'train', 'good', '1.png'), 8, 8, flatColour(1));
  writePng(join(corruptTest, 'test', 'good', '1.png'), 8, 8, flatColour(1));
  writeFileSync(join(corruptTest, 'test', 'good', '2.png'), 'not a png');
  assert.throws(() => loadImageSet(corruptTest, { channels: 3, height: 32, width: 32 }), /2\.png: is not a JPEG, PNG, TIFF or BMP image/);
  assert.deepEqual(loadImageSet(corruptTest, { channels: 3, height: 32, width: 32, withTest: false }).test.shape, [0, 3, 32, 32]);
  // train/ alone trains, with nothing to test; a test/ without good/ is a mistake.
  const trainOnly = loadImageSet(noTest, { channels: 3, height: 32, width: 32 });
  assert.deepEqual([trainOnly.train.shape[0], trainOnly.test.shape, trainOnly.test.labels!.length], [1, [0, 3, 32, 32], 0]);
  writePng(join(noTest, 'test', 'scratch', '1.png'), 8, 8, flatColour(1));
  assert.throws(() => loadImageSet(noTest, { channels: 3, height: 32, width: 32 }), /test\/good.*test\/scratch/s);
  const corrupt = join(tmp.dir, 'corrupt');
  writePng(join(corrupt, '1.png'), 8, 8, flatColour(1));
  writeFileSync(join(corrupt, '2.png'), 'truncated');
  assert.throws(() => loadImageSet(corrupt, { channels: 3, height: 32, width: 32 }), /corrupt\/2\.png: is not a JPEG, PNG, TIFF or BMP image/);
});

const cifarArchive = join(SHARED_DATA, 'cifar10', 'cifar10-jpg.tar.xz');
test('options are checked before the folder is read: sizes, caps, unknown keys, a missing options object', () => {
  const empty = join(tmp.dir, 'empty-for-options');
  mkdirSync(empty, { recursive: true });
  const call = loadImageSet as (root: string, options?: unknown) => unknown;
  assert.throws(() => call(empty), {
    code: 'INVALID_ARGUMENT',
    message: "Expected an object with channels (1 or 3), height and width: the network's input in pixels for loadImageSet options but received undefined. "
      + "For example: loadImageSet('bottle/', { channels: 3, height: 32, width: 32 }).",
  });
  const size = { channels: 1, height: 8, width: 8 };
  for (const height of [-8, 0, 8.5]) {
    assert.throws(() => call(empty, { ...size, height }), {
      code: 'INVALID_ARGUMENT',
      message: `Expected a whole number of pixels from 1 to 4096 for options.height but received ${height} of type number.`,
    });
  }
  assert.throws(() => call(empty, { ...size, height: 1e5, width: 1e5 }), {
    message: 'Expected a whole number of pixels from 1 to 4096 for options.width but received 100000 of type number. '
      + 'Sides above 4096 are refused: one 3 × 4096 × 4096 image would take 200 MB as float32.',
  });
  assert.throws(() => call(empty, { ...size, channels: 2 }), { message: 'Expected 1 (gray) or 3 (RGB) for options.channels but received 2 of type number.' });
  for (const maxTrain of [0, -5, 1.5]) {
    assert.throws(() => call(empty, { ...size, maxTrain }), {
      code: 'INVALID_ARGUMENT',
      message: `Expected a whole number of images >= 1, or undefined for all, for options.maxTrain but received ${maxTrain} of type number.`,
    });
  }
  assert.throws(() => call(empty, { ...size, maxTest: '2' }), /for options\.maxTest but received '2' of type string/);
  assert.throws(() => call(empty, { ...size, seed: 0.5 }), /Expected a whole number for options\.seed but received 0\.5/);
  assert.throws(() => call(empty, { ...size, maxtrain: 2 }), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'maxtrain' for loadImageSet. Did you mean 'maxTrain'? Its options: channels, height, width, maxTrain, maxTest, seed, withTest, cache, onProgress.",
  });
  assert.throws(() => call(empty, size), /holds no images/, 'valid options reach the folder');
});

test("CIFAR-10's test cats as an image set give exactly the CIFAR-10 loader's pixels", { skip: existsSync(cifarArchive) ? false : `${cifarArchive} is absent` }, () => {
  // The user's cache, as cifar10.test.ts uses it: the archive is extracted once for both.
  const saved = process.env.NORMALITY_CACHE;
  delete process.env.NORMALITY_CACHE;
  try {
    const extracted = extractArchive(cifarArchive);
    const root = join(tmp.dir, 'cifar-cats');
    mkdirSync(join(root, 'test'), { recursive: true });
    symlinkSync(join(extracted, 'test', 'cat'), join(root, 'train'));
    symlinkSync(join(extracted, 'test', 'cat'), join(root, 'test', 'good'));
    symlinkSync(join(extracted, 'test', 'dog'), join(root, 'test', 'dog'));
    const set = loadImageSet(root, { channels: 3, height: 32, width: 32, cache: false });
    assert.deepEqual([set.train.shape, set.test.shape], [[1000, 3, 32, 32], [2000, 3, 32, 32]]);
    const cifar = loadCifar10({ root: cifarArchive, split: 'test' });
    const cats = [...cifar.labels!.keys()].filter((i) => cifar.labels![i] === 3);
    const expected = takeSamples(cifar, cats).x;
    assert.equal(Buffer.compare(Buffer.from(set.train.x.buffer), Buffer.from(expected.buffer)), 0);
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_CACHE;
    else process.env.NORMALITY_CACHE = saved;
  }
});
