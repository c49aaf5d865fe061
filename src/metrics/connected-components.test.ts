import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectedComponents } from './connected-components.js';
import { loadReference } from './fixtures/reference.js';

test('8-connectivity: corner-touching pixels are one region, separate blobs are not', () => {
  const mask = [
    1, 1, 0, 0, 0,
    0, 0, 1, 0, 1,
    0, 0, 0, 0, 1,
    255, 0, 0, 0, 0,
  ];
  const regions = connectedComponents(mask, 4, 5);
  assert.equal(regions.count, 3);
  assert.deepEqual(Array.from(regions.sizes), [0, 3, 2, 1]);
  assert.deepEqual(Array.from(regions.labels), [
    1, 1, 0, 0, 0,
    0, 0, 1, 0, 2,
    0, 0, 0, 0, 2,
    3, 0, 0, 0, 0,
  ]);
});

test('region counts and sizes equal scipy.ndimage.label with a 3×3 structure', () => {
  const { pixel } = loadReference();
  pixel.masks.forEach((mask, i) => {
    const regions = connectedComponents(mask, pixel.height, pixel.width);
    assert.equal(regions.count, pixel.regions[i].count, `image ${i}`);
    assert.deepEqual(Array.from(regions.sizes.subarray(1)), pixel.regions[i].sizes, `image ${i}`);
  });
});

test('an empty mask and a full mask', () => {
  assert.equal(connectedComponents(new Uint8Array(6), 2, 3).count, 0);
  const full = connectedComponents(new Uint8Array(6).fill(1), 2, 3);
  assert.equal(full.count, 1);
  assert.equal(full.sizes[1], 6);
});
