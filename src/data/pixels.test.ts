import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBase64, patternImage } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { toChwFloat32, toGrayscale, toRgb } from './pixels.js';

test('toGrayscale equals cv2.cvtColor(RGB2GRAY); the PIL formula is available', () => {
  const { w, h } = references.gray;
  const rgb = { width: w, height: h, channels: 3 as const, data: patternImage(w, h, 3) };
  assert.deepEqual(Buffer.from(toGrayscale(rgb).data), fromBase64(references.gray.opencv));
  const pixel = { width: 1, height: 1, channels: 3 as const, data: Uint8Array.from([255, 0, 0]) };
  assert.equal(toGrayscale(pixel).data[0], 76); // OpenCV: (255*4899 + 8192) >> 14
  assert.equal(toGrayscale(pixel, { method: 'pil' }).data[0], 76);
  const rgba = { width: 1, height: 1, channels: 4 as const, data: Uint8Array.from([10, 200, 30, 0]) };
  assert.equal(toGrayscale(rgba).data[0], toGrayscale({ ...rgba, channels: 3, data: Uint8Array.from([10, 200, 30]) }).data[0]);
  assert.throws(() => toGrayscale(pixel, { method: 'pillow' as 'pil' }), { message: "Expected 'opencv' or 'pil' for method but received 'pillow' of type string." });
});

test('toRgb copies gray to three channels and drops alpha', () => {
  assert.deepEqual(toRgb({ width: 2, height: 1, channels: 1, data: Uint8Array.from([5, 6]) }).data, Uint8Array.from([5, 5, 5, 6, 6, 6]));
  assert.deepEqual(toRgb({ width: 1, height: 1, channels: 4, data: Uint8Array.from([1, 2, 3, 4]) }).data, Uint8Array.from([1, 2, 3]));
});

test('toChwFloat32 writes planes of v / 255, into a shared buffer at an offset', () => {
  const image = { width: 2, height: 1, channels: 3 as const, data: Uint8Array.from([255, 0, 51, 0, 255, 102]) };
  assert.deepEqual([...toChwFloat32(image)], [1, 0, 0, 1, 0.2, 0.4].map(Math.fround));
  const out = new Float32Array(8);
  toChwFloat32(image, out, 2);
  assert.deepEqual([...out.subarray(0, 2)], [0, 0]);
  assert.throws(() => toChwFloat32(image, out, 3), { message: 'Expected a start with room for 6 values in an array of 8 for offset but received 3 of type number.' });
});
