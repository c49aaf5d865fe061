import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trapezoidArea } from './trapezoid.js';

test('trapezoidArea integrates the whole curve, or up to xMax with the last point interpolated', () => {
  const x = [0, 0, 0.5, 1];
  const y = [0, 1, 1, 0];
  assert.equal(trapezoidArea(x, y), 0.75);
  assert.equal(trapezoidArea(x, y, 0.5), 0.5);
  // at 0.75 the last segment has fallen to 0.5: 0.5 + 0.25 × (1 + 0.5) / 2
  assert.equal(trapezoidArea(x, y, 0.75), 0.6875);
  assert.equal(trapezoidArea(x, y, 0), 0);
  assert.equal(trapezoidArea([0], [1]), 0);
});
