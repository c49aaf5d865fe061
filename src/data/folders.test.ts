import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readImageFolder } from './folders.js';

test('readImageFolder checks its options before listing the folder', () => {
  const call = readImageFolder as (dir: string, options?: unknown) => unknown;
  assert.throws(() => call('/nonexistent'), {
    code: 'INVALID_ARGUMENT',
    message: 'Expected an object with classNames, width, height and channels (1 or 3) for readImageFolder options but received undefined. '
      + "For example: readImageFolder('cifar10/test', { classNames: ['cat', 'dog'], width: 32, height: 32, channels: 3 }).",
  });
  const options = { classNames: ['a'], width: 8, height: 8, channels: 3 };
  assert.throws(() => call('/nonexistent', { ...options, chanels: 1 }), {
    message: "Unknown option 'chanels' for readImageFolder. Did you mean 'channels'? Its options: classNames, width, height, channels.",
  });
  assert.throws(() => call('/nonexistent', { ...options, width: -8 }), {
    message: 'Expected a whole number of pixels from 1 to 4096 for options.width but received -8 of type number.',
  });
});
