import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMaxCount } from './max-count.js';

test('a cap is a whole number >= 1 or undefined; 0, negatives, fractions and strings are refused', () => {
  checkMaxCount('maxTrain', undefined, 'images');
  checkMaxCount('maxTrain', 1, 'images');
  for (const bad of [0, -5, 1.5, '2', NaN]) {
    assert.throws(() => checkMaxCount('maxTrain', bad, 'images'), {
      code: 'INVALID_ARGUMENT',
      message: new RegExp(`^Expected a whole number of images >= 1, or undefined for all, for maxTrain but received ${typeof bad === 'string' ? `'${bad}'` : bad}`),
    });
  }
});
