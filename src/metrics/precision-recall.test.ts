import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, prAuc, precisionRecallCurve } from './precision-recall.js';
import { assertAllClose, assertClose, loadReference } from './fixtures/reference.js';

const reference = loadReference();

test('averagePrecision and prAuc equal sklearn average_precision_score and auc(recall, precision)', () => {
  for (const c of reference.binary) {
    assertClose(averagePrecision(c.labels, c.scores), c.averagePrecision, 1e-12, `${c.name} average precision`);
    assertClose(prAuc(c.labels, c.scores), c.prAuc, 1e-12, `${c.name} PR AUC`);
  }
});

test('precisionRecallCurve equals sklearn precision_recall_curve point for point', () => {
  for (const c of reference.binary.filter((b) => b.precisionRecallCurve)) {
    const curve = precisionRecallCurve(c.labels, c.scores);
    assertAllClose(curve.precision, c.precisionRecallCurve!.precision, 1e-12, `${c.name} precision`);
    assertAllClose(curve.recall, c.precisionRecallCurve!.recall, 1e-12, `${c.name} recall`);
    assertAllClose(curve.thresholds, c.precisionRecallCurve!.thresholds, 0, `${c.name} thresholds`);
  }
});

test('hand-computed values: sklearn docstring example, all-equal scores, no normal samples', () => {
  const labels = [0, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8];
  const curve = precisionRecallCurve(labels, scores);
  assert.deepEqual(Array.from(curve.precision), [0.5, 2 / 3, 0.5, 1, 1]);
  assert.deepEqual(Array.from(curve.recall), [1, 1, 0.5, 0.5, 0]);
  assert.deepEqual(Array.from(curve.thresholds), [0.1, 0.35, 0.4, 0.8]);
  assertClose(averagePrecision(labels, scores), 0.5 * 1 + 0.5 * (2 / 3), 1e-15, 'AP');
  // all scores tied: one threshold, precision = prevalence
  assert.equal(averagePrecision([1, 0, 0, 0], [2, 2, 2, 2]), 0.25);
  // only anomalies: every threshold has precision 1
  assert.equal(averagePrecision([1, 1], [0.3, 0.7]), 1);
});

test('bad input: no anomaly at all', () => {
  assert.throws(() => averagePrecision([0, 0], [0.1, 0.2]), {
    name: 'NormalityError',
    message: 'Expected at least one anomaly (1) in labels for averagePrecision but received 2 labels, all 0 (normal). Recall is undefined without anomalies: include at least one sample labelled 1.',
  });
  assert.throws(() => prAuc([0, 1], [0.1, NaN]), { message: /^Expected a finite number for scores\[1\] but received NaN/ });
  assert.throws(() => precisionRecallCurve([0, 1], [0.1]), { message: /^Expected the same length as labels \(2\) for scores/ });
});
