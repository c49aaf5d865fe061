import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ArrayDataset } from './arrays.js';
import { oneClassSplit } from './oneclass.js';

/** n samples of one value each (the index), labels i % classes. */
function labelled(n: number, classes: number): ArrayDataset {
  return {
    x: Float32Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2)),
    shape: [n, 2],
    labels: Int32Array.from({ length: n }, (_, i) => i % classes),
    classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
  };
}

test('train on the normal class, test on everything with other classes as anomalies', () => {
  const split = oneClassSplit(labelled(50, 5), labelled(20, 5), { normalClass: 2 });
  assert.deepEqual(split.train.shape, [10, 2]);
  assert.deepEqual([...split.train.x].filter((_, i) => i % 2 === 0), [2, 7, 12, 17, 22, 27, 32, 37, 42, 47]);
  assert.ok(split.train.labels!.every((v) => v === 0));
  assert.deepEqual(split.test.shape, [20, 2]);
  assert.deepEqual([...split.test.labels!], Array.from({ length: 20 }, (_, i) => (i % 5 === 2 ? 0 : 1)));
  assert.deepEqual([...split.testClasses], Array.from({ length: 20 }, (_, i) => i % 5));
  assert.deepEqual(split.test.classNames, ['normal', 'anomaly']);
  assert.equal(split.description, 'one-class: normal class 2 (c2); train = training images of that class; test = the test split, other classes anomalous (label 1)');
});

test('seeded subsampling for quick runs', () => {
  const a = oneClassSplit(labelled(50, 5), labelled(20, 5), { normalClass: 0, maxTrain: 4, maxTest: 6, seed: 9 });
  const b = oneClassSplit(labelled(50, 5), labelled(20, 5), { normalClass: 0, maxTrain: 4, maxTest: 6, seed: 9 });
  const c = oneClassSplit(labelled(50, 5), labelled(20, 5), { normalClass: 0, maxTrain: 4, maxTest: 6, seed: 10 });
  assert.deepEqual(a.train.shape, [4, 2]);
  assert.deepEqual(a.test.shape, [6, 2]);
  assert.deepEqual(a.train.x, b.train.x);
  assert.deepEqual(a.test.x, b.test.x);
  assert.notDeepEqual([...a.test.x], [...c.test.x]);
  const rows = [...a.test.x].filter((_, i) => i % 2 === 0);
  assert.deepEqual(rows, [...rows].sort((p, q) => p - q));
  assert.equal(a.description, 'one-class: normal class 0 (c0); train = training images of that class, a seeded random 4 of 10 (seed 9); test = the test split, a seeded random 6 of 20 (seed 9), other classes anomalous (label 1)');
});

test('bad options are named', () => {
  assert.throws(() => oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 5 }), {
    message: 'Expected a class index in [0, 5) for normalClass but received 5 of type number.',
  });
  assert.throws(() => oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 1, maxTrain: 0 }), {
    message: 'Expected a whole number >= 1 for maxTrain but received 0 of type number.',
  });
  const noLabels = { x: new Float32Array(2), shape: [1, 2] };
  assert.throws(() => oneClassSplit(noLabels, labelled(10, 5), { normalClass: 0 }), { message: 'Expected class labels for train.labels but received undefined.' });
});
