// Creation options: misspelt or mistyped options are refused, and a tensor that libtorch refuses to make
// require gradients (integer, bool) is freed rather than leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ones, tensor, zeros } from './create.js';
import { liveTensors } from './memory.js';
import { assertRefused } from './testing.js';
import type { CreateOptions } from './create.js';

test('requiresGrad on an integer or bool tensor is refused and the tensor made for it is freed', () => {
  const before = liveTensors();
  assertRefused(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), 'NATIVE', /^requiresGrad failed: Only Tensors of floating point and complex dtype can require gradients/);
  assertRefused(() => zeros([2], { dtype: 'int64', requiresGrad: true }), 'NATIVE', /Only Tensors of floating point/);
  assertRefused(() => ones([2], { dtype: 'bool', requiresGrad: true }), 'NATIVE', /Only Tensors of floating point/);
  assert.equal(liveTensors(), before);
  const t = tensor([1, 2], { requiresGrad: true });
  assert.equal(t.requiresGrad, true);
  t.dispose();
});

test('creation options: an unknown key gets the closest known one, requiresGrad must be a boolean', () => {
  assertRefused(() => tensor([1], { dtyp: 'int32' } as CreateOptions), 'INVALID_ARGUMENT',
    "Unknown option 'dtyp' for tensor(). Did you mean 'dtype'? Its options: dtype, device, requiresGrad, shape.");
  assertRefused(() => zeros([1], { shape: [2] } as CreateOptions), 'INVALID_ARGUMENT', "Unknown option 'shape' for zeros(). Its options: dtype, device, requiresGrad.");
  assertRefused(() => tensor([1], { requiresGrad: 'yes' } as unknown as CreateOptions), 'INVALID_ARGUMENT', "Expected true or false for requiresGrad but received 'yes' of type string.");
});

test('bytes made bool are 0 or 1, as from numbers: any non-zero byte is true', () => {
  const fromBytes = tensor(new Uint8Array([0, 2, 1, 255]), { dtype: 'bool' });
  const fromNumbers = tensor([0, 2, 1, 255], { dtype: 'bool' });
  assert.deepEqual([...fromBytes.data('bool')], [0, 1, 1, 1]);
  assert.deepEqual([...fromBytes.data('bool')], [...fromNumbers.data('bool')]);
  fromBytes.dispose();
  fromNumbers.dispose();
});
