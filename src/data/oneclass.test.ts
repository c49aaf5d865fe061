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
  // Each sample is named by its split and index, for score files, maps and reports.
  assert.deepEqual(split.train.files, [2, 7, 12, 17, 22, 27, 32, 37, 42, 47].map((i) => `train/${i}`));
  assert.deepEqual(split.test.files, Array.from({ length: 20 }, (_, i) => `test/${i}`));
  assert.deepEqual(split.test.classNames, ['normal', 'anomaly']);
  assert.equal(split.description, 'one-class (standard protocol): normal class 2 (c2); train = training images of that class; test = the test split, other classes anomalous (label 1)');
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
  assert.equal(a.description, 'one-class (standard protocol): normal class 0 (c0); train = training images of that class, a seeded random 4 of 10 (seed 9); test = the test split, a seeded random 6 of 20 (seed 9), other classes anomalous (label 1)');
  // The test subset does not depend on whether (or how many) training images were drawn, under both protocols.
  for (const protocol of ['standard', 'paper'] as const) {
    const tests = [undefined, 2, 4].map((maxTrain) => oneClassSplit(labelled(50, 5), labelled(20, 5), { normalClass: 0, protocol, maxTrain, maxTest: 6, seed: 9 }).test.x);
    assert.deepEqual(tests[1], tests[0], `${protocol}: maxTrain 2`);
    assert.deepEqual(tests[2], tests[0], `${protocol}: maxTrain 4`);
  }
});

test("the MemAE paper's protocol: the class's images of both splits 2:1, anomalies 30% of the test set", () => {
  // 300 training and 120 test samples of 5 classes: class 1 has 60 + 24 = 84 images in the pool.
  const train = labelled(300, 5);
  const test = labelled(120, 5);
  for (let i = 0; i < test.x.length; i++) test.x[i]! += 1000; // test samples hold 1000 + index
  const split = oneClassSplit(train, test, { normalClass: 1, protocol: 'paper', seed: 3 });
  assert.deepEqual(split.train.shape, [56, 2]);
  assert.deepEqual(split.test.shape, [40, 2]); // 28 normal + 12 anomalies: 30%
  assert.equal(split.test.labels!.reduce((a, b) => a + b, 0), 12);
  const rows = (x: Float32Array) => [...x].filter((_, i) => i % 2 === 0);
  const trainRows = rows(split.train.x);
  const testNormalRows = rows(split.test.x).filter((_, i) => split.test.labels![i] === 0);
  // Every image of class 1 from both splits is used once, in training or in testing, never both.
  const classOne = (v: number) => (v >= 1000 ? v - 1000 : v) % 5 === 1;
  assert.ok(trainRows.every(classOne) && testNormalRows.every(classOne));
  assert.deepEqual([...trainRows, ...testNormalRows].sort((a, b) => a - b), [
    ...Array.from({ length: 60 }, (_, k) => 5 * k + 1), ...Array.from({ length: 24 }, (_, k) => 1000 + 5 * k + 1)]);
  assert.ok(trainRows.some((v) => v >= 1000) && trainRows.some((v) => v < 1000), 'training draws from both splits');
  // Each sample's name says which split and index it is: the values were made to tell the same.
  for (const set of [split.train, split.test]) {
    rows(set.x).forEach((v, i) => assert.equal(set.files![i], v >= 1000 ? `test/${v - 1000}` : `train/${v}`));
  }
  // Anomalies come from the other classes; their original classes are kept.
  split.test.labels!.forEach((label, i) => assert.equal(label, split.testClasses[i] === 1 ? 0 : 1));
  // Seeded: the same seed gives the same split, another seed another.
  const again = oneClassSplit(train, test, { normalClass: 1, protocol: 'paper', seed: 3 });
  assert.deepEqual(again.test.x, split.test.x);
  const other = oneClassSplit(train, test, { normalClass: 1, protocol: 'paper', seed: 4 });
  assert.notDeepEqual([...other.train.x], [...split.train.x]);
  assert.match(split.description, /^one-class \(paper protocol\): normal class 1 \(c1\); train = 2\/3 of that class's images from both splits \(seed 3\); test = the other 1\/3 \(28\) and 12 images of other classes drawn at random \(30% anomalies\)/);
});

test('bad options are named', () => {
  assert.throws(() => oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 1, protocol: 'half' as never }), {
    message: "Expected one of standard, paper for protocol but received 'half' of type string.",
  });
  assert.throws(() => oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 5 }), {
    message: 'Expected a class index in [0, 5) for normalClass but received 5 of type number.',
  });
  assert.throws(() => oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 1, maxTrain: 0 }), {
    message: 'Expected a whole number of samples >= 1, or undefined for all, for maxTrain but received 0 of type number.',
  });
  for (const maxTrain of [-1, 1.5, '2']) {
    assert.throws(() => oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 1, maxTrain } as never), /for maxTrain but received/);
  }
  const noLabels = { x: new Float32Array(2), shape: [1, 2] };
  assert.throws(() => oneClassSplit(noLabels, labelled(10, 5), { normalClass: 0 }), { message: 'Expected class labels for train.labels but received undefined.' });
});

test('a missing options object and unknown options are refused, with the closest name', () => {
  const call = oneClassSplit as (train: unknown, test: unknown, options?: unknown) => unknown;
  assert.throws(() => call(labelled(10, 5), labelled(10, 5)), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected an object with normalClass (the index of the normal class) for oneClassSplit options but received undefined. '
      + 'For example: oneClassSplit(train, test, { normalClass: 3 }).',
  });
  assert.throws(() => call(labelled(10, 5), labelled(10, 5), { normalClass: 1, maxtrain: 1 }), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'maxtrain' for oneClassSplit. Did you mean 'maxTrain'? Its options: normalClass, protocol, maxTrain, maxTest, seed.",
  });
});

test('degenerate splits are refused: different sample shapes, a class absent from train, a test set of one class', () => {
  const wide: ArrayDataset = { ...labelled(10, 5), x: new Float32Array(30), shape: [10, 3] };
  assert.throws(() => oneClassSplit(labelled(10, 5), wide, { normalClass: 1 }), {
    code: 'SHAPE_MISMATCH',
    message: "Expected test samples of the training samples' shape (2) but received (3): train has shape (10, 2), test (10, 3). "
      + 'Load both splits of one dataset with the same options.',
  });
  const noClass3: ArrayDataset = { ...labelled(10, 5), labels: Int32Array.from({ length: 10 }, (_, i) => (i % 5 === 3 ? 4 : i % 5)) };
  assert.throws(() => oneClassSplit(noClass3, labelled(10, 5), { normalClass: 3 }), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected training images of class 3 for train but received none among its 10 samples. Pick a normalClass that occurs in train.labels.',
  });
  const withoutNormal: ArrayDataset = { ...labelled(10, 5), labels: Int32Array.from({ length: 10 }, (_, i) => (i % 5 === 1 ? 2 : i % 5)) };
  assert.throws(() => oneClassSplit(labelled(10, 5), withoutNormal, { normalClass: 1 }), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected test samples of the normal class 1 and of other classes for test but received 10 test samples, none of the normal class 1. '
      + 'Pass the test split of the same dataset, holding the normal class and others.',
  });
  const onlyNormal: ArrayDataset = { ...labelled(10, 5), labels: new Int32Array(10).fill(1) };
  assert.throws(() => oneClassSplit(labelled(10, 5), onlyNormal, { normalClass: 1 }), /received 10 test samples, none of any other class \(the anomalies\)/);
  // A small maxTest may draw one class by chance: scoring such a subset is fine (rocAuc refuses it, naming the cause).
  const drawn = oneClassSplit(labelled(10, 5), labelled(10, 5), { normalClass: 1, maxTest: 1 });
  assert.equal(drawn.test.labels!.length, 1);
});
