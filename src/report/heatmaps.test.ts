import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { heatColour, heatScale, writeHeatmaps } from './heatmaps.js';

const dir = mkdtempSync(join(tmpdir(), 'normality-heatmaps-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the colour scale runs from dark blue through cyan and yellow to dark red', () => {
  assert.deepEqual(heatColour(0), [0, 0, 128]);
  assert.deepEqual(heatColour(0.375), [0, 255, 255]);
  assert.deepEqual(heatColour(0.5), [128, 255, 128]);
  assert.deepEqual(heatColour(1), [128, 0, 0]);
  assert.deepEqual(heatColour(-1), heatColour(0));
  assert.deepEqual(heatColour(2), heatColour(1));
});

test('heatmaps share one scale over the set and are named after their images', () => {
  // Two 2×3 maps: the first spans the set's range, the second is flat at its middle.
  const data = Float32Array.from([0, 1, 2, 3, 4, 4, 2, 2, 2, 2, 2, 2]);
  const paths = writeHeatmaps(dir, { data, shape: [2, 2, 3] }, ['test/spot/7.png', 'b.jpg']);
  assert.deepEqual(paths, [join(dir, 'test', 'spot', '7.png'), join(dir, 'b.png')]);
  const pixels = (path: string) => {
    const png = pngjs.PNG.sync.read(readFileSync(path));
    assert.deepEqual([png.width, png.height], [3, 2]);
    return Array.from({ length: 6 }, (_, p) => [...png.data.subarray(p * 4, p * 4 + 3)]);
  };
  assert.deepEqual(pixels(paths[0]!)[0], heatColour(0));
  assert.deepEqual(pixels(paths[0]!)[5], heatColour(1));
  assert.ok(pixels(paths[1]!).every((rgb) => JSON.stringify(rgb) === JSON.stringify(heatColour(0.5))), 'a flat map in the middle of the set\'s range is not stretched');
  assert.deepEqual(writeHeatmaps(join(dir, 'numbered'), { data, shape: [2, 2, 3] }), [join(dir, 'numbered', '0.png'), join(dir, 'numbered', '1.png')]);
  const clash = join(dir, 'clash');
  assert.deepEqual(writeHeatmaps(clash, { data, shape: [2, 2, 3] }, ['x.png', 'x.jpg']), [join(clash, 'x.png.png'), join(clash, 'x.jpg.png')], 'x.png and x.jpg: one map each');
  assert.throws(() => writeHeatmaps(dir, { data, shape: [2, 2, 3] }, ['one']), /Expected one name per map \(2\) for names but received an array of length 1/);
  assert.throws(() => writeHeatmaps(paths[1]!, { data, shape: [2, 2, 3] }), {
    message: `Expected a folder for the heatmaps (made if missing) for folder but received '${paths[1]}' of type string. That path is a file: name a folder.`,
  });
});

test('the top of the scale is the set\'s 99.9th percentile, so one bright speck does not darken every other map', () => {
  const data = Float32Array.from({ length: 4000 }, (_, i) => (i === 123 ? 1000 : (i % 100) / 99));
  const scale = heatScale({ data, shape: [10, 20, 20] });
  assert.equal(scale.low, 0);
  assert.ok(Math.abs(scale.span - 1) < 1e-9, `span ${scale.span}: the speck is above the 99.9th percentile`);
  assert.deepEqual(heatScale({ data: Float32Array.from([2, 2]), shape: [1, 1, 2] }), { low: 2, span: 1 }, 'a flat set keeps a unit span');
});
