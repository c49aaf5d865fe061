import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeBudget } from './time-budget.js';

test('a time budget stops before an epoch that would end past it, and never without one', () => {
  assert.equal(new TimeBudget(undefined).nextEpochOverruns(1e9), false);
  const hour = new TimeBudget(3600);
  assert.equal(hour.nextEpochOverruns(1), false);
  assert.equal(hour.nextEpochOverruns(3601), true);
  assert.equal(new TimeBudget(1e-9).nextEpochOverruns(0), true); // already spent
});

test('a budget that is not a positive number of seconds is refused', () => {
  for (const bad of [0, -5, Number.NaN]) {
    assert.throws(() => new TimeBudget(bad), /Expected a positive number of seconds for maxSeconds/);
  }
});
