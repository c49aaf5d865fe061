import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions } from './resolve.js';
import type { OptionSpec } from './spec.js';

const spec = [
  { name: 'model', type: 'choice', choices: ['memae', 'mnad'], required: true, description: 'Model.' },
  { name: 'seed', type: 'integer', default: 1, description: 'Seed.' },
  { name: 'out', type: 'string', description: 'Output.' },
  { name: 'quiet', type: 'boolean', description: 'Quiet.' },
  { name: 'tag', type: 'string', repeated: true, description: 'Tags.' },
  {
    name: 'train', type: 'section', description: 'Training.', fields: [
      { name: 'epochs', type: 'integer', default: 10, description: 'Epochs.' },
      { name: 'batch-size', type: 'integer', required: true, description: 'Batch.' },
    ],
  },
] as const satisfies readonly OptionSpec[];

test('defaults < config < flags, field by field inside sections', () => {
  const config = { model: 'memae', seed: 5, tag: ['a'], train: { epochs: 3, batchSize: 8 } };
  const flags = { seed: 9, train: { batchSize: 16 } };
  assert.deepEqual(resolveOptions(spec, [config, flags], 'normality train'), {
    model: 'memae', seed: 9, out: undefined, quiet: false, tag: ['a'], train: { epochs: 3, batchSize: 16 },
  });
});

test('booleans default to false, repeated options to a fresh []', () => {
  const first = resolveOptions(spec, [{ model: 'mnad', train: { batchSize: 1 } }], 'normality train');
  assert.equal(first.quiet, false);
  assert.deepEqual(first.tag, []);
  (first.tag as string[]).push('x');
  assert.deepEqual(resolveOptions(spec, [{ model: 'mnad', train: { batchSize: 1 } }], 'normality train').tag, []);
});

test('a missing required option says how to set it', () => {
  assert.throws(() => resolveOptions(spec, [{}], 'normality train'), {
    code: 'INVALID_ARGUMENT',
    message: "Missing option --model for 'normality train': expected one of memae, mnad. Pass --model <value> or set 'model' in the config file.",
  });
  assert.throws(() => resolveOptions(spec, [{ model: 'mnad' }], 'normality train'), {
    message: "Missing option --train.batch-size for 'normality train': expected an integer. Pass --train.batch-size <value> or set 'train.batch-size' in the config file.",
  });
});
