import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestF1, precisionRecallF1, precisionRecallF1AtThreshold } from './f1.js';
import { assertClose, loadReference } from './fixtures/reference.js';

const reference = loadReference();

test('precisionRecallF1AtThreshold equals sklearn precision/recall/f1_score on scores >= threshold', () => {
  for (const c of reference.binary) {
    for (const expected of c.atThreshold) {
      const got = precisionRecallF1AtThreshold(c.labels, c.scores, expected.threshold);
      const what = `${c.name} at ${expected.threshold}`;
      assertClose(got.precision, expected.precision, 1e-12, `${what} precision`);
      assertClose(got.recall, expected.recall, 1e-12, `${what} recall`);
      assertClose(got.f1, expected.f1, 1e-12, `${what} f1`);
    }
  }
});

test('bestF1 is the F1-max over all thresholds (highest threshold on a tie)', () => {
  for (const c of reference.binary) {
    const got = bestF1(c.labels, c.scores);
    assertClose(got.f1, c.bestF1.f1, 1e-12, `${c.name} f1`);
    assertClose(got.threshold, c.bestF1.threshold, 0, `${c.name} threshold`);
    assertClose(got.precision, c.bestF1.precision, 1e-12, `${c.name} precision`);
    assertClose(got.recall, c.bestF1.recall, 1e-12, `${c.name} recall`);
    const again = precisionRecallF1AtThreshold(c.labels, c.scores, got.threshold);
    assertClose(again.f1, got.f1, 1e-12, `${c.name} f1 at the best threshold`);
  }
});

test('precisionRecallF1 counts and zero-division convention', () => {
  assert.deepEqual(precisionRecallF1([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]), {
    precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, truePositives: 2, falsePositives: 1, falseNegatives: 1, trueNegatives: 1,
  });
  // nothing predicted, nothing to find: every ratio is 0 rather than NaN
  assert.deepEqual(precisionRecallF1([0, 0], [0, 0]), {
    precision: 0, recall: 0, f1: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 2,
  });
  assert.equal(precisionRecallF1AtThreshold([1, 0], [0.5, 0.4], 0.5).f1, 1);
});

test('bad input', () => {
  assert.throws(() => precisionRecallF1([1, 0], [1, 0.5]), {
    name: 'NormalityError',
    message: 'Expected 0 (normal) or 1 (anomaly) for predictions[1] but received 0.5 of type number. Map predictions to 0/1 first, e.g. with (v) => (v ? 1 : 0).',
  });
  assert.throws(() => precisionRecallF1([1, 0, 1], [1, 0]), { message: /^Expected the same length as labels \(3\) for predictions/ });
  assert.throws(() => precisionRecallF1AtThreshold([1, 0], [0.2, 0.1], NaN), {
    message: 'Expected a number (score >= threshold is an anomaly) for threshold but received NaN of type number.',
  });
  assert.throws(() => precisionRecallF1AtThreshold([1, 0], [0.2, NaN], 0.1), { message: /^Expected a finite number for scores\[1\]/ });
  assert.throws(() => bestF1([0, 0], [0.2, 0.1]), { message: /^Expected at least one anomaly \(1\) in labels for bestF1/ });
});
