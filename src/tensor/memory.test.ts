// tidy and keep called the wrong way from plain JavaScript: a clear refusal, not a TypeError from inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ones } from './create.js';
import { keep, liveTensors, tidy } from './memory.js';
import { assertRefused } from './testing.js';

test('keep() takes a Tensor', () => {
  assertRefused(() => keep(5 as never), 'INVALID_ARGUMENT', 'Expected a Tensor for keep(tensor) but received 5 of type number. Keep each tensor of a result: keep(t).');
  assertRefused(() => keep(null as never), 'INVALID_ARGUMENT', 'Expected a Tensor for keep(tensor) but received null. Keep each tensor of a result: keep(t).');
  const list = [ones([1])];
  assertRefused(() => keep(list as never), 'INVALID_ARGUMENT', /^Expected a Tensor for keep\(tensor\) but received an array of length 1\./);
  list[0]!.dispose();
});

test('tidy() takes a function, optionally after a name as in tfjs', () => {
  assertRefused(() => tidy(5 as never), 'INVALID_ARGUMENT', 'Expected a function that returns the tensors to keep for tidy(fn) but received 5 of type number. Call tidy(() => ...).');
  assertRefused(() => tidy('step' as never), 'INVALID_ARGUMENT', 'Expected a function that returns the tensors to keep for tidy(name, fn) but received undefined. Call tidy(() => ...).');
  const before = liveTensors();
  const sum = tidy('step', () => ones([2]).mul(2).sum());
  assert.equal(liveTensors(), before + 1); // the intermediates are freed, the result kept
  assert.equal(sum.item(), 4);
  sum.dispose();
  assert.equal(liveTensors(), before);
});
