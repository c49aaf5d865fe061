import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows } from './rows.js';
import { Rng } from './random.js';
import { createDetector } from '../models/index.js';
import { liveTensors } from '../tensor/memory.js';

test('fromRows: arrays of numbers or objects of named numbers become an (N, D) float32 table', () => {
  const plain = fromRows([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(plain.shape, [2, 3]);
  assert.deepEqual([...plain.x], [1, 2, 3, 4, 5, 6]);
  assert.ok(plain.x instanceof Float32Array);
  assert.equal(plain.featureNames, undefined);
  assert.equal(plain.labels, undefined);
  assert.deepEqual(fromRows([[1, 2]], { featureNames: ['a', 'b'] }).featureNames, ['a', 'b']);
  // Typed-array rows (a Float32Array table's rows) are rows by position, not objects whose keys are 0, 1, …
  const typed = fromRows([Float32Array.of(1, 2), Float64Array.of(3, 4)]);
  assert.deepEqual([typed.shape, [...typed.x], typed.featureNames], [[2, 2], [1, 2, 3, 4], undefined]);

  // Object rows: the keys of the first row name and order the columns; later rows may list them in any order.
  const named = fromRows([{ temperature: 70.5, vibration: 0.25 }, { vibration: 0.5, temperature: 71 }], { labels: [0, 1] });
  assert.deepEqual(named.featureNames, ['temperature', 'vibration']);
  assert.deepEqual([...named.x], [70.5, 0.25, 71, 0.5]);
  assert.deepEqual([...named.labels!], [0, 1]);
});

test('fromRows names the row, column or label that is wrong', () => {
  const cases: [() => unknown, string][] = [
    [() => fromRows([]), 'Expected a non-empty array of rows (arrays of numbers, or objects of named numbers) for rows but received an array of length 0.'],
    [() => fromRows([5 as unknown as number[]]), 'Expected an array of numbers or an object of named numbers for rows[0] but received 5 of type number.'],
    [() => fromRows([[]]), 'Expected at least one column for rows[0] but received an array of length 0.'],
    [() => fromRows([[1, 2], [3]]), 'Expected 2 values, as rows[0] has for rows[1] but received 1.'],
    [() => fromRows([[1, 2], [3, Number.NaN]]), 'Expected a finite number for rows[1][1] but received NaN of type number. The models need a number in every cell: fill in or drop rows with missing values.'],
    [() => fromRows([{ a: 1, b: 2 }, { a: 3, b: '4' as unknown as number }]), "Expected a finite number for rows[1].b but received '4' of type string. The models need a number in every cell: fill in or drop rows with missing values."],
    [() => fromRows([{ a: 1, b: 2 }, { a: 3, c: 4 }]), 'Expected the columns of rows[0] (a, b) for rows[1] but received no b; also c.'],
    [() => fromRows([{ a: 1 }, [2]]), 'Expected an object of named numbers, like rows[0] for rows[1] but received an array of length 1.'],
    [() => fromRows([[1, 2]], { featureNames: ['a'] }), 'Expected 2 names, one per column for featureNames but received an array of length 1.'],
    [() => fromRows([[1, 2]], { featureNames: ['a', 'a'] }), "Expected a name for each column, each once (columns are told apart by name) for featureNames but received an array of length 2. 'a' is given twice."],
    [() => fromRows([{ a: 1 }], { featureNames: ['a'] }), 'Expected no names for object rows (their keys name the columns) for featureNames but received an array of length 1. Leave featureNames out, or give the rows as arrays.'],
    [() => fromRows([[1e40, 1]]), 'Expected a number a 32-bit float holds (within ±3.4e38) for rows[0][0] but received 1e+40 of type number. Scale that column down, for example by a logarithm.'],
    [() => fromRows([[1], [2]], { labels: [0] }), 'Expected one label per row (2) for labels but received 1 labels.'],
    [() => fromRows([[1], [2]], { labels: [0, 2] }), 'Expected 0 (normal) or 1 (anomaly) for labels[1] but received 2 of type number.'],
  ];
  for (const [make, message] of cases) assert.throws(make, { message });
});

test('a table model scores fromRows tables by column name: reordered columns score the same, a missing column is refused', async () => {
  const before = liveTensors();
  const rng = new Rng(3);
  const reading = (anomaly: boolean) => {
    const t = rng.next();
    return anomaly ? { pressure: rng.next(), flow: rng.next(), temperature: rng.next() } : { pressure: t, flow: 1 - t, temperature: 0.5 + rng.next() * 0.01 };
  };
  // No inputFeatures: the table's width comes from fit's data, as a PyOD detector takes it.
  const detector = createDetector('memae', { architecture: 'mlp', epochs: 20, batchSize: 32, seed: 1 });
  try {
    await detector.fit(fromRows(Array.from({ length: 200 }, () => reading(false))));
    assert.equal(detector.config.inputFeatures, 3);
    const fresh = Array.from({ length: 20 }, (_, i) => reading(i >= 15));
    const scores = await detector.score(fromRows(fresh));
    // The same readings with their keys in another order: the columns come in another order, the scores do not change.
    const reordered = fresh.map(({ pressure, flow, temperature }) => ({ temperature, flow, pressure }));
    assert.deepEqual(fromRows(reordered).featureNames, ['temperature', 'flow', 'pressure']);
    assert.deepEqual(await detector.score(fromRows(reordered)), scores);
    // Which features: errors in the model's column order, named, whatever order the table came in.
    const errors = await detector.featureErrors(fromRows(fresh));
    assert.deepEqual(errors.featureNames, ['pressure', 'flow', 'temperature']);
    assert.deepEqual(await detector.featureErrors(fromRows(reordered)), errors);
    const normalMean = scores.slice(0, 15).reduce((a, b) => a + b, 0) / 15;
    assert.ok(scores.slice(15).every((s) => s > normalMean), 'the off-pattern readings score above the normal mean');
    await assert.rejects(detector.score(fromRows(fresh.map(({ pressure, flow }) => ({ pressure, flow, humidity: 0.4 })))), {
      message: 'Expected the columns the model was trained on (pressure, flow, temperature), in any order for score data.featureNames but received columns missing temperature; not in the model humidity. ' +
        'Give a table with the same columns, or leave featureNames out to go by position.',
    });
    // A missing key is named, not counted as a narrower shape.
    await assert.rejects(detector.score(fromRows(fresh.map(({ pressure, flow }) => ({ pressure, flow })))), { message: /but received columns missing temperature\. Give a table with the same columns/ });
    // Once fitted, the width is the model's: an unnamed table of another width is refused by its shape.
    await assert.rejects(detector.score({ x: new Float32Array(8), shape: [2, 4] }), { message: /Expected samples of shape \(N, 3\), the shape this model was built for/ });
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});
