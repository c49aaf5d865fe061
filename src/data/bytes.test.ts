import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fortranToC, swapBytes, typedArrayFrom } from './bytes.js';

test('fortranToC reorders 2-D and n-D arrays', () => {
  // A 2x3 matrix [[1,2,3],[4,5,6]] stored column by column.
  assert.deepEqual([...fortranToC(Float64Array.from([1, 4, 2, 5, 3, 6]), [2, 3])], [1, 2, 3, 4, 5, 6]);
  // 2x3x4: Fortran element (i,j,k) at i + 2j + 6k holds 100i + 10j + k.
  const shape = [2, 3, 4];
  const fortran = new Int32Array(24);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
  const c = fortranToC(fortran, shape);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) assert.equal(c[i * 12 + j * 4 + k], 100 * i + 10 * j + k);
  // A large 2-D transpose crosses the 64x64 tiles.
  const rows = 130, cols = 70;
  const big = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let col = 0; col < cols; col++) big[r + col * rows] = r * 1000 + col;
  const bc = fortranToC(big, [rows, cols]);
  for (let r = 0; r < rows; r++) for (let col = 0; col < cols; col++) assert.equal(bc[r * cols + col], r * 1000 + col);
});

test('typedArrayFrom reads both byte orders, aligned or not', () => {
  const bytes = new Uint8Array([0xff, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00]);
  assert.deepEqual([...typedArrayFrom(bytes, 1, 1, 'int32', false)], [0x00000102]);
  assert.deepEqual([...typedArrayFrom(bytes, 4, 1, 'int32', true)], [2]);
  assert.deepEqual([...typedArrayFrom(bytes, 3, 1, 'uint16', false)], [0x0102]);
  const swapped = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  swapBytes(swapped, 8);
  assert.deepEqual([...swapped], [8, 7, 6, 5, 4, 3, 2, 1]);
});
