import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from './suggest.js';

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('trian', 'train'), 1);
  assert.equal(editDistance('same', 'same'), 0);
});

test('closest: typos and prefixes match, unrelated words do not', () => {
  const names = ['train', 'test', 'score', 'demo', 'reproduce'];
  assert.equal(closest('trian', names), 'train');
  assert.equal(closest('TEST', names), 'test');
  assert.equal(closest('repro', names), 'reproduce');
  assert.equal(closest('fit', names), undefined);
  assert.equal(closest('batchSize', ['batch-size', 'seed']), 'batch-size');
});
