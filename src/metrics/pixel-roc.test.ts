import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapsFromBatch, type ImageMap } from './image-maps.js';
import { pixelRocAuc } from './pixel-roc.js';
import { assertClose, loadReference } from './fixtures/reference.js';

const { pixel } = loadReference();
const images = (rows: number[][]): ImageMap[] => rows.map((data) => ({ data, height: pixel.height, width: pixel.width }));

test('pixelRocAuc equals sklearn roc_auc_score over all pixels', () => {
  assertClose(pixelRocAuc(images(pixel.masks), images(pixel.maps)), pixel.pixelRocAuc, 1e-12, 'pixel AUC');
});

test('mapsFromBatch views an (N, H, W) batch without copying', () => {
  const data = new Float32Array(2 * 3 * 4).map((_, i) => i);
  const maps = mapsFromBatch(data, [2, 3, 4]);
  assert.equal(maps.length, 2);
  assert.equal(maps[1].data[0], 12);
  assert.equal((maps[1].data as Float32Array).buffer, data.buffer);
  const masks = mapsFromBatch(new Uint8Array(24).map((_, i) => (i % 5 === 0 ? 255 : 0)), [2, 3, 4]);
  assert.ok(pixelRocAuc(masks, maps) > 0);
  assert.throws(() => mapsFromBatch(data, [2, 3, 5]), {
    name: 'NormalityError',
    message: 'Expected 30 values for shape (2, 3, 5) for data but received a Float32Array of length 24.',
  });
  assert.throws(() => mapsFromBatch(data, [2, 12] as unknown as [number, number, number]), {
    message: 'Expected three positive integers (N, H, W) for shape but received an array of length 2. '
      + 'Call mapsFromBatch(data, [N, H, W]) or mapsFromBatch({ data, shape }), as anomalyMaps() returns it.',
  });
  const batch = { data, shape: [2, 3, 4] as [number, number, number] };
  assert.equal(mapsFromBatch(batch)[1]!.data[0], 12);
  assert.throws(() => (mapsFromBatch as (a: unknown, b: unknown) => unknown)(batch, batch.shape),
    /^NormalityError: Expected nothing beside a \{ data, shape \} batch \(it holds its shape\) for mapsFromBatch shape but received an array of length 3\. Call mapsFromBatch/);
});

test('bad input: mismatched counts and shapes, wrong data length, NaN scores, one class', () => {
  const mask = { data: new Uint8Array([0, 1, 0, 0]), height: 2, width: 2 };
  const map = { data: new Float32Array([0.1, 0.9, 0.2, 0.3]), height: 2, width: 2 };
  assert.throws(() => pixelRocAuc([mask, mask], [map]), {
    message: 'Expected one anomaly map per mask (2) for maps but received an array of length 1. Pass masks and maps in the same image order.',
  });
  assert.throws(() => pixelRocAuc([mask], [{ data: new Float32Array(4), height: 1, width: 4 }]), {
    name: 'NormalityError',
    message: 'Expected the shape of masks[0] (2×2) for maps[0] but received 1×4. Resize the anomaly map to the mask resolution before evaluating.',
  });
  assert.throws(() => pixelRocAuc([mask], [{ data: new Float32Array(3), height: 2, width: 2 }]), {
    message: 'Expected height × width = 4 values for maps[0].data but received a Float32Array of length 3. Store one value per pixel, row-major (H, W).',
  });
  assert.throws(() => pixelRocAuc([mask], [{ data: new Float32Array([0, NaN, 0, 0]), height: 2, width: 2 }]), {
    message: 'Expected a finite number for maps[0].data[1] but received NaN of type number. Drop or replace NaN and infinite scores before evaluating.',
  });
  assert.throws(() => pixelRocAuc([{ ...mask, data: new Uint8Array(4) }], [map]), {
    message: 'Expected both classes in masks for pixelRocAuc but received 4 labels, all 0 (normal). pixelRocAuc is undefined with a single class: include at least one anomaly (1) and one normal (0) sample.',
  });
});

test('mapsFromBatch takes the { data, shape } that anomalyMaps() returns, as well as (data, shape)', () => {
  const batch = { data: new Float32Array(2 * 3 * 4).map((_, i) => i), shape: [2, 3, 4] as [number, number, number] };
  const maps = mapsFromBatch(batch);
  assert.deepEqual(maps.map((m) => [m.height, m.width, m.data[0]]), [[3, 4, 0], [3, 4, 12]]);
  assert.equal((maps[1].data as Float32Array).buffer, batch.data.buffer);
  assert.throws(() => mapsFromBatch(batch.data as never), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected three positive integers (N, H, W) for shape but received undefined. '
      + 'Call mapsFromBatch(data, [N, H, W]) or mapsFromBatch({ data, shape }), as anomalyMaps() returns it.',
  });
  assert.throws(() => mapsFromBatch({ data: batch.data } as never), /for batch\.shape but received undefined/);
});

test('masks holding NaN are refused, naming the pixel, instead of counting NaN as anomalous', () => {
  const mask = { data: new Float32Array([0, NaN, 1, 0]), height: 2, width: 2 };
  const map = { data: new Float32Array([0.1, 0.9, 0.2, 0.3]), height: 2, width: 2 };
  assert.throws(() => pixelRocAuc([mask], [map]), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected a finite mask value (0 = normal, non-zero = anomalous) for masks[0].data[1] but received NaN of type number. '
      + 'Replace NaN and infinite values in the masks with 0 or 1.',
  });
});

test('swapped masks and maps are named: fractional "masks" with 0/1 "maps"', () => {
  const mask = { data: new Uint8Array([0, 1, 0, 0]), height: 2, width: 2 };
  const map = { data: new Float32Array([0.1, 0.9, 0.2, 0.3]), height: 2, width: 2 };
  assert.throws(() => pixelRocAuc([map], [mask]), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected whole-number masks (0 = normal, non-zero = anomalous) and anomaly maps of scores, but masks[0].data[0] is 0.1 '
      + 'and every value of maps is 0 or 1: did you swap maps and masks? The order is (masks, maps). Soft masks: binarise them first (non-zero = anomalous).',
  });
  // No false alarm: 0/255 masks with binary maps (thresholded predictions), and masks with maps of scores.
  assert.equal(pixelRocAuc([{ ...mask, data: new Uint8Array([0, 255, 0, 0]) }], [{ ...mask, data: new Uint8Array([0, 1, 1, 0]) }]), 5 / 6);
  assert.equal(pixelRocAuc([mask], [map]), 1);
});
