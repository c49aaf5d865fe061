import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, didYouMean, editDistance, suggestions } from './suggest.js';

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

test('didYouMean: every name that holds the words typed, else the closest typo', () => {
  const benchmarks = ['memae-mnist', 'memae-cifar10', 'memae-ped2', 'mnad-pred-ped2', 'mnad-recon-ped2', 'memae-kdd'];
  // mnad-ped2 is two edits from memae-ped2, but its words are those of the two MNAD benchmarks.
  assert.equal(didYouMean('mnad-ped2', benchmarks), "Did you mean 'mnad-pred-ped2' or 'mnad-recon-ped2'?");
  assert.equal(didYouMean('memae-mnst', benchmarks), "Did you mean 'memae-mnist'?");
  assert.deepEqual(suggestions('mnad', ['memae-video', 'ae-video', 'mnad-pred', 'mnad-recon']), ['mnad-pred', 'mnad-recon']);
  assert.deepEqual(suggestions('memae', ['memae-video', 'ae-video', 'mnad-pred', 'mnad-recon']), ['memae-video']);
  assert.equal(didYouMean('kdd', benchmarks), "Did you mean 'memae-kdd'?");
  assert.equal(didYouMean('ae', benchmarks), undefined, 'two letters fit too much to suggest');
  assert.equal(didYouMean('svm', benchmarks), undefined);
});
