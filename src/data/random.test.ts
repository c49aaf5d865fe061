import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './random.js';

test('the same seed gives the same stream, another seed another', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const sa = Array.from({ length: 8 }, () => a.nextUint32());
  const sb = Array.from({ length: 8 }, () => b.nextUint32());
  const sc = Array.from({ length: 8 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  // Pinned so that a change to the generator (and so to every split) is noticed.
  const zero = new Rng(0);
  assert.deepEqual([zero.nextUint32(), zero.nextUint32(), zero.nextUint32()], [1789933344, 44971166, 2521387044]);
  assert.deepEqual([...new Rng(0).permutation(10)], [6, 3, 5, 8, 0, 7, 1, 9, 2, 4]);
  assert.equal(sa.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32), true);
});

test('next() is uniform in [0, 1) and int(n) covers 0..n-1 evenly', () => {
  const rng = new Rng(1);
  const counts = new Array(10).fill(0);
  let sum = 0;
  for (let i = 0; i < 20000; i++) {
    const u = rng.next();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    counts[rng.int(10)]++;
  }
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  for (const c of counts) assert.ok(c > 1800 && c < 2200, `count ${c}`);
});

test('permutation and sample', () => {
  const p = new Rng(7).permutation(100);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual([...p], Array.from({ length: 100 }, (_, i) => i));
  const s = new Rng(7).sample(100, 10);
  assert.equal(s.length, 10);
  assert.equal(new Set(s).size, 10);
  assert.deepEqual([...s], [...s].sort((a, b) => a - b));
});

test('bad arguments are named', () => {
  assert.throws(() => new Rng(1.5), { message: 'Expected a non-negative whole number for seed but received 1.5 of type number. Pass a seed such as 0 or 42.' });
  assert.throws(() => new Rng(-1), { message: 'Expected a non-negative whole number for seed but received -1 of type number. Pass a seed such as 0 or 42.' });
  assert.throws(() => new Rng(0).int(0), { message: 'Expected a whole number in [1, 2^32] for n but received 0 of type number.' });
  assert.throws(() => new Rng(0).sample(5, 6), { message: 'Expected a whole number in [0, 5] for k but received 6 of type number.' });
});

test('seeds at and above 2^32 give streams of their own, not those of the seed modulo 2^32', () => {
  const first = (seed: number) => Array.from({ length: 4 }, ((rng) => () => rng.nextUint32())(new Rng(seed)));
  assert.notDeepEqual(first(2 ** 32), first(0));
  assert.notDeepEqual(first(2 ** 32 + 5), first(5));
  assert.deepEqual(first(2 ** 40), first(2 ** 40));
});
