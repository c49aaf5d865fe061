// Shapes and sizes: refused in TypeScript with the bad entry named; methods take sizes spread or as one array.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, ones, full, randn } from './create.js';
import { dispose, tidy } from './memory.js';
import { assertRefused } from './testing.js';

test('creation refuses a shape that is not an array of non-negative integers', () => {
  assertRefused(() => zeros([-1, 3]), 'INVALID_ARGUMENT', 'Expected a non-negative integer for shape[0] but received -1 of type number.');
  assertRefused(() => ones([2, 1.5]), 'INVALID_ARGUMENT', 'Expected a non-negative integer for shape[1] but received 1.5 of type number.');
  assertRefused(() => zeros('3' as unknown as number[]), 'INVALID_ARGUMENT', "Expected an array of non-negative integers, such as [2, 3] for shape but received '3' of type string.");
  assertRefused(() => full([2, NaN], 1), 'INVALID_ARGUMENT', 'Expected a non-negative integer for shape[1] but received NaN of type number.');
  assertRefused(() => randn(null as unknown as number[]), 'INVALID_ARGUMENT', 'Expected an array of non-negative integers, such as [2, 3] for shape but received null.');
  assertRefused(() => tensor(new Float32Array(6), { shape: [-2, -3] }), 'INVALID_ARGUMENT', 'Expected a non-negative integer for shape[0] but received -2 of type number.');
  assertRefused(() => tensor(new Float32Array(5), { shape: [2.5, 2] }), 'INVALID_ARGUMENT', 'Expected a non-negative integer for shape[0] but received 2.5 of type number.');
  assertRefused(() => tensor([1, 2, 3, 4], { shape: [2, '2' as unknown as number] }), 'INVALID_ARGUMENT', "Expected a non-negative integer for shape[1] but received '2' of type string.");
  // A shape that does not match the data prints the shape as it is, not as a quoted string.
  assertRefused(() => tensor(new Float32Array(5), { shape: [2, 3] }), 'INVALID_ARGUMENT', 'Expected a shape with 5 elements to match the data for shape but received [2, 3] (6 elements).');
  assertRefused(() => zeros([2], 'float32' as unknown as object), 'INVALID_ARGUMENT', "Expected an object such as { dtype: 'float32', device: 'cpu' } for options but received 'float32' of type string.");
  tidy(() => {
    assert.deepEqual(zeros(3 as unknown as number[]).shape, [3]); // torch.zeros(3)
    assert.deepEqual(zeros([0, 2]).shape, [0, 2]);
    assert.deepEqual(tensor([[1, 2], [3, 4]], { shape: [4] }).shape, [4]);
  });
});

test('reshape, view, permute, expand, repeat and flip take sizes spread or as one array', () => {
  tidy(() => {
    const x = tensor([[1, 2], [3, 4]]);
    assert.deepEqual(x.reshape([4]).shape, [4]);
    assert.deepEqual(x.reshape(4).shape, [4]);
    assert.deepEqual(x.reshape(-1, 1).shape, [4, 1]);
    assert.deepEqual(x.view([1, 4]).shape, [1, 4]);
    assert.deepEqual(x.permute([1, 0]).toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(x.permute(1, 0).toArray(), [[1, 3], [2, 4]]);
    assert.deepEqual(x.reshape(2, 1, 2).expand([2, 3, 2]).shape, [2, 3, 2]);
    assert.deepEqual(x.repeat([2, 1]).shape, [4, 2]);
    assert.deepEqual(x.flip([0]).toArray(), [[3, 4], [1, 2]]);
  });
  const x = ones([2, 2]);
  assertRefused(() => x.reshape('4' as unknown as number), 'INVALID_ARGUMENT', "Expected an integer for shape[0] but received '4' of type string. Call reshape(2, 3) or reshape([2, 3]).");
  assertRefused(() => x.view([2, 2.5]), 'INVALID_ARGUMENT', 'Expected an integer for shape[1] but received 2.5 of type number. Call view(2, 3) or view([2, 3]).');
  assertRefused(() => x.permute(0, [1] as unknown as number), 'INVALID_ARGUMENT', 'Expected an integer for dims[1] but received an array of length 1. Call permute(2, 3) or permute([2, 3]).');
  // Ranges are libtorch's to check; its refusal comes as a NormalityError too.
  assertRefused(() => x.reshape(3), 'NATIVE', /^aten::reshape failed: shape '\[3\]' is invalid for input of size 4/);
  dispose(x);
});
