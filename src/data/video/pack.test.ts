import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVideoDataset } from './index.js';
import { packFrames } from './pack.js';
import { writeFramesLayout, writeUcsdLayout } from './test-fixtures.js';

test('a packed copy loads as the original does: the same videos, frame counts and labels, frames within the JPEG\'s loss', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-pack-'));
  try {
    const root = writeFramesLayout(join(dir, 'frames'), 12).root;
    const out = join(dir, 'packed');
    const seen: string[] = [];
    const report = packFrames(root, out, { width: 32, height: 32, channels: 1, quality: 90, onVideo: (split, name) => seen.push(`${split}/${name}`) });
    assert.deepEqual(seen, ['train/01', 'train/02', 'train/10', 'test/01', 'test/02', 'test/10']);
    assert.equal(report.frames, 72);
    assert.ok(report.meanAbsoluteError > 0 && report.meanAbsoluteError < 3, `mean absolute error ${report.meanAbsoluteError} grey levels`);
    assert.deepEqual(report.labels, ['frame_labels_fixture.npy', join('testing', 'test_frame_mask')]);
    const cacheDir = join(dir, 'cache');
    for (const split of ['train', 'test'] as const) {
      const original = await loadVideoDataset(root, { split, channels: 1, size: 32, cacheDir });
      const packed = await loadVideoDataset(out, { split, channels: 1, size: 32, cacheDir });
      assert.deepEqual(packed.videos.map((v) => [v.name, v.frameCount]), original.videos.map((v) => [v.name, v.frameCount]));
      assert.deepEqual(packed.labels, original.labels);
      const a = original.frames.readFrames(2, 0, 12);
      const b = packed.frames.readFrames(2, 0, 12);
      let error = 0;
      for (let i = 0; i < a.length; i++) error += Math.abs(a[i]! - b[i]!);
      assert.ok(error / a.length < 3, `video 10: mean absolute difference ${error / a.length}`);
    }
    // The UCSD layout becomes the MNAD layout, its UCSDped2.m beside it; the train split alone copies no labels.
    const ucsd = writeUcsdLayout(join(dir, 'ucsd')).root;
    const fromUcsd = packFrames(ucsd, join(dir, 'packed-ucsd'), { width: 16, height: 16, channels: 3 });
    assert.deepEqual(fromUcsd.labels, ['UCSDped2.m']);
    const packedUcsd = await loadVideoDataset(join(dir, 'packed-ucsd'), { split: 'test', channels: 3, size: 16, cacheDir });
    assert.deepEqual(packedUcsd.labels, (await loadVideoDataset(ucsd, { split: 'test', channels: 3, size: 16, cacheDir })).labels);
    assert.deepEqual(packFrames(root, join(dir, 'train-only'), { width: 16, height: 16, channels: 1, splits: ['train'] }).labels, []);
    assert.ok(!existsSync(join(dir, 'train-only', 'testing')));
    assert.throws(() => packFrames(root, out, { width: 16, height: 16, channels: 1, quality: 0 }), /Expected a JPEG quality from 1 to 100 for quality but received 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
