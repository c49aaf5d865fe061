import { test } from 'node:test';
import assert from 'node:assert/strict';
import pngjs from 'pngjs';
import { samplePng } from './sample-png.js';

test('an image of (N, C, H, W) in [0, 1] comes back as its PNG: gray or RGB, clipped to 0..255', () => {
  // Two 1×2 RGB images; the second is pure red on the left, and out-of-range values on the right.
  const x = Float32Array.from([0, 0, 0, 0, 0, 0, /* second: R */ 1, 2, /* G */ 0, 0.5, /* B */ 0, -1]);
  const png = pngjs.PNG.sync.read(samplePng(x, [2, 3, 1, 2], 1));
  assert.deepEqual([png.width, png.height], [2, 1]);
  assert.deepEqual([...png.data], [255, 0, 0, 255, 255, 128, 0, 255]);
  const gray = pngjs.PNG.sync.read(samplePng(Float32Array.from([0.2, 0.8]), [1, 1, 1, 2], 0));
  assert.deepEqual([...gray.data], [51, 51, 51, 255, 204, 204, 204, 255]);
  assert.throws(() => samplePng(x, [2, 6], 0), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected images as (N, C, H, W) with 1 or 3 channels for shape but received (2, 6).',
  });
  assert.throws(() => samplePng(x, [2, 3, 1, 2], 2), /an image index below 2/);
});
