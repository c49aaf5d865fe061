import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeNpy } from '../npy.js';
import { ClipBatches, decodeFrames, loadVideoDataset, memaeClips, predictionWindows } from './index.js';
import { labelArrays, tempDir, writeFramesLayout, writeUcsdLayout } from './test-fixtures.js';

const dir = tempDir('video-dataset');
after(() => rmSync(dir, { recursive: true, force: true }));
const cacheDir = join(dir, 'cache');
const framesRoot = writeFramesLayout(join(dir, 'frames'), 20).root;
const ucsdRoot = writeUcsdLayout(join(dir, 'UCSDped2'), 20).root;

describe('loadVideoDataset', () => {
  it('loads a UCSD test split with the labels of UCSDped2.m, and reads the cache the second time', async () => {
    const options = { split: 'test', size: { width: 16, height: 12 }, channels: 1, cacheDir, workers: 0 } as const;
    const first = await loadVideoDataset(ucsdRoot, options);
    assert.deepEqual([first.layout, first.videos.map((v) => v.name), first.frameCounts, first.totalFrames],
      ['ucsd', ['Test001', 'Test002', 'Test003'], [20, 20, 20], 60]);
    assert.deepEqual(first.format, { width: 16, height: 12, channels: 1 });
    assert.deepEqual([first.labelFormat, first.labelSource], ['matlab-script', join(ucsdRoot, 'Test', 'UCSDped2.m')]);
    assert.deepEqual(first.labels, labelArrays(20));
    assert.equal(first.cache.decodedFrames, 60);
    const second = await loadVideoDataset(ucsdRoot, options);
    assert.equal(second.cache.decodedFrames, 0);
    assert.deepEqual(second.frames.readFrames(2, 0, 20), decodeFrames(first.videos[2].files, first.format));
    // UCSD masks give the same labels.
    const masks = await loadVideoDataset(ucsdRoot, { ...options, labels: join(ucsdRoot, 'Test') });
    assert.deepEqual([masks.labelFormat, masks.labels], ['pixel-masks', labelArrays(20)]);
  });

  it('loads the frames layout, its frame_labels npy, and feeds clip batches', async () => {
    const test = await loadVideoDataset(framesRoot, { split: 'test', size: 8, channels: 3, cacheDir, workers: 0 });
    assert.equal(test.labelFormat, 'concatenated-npy');
    assert.deepEqual(test.labels, labelArrays(20));
    const clips = memaeClips(test.frameCounts, { length: 16 });
    assert.equal(clips.count, 15);
    assert.equal(new ClipBatches(test.frames, clips).clips([0, 14]).length, 2 * 3 * 16 * 8 * 8);
    const train = await loadVideoDataset(framesRoot, { split: 'train', size: 8, channels: 3, cacheDir, workers: 0 });
    assert.deepEqual([train.labels, train.labelFormat], [undefined, undefined]);
    assert.equal(new ClipBatches(train.frames, predictionWindows(train.frameCounts)).prediction([0]).input.length, 12 * 64);
    const unlabelled = await loadVideoDataset(framesRoot, { split: 'test', size: 8, channels: 3, cacheDir, labels: false });
    assert.equal(unlabelled.labels, undefined);
  });

  it('takes the first maxVideos videos, decoding only them, with their part of a concatenated label file', async () => {
    const fresh = join(dir, 'cache-first-two');
    const firstTwo = await loadVideoDataset(framesRoot, { split: 'test', size: 8, channels: 1, cacheDir: fresh, workers: 0, maxVideos: 2 });
    assert.deepEqual([firstTwo.videos.map((v) => v.name), firstTwo.frameCounts, firstTwo.totalFrames], [['01', '02'], [20, 20], 40]);
    assert.equal(firstTwo.labelFormat, 'concatenated-npy');
    assert.deepEqual(firstTwo.labels, labelArrays(20).slice(0, 2));
    assert.equal(firstTwo.cache.decodedFrames, 40);
    const all = await loadVideoDataset(framesRoot, { split: 'test', size: 8, channels: 1, cacheDir: fresh, workers: 0, maxVideos: 99 });
    assert.deepEqual([all.videos.length, all.cache.decodedFrames], [3, 20]);
    for (const bad of [0, 1.5, -1]) {
      await assert.rejects(loadVideoDataset(framesRoot, { split: 'test', size: 8, channels: 1, cacheDir: fresh, maxVideos: bad }), {
        message: `Expected a whole number of videos >= 1, or undefined for all, for options.maxVideos but received ${bad} of type number.`,
      });
    }
  });

  it('checks the labels before decoding anything', async () => {
    const wrong = join(dir, 'wrong.npy');
    writeNpy(wrong, { dtype: 'uint8', shape: [59], data: new Uint8Array(59) });
    const empty = join(dir, 'never-filled');
    await assert.rejects(loadVideoDataset(framesRoot, { split: 'test', size: 8, channels: 1, cacheDir: empty, labels: wrong }), {
      message: `${wrong}: holds 59 frame labels but the 3 test videos have 60 frames in all (01: 20, 02: 20, 10: 20). `
        + 'Check that the label file belongs to this dataset and that no frames are missing from or extra in the video folders.',
    });
    assert.equal(existsSync(empty), false);
  });

  it('rejects bad options', async () => {
    await assert.rejects(loadVideoDataset(framesRoot, { split: 'test', size: 0, channels: 1 }), {
      message: 'Expected a whole number of pixels >= 1 (square frames) or { width, height } for options.size but received 0 of type number.',
    });
    await assert.rejects(loadVideoDataset(framesRoot, { split: 'test', channels: 2 as 1 }), {
      message: 'Expected 1 (gray) or 3 (RGB) for options.channels but received 2 of type number.',
    });
    const call = loadVideoDataset as (root: string, options?: unknown) => Promise<unknown>;
    await assert.rejects(call(framesRoot), {
      code: 'INVALID_ARGUMENT',
      message: "Expected an object with split ('train' or 'test') and channels (1 or 3) for loadVideoDataset options but received undefined. "
        + "For example: loadVideoDataset('data/ucsd-ped2', { split: 'test', channels: 1, size: 256 }).",
    });
    await assert.rejects(call(framesRoot, { split: 'test', channels: 1, maxvideos: 2 }), {
      code: 'INVALID_ARGUMENT',
      message: "Unknown option 'maxvideos' for loadVideoDataset. Did you mean 'maxVideos'? Its options: split, channels, size, layout, labels, preload, maxVideos, cacheDir, workers, onProgress.",
    });
    await assert.rejects(loadVideoDataset(framesRoot, { split: 'test', size: 5000, channels: 1 }), {
      message: 'Expected a whole number of pixels from 1 to 4096 for options.width but received 5000 of type number. '
        + 'Sides above 4096 are refused: one 3 × 4096 × 4096 image would take 200 MB as float32.',
    });
  });
});

const PED2 = '../shared/data/ucsd-ped2';
const slow = process.env.NORMALITY_SLOW_TESTS === '1';
describe('loadVideoDataset on UCSD Ped2', () => {
  const skip = !existsSync(PED2) ? `${PED2} is absent` : !slow ? 'decoding Ped2 takes about a minute: set NORMALITY_SLOW_TESTS=1' : false;
  it('decodes the test split once, then loads it from the cache in well under a second', { skip }, async () => {
    const ped2Cache = join(dir, 'ped2-cache');
    const options = { split: 'test', size: 256, channels: 1, cacheDir: ped2Cache } as const;
    const first = await loadVideoDataset(PED2, options);
    assert.deepEqual([first.videos.length, first.totalFrames, first.cache.decodedFrames], [12, 2010, 2010]);
    assert.equal(first.labels!.reduce((s, l) => s + l.reduce((a, b) => a + b, 0), 0), 1648);
    const started = performance.now();
    const second = await loadVideoDataset(PED2, options);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(second.cache.decodedFrames, 0);
    assert.ok(seconds < 1, `second load took ${seconds.toFixed(2)} s`);
    writeFileSync(join(dir, 'ped2-timing.txt'), `first ${first.cache.seconds} s, second ${seconds} s\n`);
  });
});
