// How error messages word a received value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, described } from './errors.js';

test('describe words values as a message prints them', () => {
  assert.equal(describe(new Int32Array(3)), 'an Int32Array of length 3');
  assert.equal(describe(new Uint8Array(2)), 'a Uint8Array of length 2');
  assert.equal(describe(new Float32Array(0)), 'a Float32Array of length 0');
  assert.equal(describe(new DataView(new ArrayBuffer(8))), 'a DataView of 8 bytes');
  assert.equal(describe([1, 2]), 'an array of length 2');
  assert.equal(describe('x'), "'x' of type string");
  assert.equal(describe(Object.create(null)), 'an object of type Object');
  assert.equal(describe(described('[2, 3]')), '[2, 3]');
});
