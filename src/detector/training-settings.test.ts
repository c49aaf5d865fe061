// Every registered model refuses bad training settings when it is created, not inside fit (or, for the
// contamination, after the whole training).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDetector, modelNames } from '../models/index.js';
import { liveTensors } from '../tensor/memory.js';

const BAD: [Record<string, unknown>, RegExp][] = [
  [{ epochs: -1 }, /Expected a non-negative integer for epochs but received -1 of type number\./],
  [{ epochs: '3' }, /Expected a non-negative integer for epochs but received '3' of type string\./],
  [{ batchSize: 0 }, /Expected a positive integer for batchSize but received 0/],
  [{ batchSize: 2.5 }, /Expected a positive integer for batchSize but received 2\.5/],
  [{ seed: 'abc' }, /Expected a non-negative integer for seed but received 'abc'/],
  [{ seed: -1 }, /Expected a non-negative integer for seed but received -1/],
  [{ lr: '0.01' }, /Expected a positive number for lr but received '0\.01' of type string\./],
  [{ lr: Infinity }, /Expected a positive number for lr but received Infinity/],
  [{ contamination: '0.1' }, /Expected a number in \[0, 0\.5\] for contamination but received '0\.1' of type string\. It is the fraction/],
  [{ precision: 'fp16' }, /Expected 'fp32' or 'bf16' for precision/],
  [{ device: 'gpu' }, /Expected 'cpu', 'cuda' or 'cuda:N' \(N the index of a CUDA device\) for device but received 'gpu' of type string\./],
];

test('every model refuses bad epochs, batchSize, seed, lr, contamination, precision and device at createDetector', () => {
  const before = liveTensors();
  for (const name of modelNames()) {
    for (const [setting, message] of BAD) {
      assert.throws(() => createDetector(name, setting), { code: 'INVALID_ARGUMENT', message }, `${name} ${JSON.stringify(setting)}`);
    }
  }
  assert.throws(() => createDetector('memae', { weightDecay: -1 }), /Expected a number >= 0 for weightDecay but received -1/);
  assert.equal(liveTensors(), before);
});

test("a detector's config is frozen, its lists too, but the caller's own objects stay theirs to change", () => {
  const hiddenSizes = [8, 4, 2];
  const detector = createDetector('memae', { architecture: 'mlp', inputFeatures: 16, hiddenSizes });
  assert.ok(Object.isFrozen(detector.config) && Object.isFrozen(detector.config.hiddenSizes));
  assert.throws(() => (detector.config.hiddenSizes as number[]).push(1), TypeError);
  hiddenSizes.push(1);
  assert.deepEqual(detector.config.hiddenSizes, [8, 4, 2], 'a copy: the caller changing theirs changes nothing here');
  detector.dispose();
});
