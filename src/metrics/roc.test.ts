import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rocAuc, rocCurve } from './roc.js';
import { trapezoidArea } from './trapezoid.js';
import { assertAllClose, assertClose, loadReference } from './fixtures/reference.js';

const reference = loadReference();

test('rocAuc equals sklearn roc_auc_score on every reference case', () => {
  for (const c of reference.binary) {
    assertClose(rocAuc(c.labels, c.scores), c.rocAuc, 1e-12, c.name);
    assertClose(rocAuc(Uint8Array.from(c.labels), Float32Array.from(c.scores)), c.rocAuc, 1e-6, `${c.name} (typed arrays)`);
  }
});

test('rocCurve equals sklearn roc_curve(drop_intermediate=False) point for point', () => {
  for (const c of reference.binary.filter((b) => b.rocCurve)) {
    const curve = rocCurve(c.labels, c.scores);
    assertAllClose(curve.fpr, c.rocCurve!.fpr, 1e-12, `${c.name} fpr`);
    assertAllClose(curve.tpr, c.rocCurve!.tpr, 1e-12, `${c.name} tpr`);
    assert.equal(curve.thresholds[0], Infinity);
    assertAllClose(curve.thresholds.subarray(1), c.rocCurve!.thresholdsAfterFirst, 0, `${c.name} thresholds`);
    assertClose(trapezoidArea(curve.fpr, curve.tpr), c.rocAuc, 1e-12, `${c.name} area under the curve`);
  }
});

test('ties count one half: all-equal scores give 0.5, perfect and inverted give 1 and 0', () => {
  assert.equal(rocAuc([0, 1, 0, 1], [3, 3, 3, 3]), 0.5);
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]), 1);
  assert.equal(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4]), 0);
  // one anomaly tied with one of two normals: (1 + 0.5) / 2
  assert.equal(rocAuc([0, 0, 1], [1, 2, 2]), 0.75);
});

test('rocAuc agrees with the pairwise definition on a generated case', () => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const n = 400;
  const labels = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
  const scores = labels.map((y) => Math.round((random() + 0.3 * y) * 20) / 20);
  let pairs = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue;
      pairs++;
      correct += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  assertClose(rocAuc(labels, scores), correct / pairs, 1e-15, 'pairwise');
});

test('rocAuc on more than 65536 samples (radix sort path) matches the small-array path', () => {
  const n = 70000;
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 7 === 0 ? 1 : 0;
    scores[i] = Math.sin(i) * 100 + (labels[i] ? 30 : 0);
  }
  const head = 60000;
  const whole = rocAuc(labels, scores);
  assert.ok(whole > 0.5 && whole < 1);
  // the same data duplicated has the same AUC
  const twice = (a: ArrayLike<number>) => Float64Array.from({ length: 2 * head }, (_, i) => a[i % head]);
  assertClose(rocAuc(twice(labels), twice(scores)), rocAuc(labels.subarray(0, head), scores.subarray(0, head)), 1e-12, 'duplicated');
});

test('bad input: messages name the input, the expectation and the fix', () => {
  assert.throws(() => rocAuc([0, 1, 1], [0.1, 0.2]), {
    name: 'NormalityError',
    message: 'Expected the same length as labels (3) for scores but received an array of length 2. Pass exactly one entry of scores per entry of labels.',
  });
  assert.throws(() => rocAuc([0, 0, 0], [0.1, 0.2, 0.3]), {
    message: 'Expected both classes in labels for rocAuc but received 3 labels, all 0 (normal). rocAuc is undefined with a single class: include at least one anomaly (1) and one normal (0) sample.',
  });
  assert.throws(() => rocCurve(new Uint8Array([1, 1]), new Float32Array([0.1, 0.2])), {
    message: 'Expected both classes in labels for rocCurve but received 2 labels, all 1 (anomaly). rocCurve is undefined with a single class: include at least one anomaly (1) and one normal (0) sample.',
  });
  assert.throws(() => rocAuc([0, 1, 1], [0.1, NaN, 0.3]), {
    message: 'Expected a finite number for scores[1] but received NaN of type number. Drop or replace NaN and infinite scores before evaluating.',
  });
  assert.throws(() => rocAuc([0, 1, 1], [0.1, 0.2, Infinity]), {
    message: 'Expected a finite number for scores[2] but received Infinity of type number. Drop or replace NaN and infinite scores before evaluating.',
  });
  assert.throws(() => rocAuc([0, 2, 1], [0.1, 0.2, 0.3]), {
    message: 'Expected 0 (normal) or 1 (anomaly) for labels[1] but received 2 of type number. Map labels to 0/1 first, e.g. with (v) => (v ? 1 : 0).',
  });
  assert.throws(() => rocAuc([], []), { message: 'Expected a non-empty array for labels but received an array of length 0.' });
  assert.throws(() => rocAuc('0101' as unknown as number[], [1, 2, 3, 4]), {
    message: "Expected an array or typed array of numbers for labels but received '0101' of type string.",
  });
});
