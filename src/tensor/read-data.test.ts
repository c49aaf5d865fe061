// tensor() from JavaScript data: what it reads, and what it refuses with the position named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, scalar } from './create.js';
import { tidy } from './memory.js';
import { assertRefused } from './testing.js';

const refuses = (data: unknown, message: string, options?: object) =>
  assertRefused(() => tensor(data as number[], options), 'INVALID_ARGUMENT', message);

test('tensor() refuses entries that are not numbers, booleans or bigints, naming where they are', () => {
  refuses(['a', 'b'], "Expected a number, boolean or bigint for data[0] but received 'a' of type string. Convert strings with Number() first.");
  refuses(['1', '2'], "Expected a number, boolean or bigint for data[0] but received '1' of type string. Convert strings with Number() first.");
  refuses([1, 'a', null], "Expected a number (like data[0]) for data[1] but received 'a' of type string. Convert strings with Number() first.");
  refuses([1, 2, null], 'Expected a number (like data[0]) for data[2] but received null. Pass numbers only.');
  refuses([[1, 2], [3, undefined]], 'Expected a number (like data[0][0]) for data[1][1] but received undefined. Pass numbers only.');
  refuses([undefined], 'Expected a number, boolean or bigint for data[0] but received undefined. Pass numbers only.');
  // eslint-disable-next-line no-sparse-arrays
  refuses([1, , 3], 'Expected a number (like data[0]) for data[1] but received undefined. Pass numbers only.');
  refuses([1, { a: 1 }], 'Expected a number (like data[0]) for data[1] but received an object of type Object. Pass numbers only.');
  refuses([1, true], 'Expected a number (like data[0]) for data[1] but received true of type boolean. Entries must all be of one kind: numbers, booleans or bigints.');
  refuses([1n, 2], 'Expected a bigint (like data[0]) for data[1] but received 2 of type number. Entries must all be of one kind: numbers, booleans or bigints.');
  refuses(null, 'Expected a TypedArray, (nested) arrays of numbers, or a number for data but received null. Booleans and bigints are accepted too.');
  refuses({ a: 1 }, 'Expected a TypedArray, (nested) arrays of numbers, or a number for data but received an object of type Object. Booleans and bigints are accepted too.');
  refuses('3', "Expected a TypedArray, (nested) arrays of numbers, or a number for data but received '3' of type string. Booleans and bigints are accepted too.");
  refuses(new Uint32Array(3), 'Expected a Float32Array, Float64Array, BigInt64Array, Int32Array, Int16Array, Int8Array, Uint8Array, Uint16Array (raw float16/bfloat16) or nested arrays of numbers for data but received a Uint32Array of length 3.');
  assertRefused(() => scalar('1' as unknown as number), 'INVALID_ARGUMENT', "Expected a number for value but received '1' of type string. Use tensor() for arrays.");
});

test('tensor() refuses nesting that is not a regular grid, at any depth', () => {
  refuses([[1, 2], [3]], 'Expected an array of length 2 (like data[0]) for data[1] but received an array of length 1. Nested arrays must be equally long and equally deep (a regular grid).');
  refuses([[1, 2], 3], 'Expected an array of length 2 (like data[0]) for data[1] but received 3 of type number. Nested arrays must be equally long and equally deep (a regular grid).');
  refuses([[[1]], [2]], 'Expected an array of length 1 (like data[0][0]) for data[1][0] but received 2 of type number. Nested arrays must be equally long and equally deep (a regular grid).');
  refuses([[1], [[2]]], 'Expected a number (like data[0][0]) for data[1][0] but received an array of length 1. Nested arrays must be equally deep (a regular grid).');
  refuses([[], [1]], 'Expected an array of length 0 (like data[0]) for data[1] but received an array of length 1. Nested arrays must be equally long and equally deep (a regular grid).');
});

test('booleans make a bool tensor, bigints an int64 one, and either converts to an asked dtype', () => {
  tidy(() => {
    const flags = tensor([[true, false], [false, true]]);
    assert.equal(flags.dtype, 'bool');
    assert.deepEqual([...flags.data('bool')], [1, 0, 0, 1]);
    const big = tensor([1n, -2n, 2n ** 40n]);
    assert.equal(big.dtype, 'int64');
    assert.deepEqual([...big.data('int64')], [1n, -2n, 2n ** 40n]);
    assert.deepEqual([...tensor([1n, -2n], { dtype: 'float32' }).data()], [1, -2]);
    assert.deepEqual([...tensor([true, false], { dtype: 'float64' }).data('float64')], [1, 0]);
    assert.deepEqual([...tensor([1.7, -1.7], { dtype: 'int64' }).data('int64')], [1n, -1n]); // truncated, as PyTorch does
    assert.deepEqual([...tensor([2, 0, -0.5], { dtype: 'bool' }).data('bool')], [1, 0, 1]); // non-zero is true
    assert.deepEqual([...tensor(new BigInt64Array([3n, -4n]), { dtype: 'float32' }).data()], [3, -4]);
    assert.deepEqual([...tensor(new Float64Array([1.5, -2.5]), { dtype: 'int32' }).data('int32')], [1, -2]);
    assert.deepEqual([...tensor([-(2 ** 63)], { dtype: 'int64' }).data('int64')], [-(2n ** 63n)]);
    assert.deepEqual([...tensor([255.9, -0.9], { dtype: 'uint8' }).data('uint8')], [255, 0]);
    assert.deepEqual([...tensor([true, false], { dtype: 'int8' }).data('int8')], [1, 0]);
    assert.deepEqual(tensor(true).shape, []);
    assert.equal(tensor(7n).dtype, 'int64');
    assert.equal(scalar(2.5).item(), 2.5);
    assert.deepEqual(tensor([]).shape, [0]);
    assert.deepEqual(tensor([[], []]).shape, [2, 0]);
    assert.deepEqual(tensor([[[1, 2]], [[3, 4]]]).toArray(), [[[1, 2]], [[3, 4]]]);
  });
  refuses([1, NaN], 'Expected a value that fits in int64 for data[1] but received NaN of type number.', { dtype: 'int64' });
  refuses([[1n], [2n ** 63n]], 'Expected a value that fits in int64 for data[1][0] but received 9223372036854775808 of type bigint.');
  refuses(new Float32Array([0, Infinity]), 'Expected a value that fits in int64 for data[1] but received Infinity of type number.', { dtype: 'int64' });
  // A typed array would wrap these (2 ** 63 → −2 ** 63, 300 → 44) or store NaN as 0; PyTorch refuses them too.
  refuses([2 ** 63], 'Expected a value that fits in int64 for data[0] but received 9223372036854776000 of type number.', { dtype: 'int64' });
  refuses([0, NaN], 'Expected a value that fits in int32 for data[1] but received NaN of type number.', { dtype: 'int32' });
  refuses([[255], [300]], 'Expected a value that fits in uint8 for data[1][0] but received 300 of type number.', { dtype: 'uint8' });
  refuses([-129], 'Expected a value that fits in int8 for data[0] but received -129 of type number.', { dtype: 'int8' });
  refuses([2n ** 40n], 'Expected a value that fits in int32 for data[0] but received 1099511627776 of type bigint.', { dtype: 'int32' });
  refuses(new Float64Array([1e10]), 'Expected a value that fits in int32 for data[0] but received 10000000000 of type number.', { dtype: 'int32' });
  refuses([1, 2], 'Expected float32, float64, int64, int32, int16, int8, uint8 or bool for data given as numbers for dtype but received \'float16\' of type string. Pass float16/bfloat16 data as raw 16-bit words in a Uint16Array, or create float32 and convert with .to().', { dtype: 'float16' });
});

test("data() reads the tensor's own dtype: another is refused rather than typed as the wrong array", () => {
  tidy(() => {
    const index = tensor([0.5, 3, 1]).argmax();
    assert.equal(index.data('int64')[0], 1n, 'an argmax is int64, typed as a BigInt64Array');
    assert.throws(() => index.data(), {
      code: 'DTYPE_MISMATCH',
      message: "data('float32') of an int64 tensor: name its dtype, data('int64'), for its values as a BigInt64Array, or convert it first with .to('float32').",
    });
    assert.throws(() => tensor([1]).gt(0).dataView('uint8'), { code: 'DTYPE_MISMATCH', message: /^dataView\('uint8'\) of a bool tensor: name its dtype, dataView\('bool'\)/ });
    assert.throws(() => tensor([1]).data('float' as 'float32'), { code: 'INVALID_ARGUMENT', message: /^Expected one of .* for data\(\) dtype but received 'float'/ });
    assert.deepEqual([...tensor([1.5]).data()], [1.5], 'float32 by default');
  });
});
