import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortAscending } from './sort-float64.js';

function generated(n: number): Float64Array {
  let seed = 11;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    // negatives, ties, tiny and huge magnitudes, signed zeros and infinities
    values[i] = kind === 0 ? Math.round(random() * 5) : kind === 1 ? -random() * 1e-300 : kind === 2 ? (random() - 0.5) * 1e300
      : kind === 3 ? (i % 20 === 3 ? -0 : 0) : (random() - 0.5) * 10;
  }
  values[5] = Infinity;
  values[6] = -Infinity;
  return values;
}

for (const n of [1000, 100_000]) {
  test(`sortAscending orders ${n} values exactly as the native sort`, () => {
    const values = generated(n);
    const expected = values.slice().sort();
    sortAscending(values);
    for (let i = 0; i < n; i++) assert.ok(Object.is(values[i], expected[i]), `index ${i}: ${values[i]} vs ${expected[i]}`);
  });

  test(`sortAscending carries a payload along (${n} values)`, () => {
    const values = generated(n);
    const payload = values.map((v) => v * 2);
    sortAscending(values, payload);
    for (let i = 1; i < n; i++) assert.ok(values[i - 1] <= values[i]);
    for (let i = 0; i < n; i++) assert.ok(payload[i] === values[i] * 2, `payload ${i}`);
  });
}
