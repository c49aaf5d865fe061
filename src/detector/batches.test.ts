// Sample arrays given with the wrong kind of field name that field and say how to fix it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSamples } from './batches.js';
import type { SampleArray } from './types.js';
import '../models/index.js'; // registers the models the message lists

const as = (value: unknown) => value as SampleArray;

test('checkSamples names the field at fault: x not a Float32Array, shape not integers, a VideoSet, or no object', () => {
  assert.throws(() => checkSamples(as({ x: new Float64Array(8), shape: [1, 8] }), 'fit data'),
    { code: 'INVALID_ARGUMENT', message: 'Expected a Float32Array for fit data.x but received a Float64Array of length 8. Convert it with Float32Array.from(x).' });
  assert.throws(() => checkSamples(as({ x: [1, 2], shape: [1, 2] }), 'fit data'), /for fit data\.x but received an array of length 2\. Convert it with Float32Array\.from\(x\)\./);
  assert.throws(() => checkSamples(as({ x: new Float32Array(8), shape: ['1', '8'] }), 'score data'),
    { message: 'Expected an array of non-negative integers [N, ...] for score data.shape but received ["1", "8"].' });
  assert.throws(() => checkSamples(as({ x: new Float32Array(8), shape: [-1, -8] }), 'fit data'), /for fit data\.shape but received \[-1, -8\]/);
  assert.throws(() => checkSamples(as({ x: new Float32Array(8), shape: [NaN, 8] }), 'fit data'), /for fit data\.shape but received \[NaN, 8\]\.$/);
  assert.throws(() => checkSamples(as({ videos: [], channels: 1, height: 16, width: 16 }), 'fit data'),
    /received a VideoSet \{ videos, \.\.\. \}\. This model reads images or table rows; for videos use a video model \(ae-video, memae-video, mnad-pred, mnad-recon\)\./);
  assert.throws(() => checkSamples(as(null), 'fit data'), /Expected samples as \{ x: Float32Array, shape: \[N, \.\.\.\] \} for fit data but received null\./);
  assert.throws(() => checkSamples(as([[1, 2], [3, 4]]), 'fit data'),
    /for fit data but received an array of length 2\. Pass the values as one row-major Float32Array x with their shape, e\.g\. \{ x, shape: \[N, 8\] \}, or make them from rows with fromRows\(rows\)\./);
  assert.throws(() => checkSamples(as({ x: [[1, 2], [3, 4]], shape: [2, 2] }), 'fit data'), /for fit data\.x but received an array of length 2\. For rows of values \(number\[\]\[\]\) use fromRows\(rows\), which gives \{ x, shape \}\.$/);
  assert.throws(() => checkSamples(as({ x: new Float32Array(8), shape: [2, 4], labels: new Int32Array(3) }), 'score data'),
    { message: 'Expected one label per sample (2) for score data.labels but received 3 labels. Give labels of the same samples, in the same order, or leave them out.' });
  checkSamples({ x: new Float32Array(8), shape: [2, 4] }, 'fit data', [4]);
});
