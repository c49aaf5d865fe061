import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOptionKeys, requireOptions } from './option-keys.js';

const KNOWN = ['normalClass', 'maxTrain', 'seed'];

test('checkOptionKeys: known keys, undefined values and no options at all pass', () => {
  checkOptionKeys('f', { normalClass: 1, seed: 0 }, KNOWN);
  checkOptionKeys('f', { typo: undefined }, KNOWN);
  checkOptionKeys('f', undefined, KNOWN);
});

test('checkOptionKeys: an unknown key is refused with the closest known key and the list', () => {
  assert.throws(() => checkOptionKeys('oneClassSplit', { normalClass: 1, maxtrain: 1 }, KNOWN), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'maxtrain' for oneClassSplit. Did you mean 'maxTrain'? Its options: normalClass, maxTrain, seed.",
  });
  assert.throws(() => checkOptionKeys('proAuc', { fprLimit: 0.01 }, ['maxFpr']), {
    message: "Unknown option 'fprLimit' for proAuc. Its options: maxFpr.",
  });
});

test('checkOptionKeys: options that are not an object are refused', () => {
  assert.throws(() => checkOptionKeys('proAuc', 0.01, ['maxFpr']), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected an object with some of maxFpr for proAuc options but received 0.01 of type number. Leave it out for the defaults.',
  });
  assert.throws(() => checkOptionKeys('f', null, KNOWN), /received null/);
  assert.throws(() => checkOptionKeys('f', [1], KNOWN), /received an array of length 1/);
});

test('requireOptions: a missing options object says what is required and shows a call', () => {
  requireOptions('loadMnist', { split: 'train' }, "split ('train' or 'test')", "loadMnist({ split: 'train' })");
  assert.throws(() => requireOptions('loadMnist', undefined, "split ('train' or 'test')", "loadMnist({ split: 'train' })"), {
    code: 'INVALID_ARGUMENT',
    message: "Expected an object with split ('train' or 'test') for loadMnist options but received undefined. For example: loadMnist({ split: 'train' }).",
  });
  assert.throws(() => requireOptions('f', 'imgs/', 'x', 'f({ x: 1 })'), /received 'imgs\/' of type string/);
});
