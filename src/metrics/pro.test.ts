import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageMap } from './image-maps.js';
import { proAuc, proCurve } from './pro.js';
import { assertAllClose, assertClose, loadReference } from './fixtures/reference.js';

const { pixel } = loadReference();
const images = (rows: number[][]): ImageMap[] => rows.map((data) => ({ data, height: pixel.height, width: pixel.width }));
const image = (height: number, width: number, data: number[]): ImageMap => ({ data, height, width });

test('proCurve equals a weighted sklearn roc_curve (region pixels weigh 1/size) point for point', () => {
  const curve = proCurve(images(pixel.masks), images(pixel.maps));
  assertAllClose(curve.fpr, pixel.proCurve.fpr, 1e-12, 'fpr');
  assertAllClose(curve.pro, pixel.proCurve.pro, 1e-12, 'pro');
  assert.equal(curve.thresholds[0], Infinity);
  assertAllClose(curve.thresholds.subarray(1), pixel.proCurve.thresholdsAfterFirst, 0, 'thresholds');
});

test('proAuc equals the reference for maxFpr 0.3, 0.05 and 1', () => {
  for (const { maxFpr, value } of pixel.proAuc) {
    assertClose(proAuc(images(pixel.masks), images(pixel.maps), { maxFpr }), value, 1e-12, `maxFpr ${maxFpr}`);
  }
});

// A 4×4 image with one 2×2 defect in the middle.
const square = [
  0, 0, 0, 0,
  0, 1, 1, 0,
  0, 1, 1, 0,
  0, 0, 0, 0,
];

test('a perfect map scores 1; a constant map scores maxFpr / 2 normalised', () => {
  assert.equal(proAuc([image(4, 4, square)], [image(4, 4, square)]), 1);
  assert.equal(proAuc([image(4, 4, square)], [image(4, 4, square)], { maxFpr: 1 }), 1);
  // constant scores: the curve is the diagonal (0, 0) – (1, 1); area to 0.3 is 0.045
  assertClose(proAuc([image(4, 4, square)], [image(4, 4, new Array(16).fill(0.5))]), 0.15, 1e-15, 'constant');
});

test('a map that marks half of the defect: the curve jumps to 0.5, then rises linearly to (1, 1)', () => {
  const half = square.map((v, i) => (v && i < 8 ? 1 : 0));
  const curve = proCurve([image(4, 4, square)], [image(4, 4, half)]);
  assert.deepEqual(Array.from(curve.fpr), [0, 0, 1]);
  assert.deepEqual(Array.from(curve.pro), [0, 0.5, 1]);
  // area from 0 to 0.3: 0.3 × (0.5 + 0.65) / 2, divided by 0.3
  assertClose(proAuc([image(4, 4, square)], [image(4, 4, half)]), 0.575, 1e-15, 'half');
});

test('each region counts once, whatever its size', () => {
  // image A: an 8-pixel defect, found; image B: a 1-pixel defect, missed. Pixel TPR 8/9, PRO 1/2.
  const big = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
  const small = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  const masks = [image(3, 4, big), image(3, 4, small)];
  const maps = [image(3, 4, big), image(3, 4, new Array(12).fill(0))];
  assert.deepEqual(Array.from(proCurve(masks, maps).pro), [0, 0.5, 1]);
  assertClose(proAuc(masks, maps), 0.575, 1e-15, 'two regions');
});

test('regions use 8-connectivity: a corner-touching pixel joins the region', () => {
  const mask = [
    1, 1, 0, 0,
    0, 0, 1, 0,
    0, 0, 0, 0,
  ];
  const map = [
    0, 0, 0, 0,
    0, 0, 1, 0,
    0, 0, 0, 0,
  ];
  // one region of 3 pixels, 1 found: PRO 1/3 (4-connectivity would give two regions and 1/2)
  assert.deepEqual(Array.from(proCurve([image(3, 4, mask)], [image(3, 4, map)]).pro), [0, 1 / 3, 1]);
  assertClose(proAuc([image(3, 4, mask)], [image(3, 4, map)]), 1 / 3 + 0.1, 1e-15, 'diagonal');
});

test('bad input: no defect, no normal pixel, maxFpr outside (0, 1]', () => {
  const empty = image(2, 2, [0, 0, 0, 0]);
  const full = image(2, 2, [1, 1, 1, 1]);
  const map = image(2, 2, [0.1, 0.2, 0.3, 0.4]);
  assert.throws(() => proAuc([empty, empty], [map, map]), {
    name: 'NormalityError',
    message: 'Expected at least one anomalous (non-zero) pixel in masks for PRO but all pixels of the 2 masks are 0. PRO is undefined without ground-truth defects: include test images that have anomalies.',
  });
  assert.throws(() => proAuc([full], [map]), {
    message: 'Expected at least one normal (0) pixel in masks for PRO but all pixels of the 1 mask are non-zero. The false positive rate is undefined without normal pixels.',
  });
  for (const maxFpr of [0, 1.5]) {
    assert.throws(() => proAuc([image(4, 4, square)], [image(4, 4, square)], { maxFpr }), {
      message: `Expected a false positive rate in (0, 1] for maxFpr but received ${maxFpr} of type number. The usual limit is 0.3.`,
    });
  }
});

test('proAuc refuses an unknown option, naming the one it has', () => {
  assert.throws(() => proAuc([image(4, 4, square)], [image(4, 4, square)], { fprLimit: 0.01 } as never), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'fprLimit' for proAuc. Its options: maxFpr.",
  });
  assert.throws(() => proAuc([image(4, 4, square)], [image(4, 4, square)], { maxfpr: 0.01 } as never), /Did you mean 'maxFpr'\?/);
});
