import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, thresholdFromContamination } from './percentile.js';
import { assertClose, loadReference } from './fixtures/reference.js';

const reference = loadReference();

test('percentile equals numpy.percentile (linear) bit for bit', () => {
  for (const c of reference.binary) {
    for (const { q, value } of c.percentiles) assertClose(percentile(c.scores, q), value, 0, `${c.name} q=${q}`);
  }
});

test('thresholdFromContamination equals PyOD: percentile(scores, 100 * (1 - contamination))', () => {
  for (const c of reference.binary) {
    for (const { contamination, threshold } of c.contamination) {
      assertClose(thresholdFromContamination(c.scores, contamination), threshold, 0, `${c.name} contamination ${contamination}`);
    }
  }
});

test('small hand cases', () => {
  assert.equal(percentile([3, 1, 2, 4], 50), 2.5);
  assert.equal(percentile([5], 90), 5);
  assert.equal(percentile(new Float32Array([0, 10]), 25), 2.5);
  // 10 values 0..9: the 90th percentile is 8.1, so 0.1 of the scores (just 9) lie at or above it
  assertClose(thresholdFromContamination([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.1), 8.1, 1e-12, '0..9');
});

test('bad input: contamination outside (0, 0.5], q outside [0, 100], NaN values', () => {
  const fix = 'Pass the expected share of anomalies in the data, e.g. 0.1 for 10%.';
  for (const bad of [0, -0.1, 0.6, NaN]) {
    assert.throws(() => thresholdFromContamination([1, 2, 3], bad), {
      name: 'NormalityError',
      message: `Expected a fraction in (0, 0.5] for contamination but received ${bad} of type number. ${fix}`,
    });
  }
  assert.throws(() => percentile([1, 2], 101), {
    message: 'Expected a percentile between 0 and 100 for q but received 101 of type number. For the median pass 50.',
  });
  assert.throws(() => percentile([1, NaN], 50), { message: /^Expected a finite number for values\[1\] but received NaN/ });
  assert.throws(() => thresholdFromContamination([], 0.1), { message: 'Expected a non-empty array for scores but received an array of length 0.' });
});
