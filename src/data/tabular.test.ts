import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readCsv } from './csv.js';
import { encodeNpy } from './npy.js';
import { fromBase64, npzOf, SHARED_DATA, tempDir } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { loadTabular, splitNormal } from './tabular.js';

const tmp = tempDir('tabular');
after(tmp.remove);

test('loads .npz, .mat, .csv and .tsv tables by extension', () => {
  const npz = join(tmp.dir, 't.npz');
  writeFileSync(npz, fromBase64(references.npz.files.compressed.b64));
  const fromNpz = loadTabular(npz);
  assert.deepEqual(fromNpz.shape, [3, 4]);
  assert.deepEqual([...fromNpz.x], references.npz.X);
  assert.deepEqual([...fromNpz.labels!], [0, 1, 0]);

  const mat = join(tmp.dir, 't.mat');
  writeFileSync(mat, fromBase64(references.mat.files.odds_like));
  const fromMat = loadTabular(mat);
  assert.deepEqual(fromMat.shape, [3, 4]);
  assert.deepEqual([...fromMat.x], references.mat.M);
  assert.deepEqual([...fromMat.labels!], [0, 1, 0]);

  const csv = join(tmp.dir, 't.csv');
  writeFileSync(csv, 'f1,f2,label\n1,2,0\n3,4,1\n');
  assert.deepEqual(loadTabular(csv).shape, [2, 2]);
  const tsv = join(tmp.dir, 't.tsv');
  writeFileSync(tsv, 'f1\tf2\tlabel\n1\t2\t0\n3\t4\t1\n');
  assert.deepEqual([loadTabular(tsv).shape, [...loadTabular(tsv).x]], [[2, 2], [1, 2, 3, 4]], 'tab-separated by default');
});

test('a table of normal rows alone loads without labels from each format', () => {
  const npz = join(tmp.dir, 'features.npz');
  writeFileSync(npz, npzOf({ X: encodeNpy({ dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }) }));
  const fromNpz = loadTabular(npz, { yKey: null });
  assert.deepEqual([fromNpz.shape, [...fromNpz.x], fromNpz.labels], [[2, 3], [1, 2, 3, 4, 5, 6], undefined]);
  assert.throws(() => loadTabular(npz), /features\.npz.*'y'/, 'asked for labels, a file without them is named');

  const mat = join(tmp.dir, 'unlabelled.mat');
  writeFileSync(mat, fromBase64(references.mat.files.odds_like));
  const fromMat = loadTabular(mat, { yKey: null });
  assert.deepEqual([fromMat.shape, [...fromMat.x], fromMat.labels], [[3, 4], references.mat.M, undefined]);

  const csv = join(tmp.dir, 'unlabelled.csv');
  writeFileSync(csv, 'f1,f2\n1,2\n3,4\n');
  const fromCsv = loadTabular(csv, { labelColumn: null });
  assert.deepEqual([fromCsv.shape, [...fromCsv.x], fromCsv.labels], [[2, 2], [1, 2, 3, 4], undefined]);
});

test('shape errors and unknown extensions', () => {
  assert.throws(() => loadTabular(join(tmp.dir, 'x.parquet')), {
    message: `Expected a file ending in '.npz' (ADBench), '.mat' (ODDS), '.csv' or '.tsv' for path but received '${join(tmp.dir, 'x.parquet')}' of type string. Convert the table to one of these formats.`,
  });
  const bad = join(tmp.dir, 'bad.npz');
  writeFileSync(bad, npzOf({ X: encodeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array(4) }), y: encodeNpy({ dtype: 'int32', shape: [3], data: new Int32Array(3) }) }));
  assert.throws(() => loadTabular(bad), { message: `${bad}: 'y' has shape (3) but 'X' has 2 rows: expected 2 labels.` });
  const flat = join(tmp.dir, 'flat.npz');
  writeFileSync(flat, npzOf({ X: encodeNpy({ dtype: 'float32', shape: [4], data: new Float32Array(4) }), y: encodeNpy({ dtype: 'int32', shape: [4], data: new Int32Array(4) }) }));
  assert.throws(() => loadTabular(flat), { message: `${flat}: 'X' has shape (4): expected a 2-D table (samples, features).` });
  const fractional = join(tmp.dir, 'frac.npz');
  writeFileSync(fractional, npzOf({ X: encodeNpy({ dtype: 'float32', shape: [1, 1], data: new Float32Array(1) }), y: encodeNpy({ dtype: 'float64', shape: [1], data: Float64Array.from([0.5]) }) }));
  assert.throws(() => loadTabular(fractional), {
    message: `Expected a whole-number label for ${fractional}:y[0] but received 0.5 of type number. Labels must be integers such as 0 (normal) and 1 (anomaly).`,
  });
  const sklearn = join(tmp.dir, 'sklearn.npz');
  writeFileSync(sklearn, npzOf({ X: encodeNpy({ dtype: 'float32', shape: [2, 1], data: new Float32Array(2) }), y: encodeNpy({ dtype: 'int32', shape: [2], data: Int32Array.from([1, -1]) }) }));
  assert.throws(() => loadTabular(sklearn), {
    message: `${sklearn}: 'y' holds -1 at index 1: expected 0 (normal) or 1 (anomaly). Map the labels to 0 and 1 first (scikit-learn's -1 for an outlier and 1 for an inlier become 1 and 0).`,
  });
  assert.throws(() => loadTabular(sklearn, { delimiter: ';' }), { message: /^Expected no delimiter for the \.npz file .*: its arrays have no fields to split for delimiter but received ';'/ });
  // A NaN, an infinity or a float64 beyond float32 is named by its index when the table loads, not found at fit.
  const unfinished = join(tmp.dir, 'unfinished.npz');
  for (const [value, said] of [[Number.NaN, 'NaN'], [-Infinity, '-Infinity'], [1e40, '1e\\+40, beyond what a 32-bit float holds \\(±3\\.4e38\\)']] as const) {
    writeFileSync(unfinished, npzOf({ X: encodeNpy({ dtype: 'float64', shape: [2, 2], data: Float64Array.of(1, 2, 3, value) }) }));
    assert.throws(() => loadTabular(unfinished, { yKey: null }), { message: new RegExp(`: X\\[1, 1\\] \\(row and column counted from 0\\) holds ${said}: the models need finite numbers\\. Fill in or drop`) });
  }
});

test('splitNormal: train on a seeded fraction of the normal rows, test on the rest plus all anomalies', () => {
  const n = 20;
  const x = Float32Array.from({ length: n * 2 }, (_, i) => i);
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 5 === 4 ? 1 : 0)); // 16 normal, 4 anomalies
  const { train, test } = splitNormal({ x, shape: [n, 2], labels }, { seed: 3 });
  assert.deepEqual(train.shape, [8, 2]);
  assert.deepEqual(test.shape, [12, 2]);
  assert.deepEqual([...train.labels!], new Array(8).fill(0));
  assert.deepEqual([...test.labels!], [...new Array(8).fill(0), 1, 1, 1, 1]);
  const rowsOf = (data: typeof train) => Array.from({ length: data.shape[0] }, (_, i) => data.x[i * 2] / 2);
  const trainRows = rowsOf(train), testRows = rowsOf(test);
  assert.deepEqual(testRows.slice(8), [4, 9, 14, 19]);
  assert.deepEqual([...trainRows, ...testRows.slice(0, 8)].sort((a, b) => a - b), [0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 15, 16, 17, 18]);
  const again = splitNormal({ x, shape: [n, 2], labels }, { seed: 3 });
  assert.deepEqual([...again.train.x], [...train.x]);
  const other = splitNormal({ x, shape: [n, 2], labels }, { seed: 4 });
  assert.notDeepEqual([...other.train.x], [...train.x]);
  assert.deepEqual(splitNormal({ x, shape: [n, 2], labels }, { seed: 3, trainFraction: 0.75 }).train.shape, [12, 2]);
  assert.throws(() => splitNormal({ x, shape: [n, 2], labels }, { seed: 3, trainFraction: 1 }), {
    message: 'Expected a number between 0 and 1 (exclusive) for trainFraction but received 1 of type number.',
  });
  assert.throws(() => splitNormal({ x, shape: [n, 2] }, { seed: 3 }), {
    message: 'Expected labels (0 = normal, other = anomaly) to split on for dataset.labels but received undefined.',
  });
  assert.throws(() => splitNormal({ x, shape: [n, 2], labels: Int32Array.from(labels, (_, i) => (i === 0 ? 0 : 1)) }, { seed: 3 }), {
    message: 'Expected at least 2 normal samples (label 0) to train on for dataset.labels but received 1 of 20 samples labelled 0. ' +
      'Label normal samples 0 and anomalies 1. A table of normal rows without labels loads with labelColumn: null (--label-column none).',
  });
  assert.throws(() => splitNormal({ x: x.subarray(0, 2), shape: [1, 2], labels: Int32Array.of(1) }, { seed: 3 }), { message: /but received 0 of 1 sample labelled 0\./ });
  assert.throws(() => splitNormal({ x, shape: [n, 2], labels: new Int32Array(n) }, { seed: 3 }), {
    message: 'Expected at least one anomaly (a label other than 0) for the test split for dataset.labels but received all 20 samples labelled 0. ' +
      'To train on normal rows alone, use every row: a table without anomalies loads with labelColumn: null (--label-column none).',
  });
});

test('loadTabular and readCsv refuse an unknown option, naming the closest one', () => {
  const csv = join(tmp.dir, 'keys.csv');
  writeFileSync(csv, 'a,label\n1,0\n');
  assert.throws(() => loadTabular(csv, { labelcolumn: 'none' } as never), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'labelcolumn' for loadTabular. Did you mean 'labelColumn'? Its options: labelColumn, delimiter, xKey, yKey.",
  });
  assert.deepEqual(loadTabular(csv, { labelColumn: 'label', yKey: 'y' }).shape, [1, 1], 'the .npz / .mat keys pass with a .csv');
  assert.throws(() => readCsv(csv, { yKey: null } as never), {
    message: "Unknown option 'yKey' for readCsv. Its options: labelColumn, delimiter.",
  });
});

test('splitNormal: a missing options object, an unknown option and a fraction that leaves no training rows are refused', () => {
  const x = new Float32Array(10);
  const labels = Int32Array.from([0, 0, 1, 1, 1]);
  const call = splitNormal as (dataset: unknown, options?: unknown) => unknown;
  assert.throws(() => call({ x, shape: [5, 2], labels }), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected an object with seed (a whole number) for splitNormal options but received undefined. For example: splitNormal(dataset, { seed: 0, trainFraction: 0.5 }).',
  });
  assert.throws(() => call({ x, shape: [5, 2], labels }, { seed: 0, trainfraction: 0.9 }), {
    message: "Unknown option 'trainfraction' for splitNormal. Did you mean 'trainFraction'? Its options: seed, trainFraction.",
  });
  assert.throws(() => splitNormal({ x, shape: [5, 2], labels }, { seed: 0, trainFraction: 0.1 }), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected a fraction that keeps at least one of the 2 normal samples (label 0) to train on for trainFraction but received 0.1 of type number. '
      + 'floor(0.1 × 2) = 0 training samples: pass trainFraction >= 0.5.',
  });
  assert.deepEqual(splitNormal({ x, shape: [5, 2], labels }, { seed: 0, trainFraction: 0.5 }).train.shape, [1, 2]);
});

const adbench = join(SHARED_DATA, 'adbench');
const odds = join(SHARED_DATA, 'odds');
test('every ADBench and ODDS table loads as (n, d) with 0/1 labels', { skip: existsSync(adbench) && existsSync(odds) ? false : 'shared data adbench/ or odds/ is absent' }, () => {
  const files = [
    ...readdirSync(adbench).filter((f) => f.endsWith('.npz')).map((f) => join(adbench, f)),
    ...readdirSync(odds).filter((f) => f.endsWith('.mat')).map((f) => join(odds, f)),
  ];
  for (const file of files) {
    const data = loadTabular(file);
    assert.equal(data.shape.length, 2, file);
    assert.equal(data.x.length, data.shape[0] * data.shape[1], file);
    assert.equal(data.labels!.length, data.shape[0], file);
    assert.ok(data.labels!.every((v) => v === 0 || v === 1), file);
  }
});

