import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NumericArray } from './arrays.js';
import { fromBase64, SHARED_DATA } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { parseMat, readMat, type MatCell } from './mat.js';

const ref = references.mat;
const numbers = (array: NumericArray) => Array.from(array.data as ArrayLike<number>);

test('reads scipy.io.savemat files, plain and compressed: classes, logical, 3-D, cells, in C order', () => {
  for (const name of ['plain', 'compressed']) {
    const vars = parseMat(fromBase64(ref.files[name]), name);
    // Unsupported variables (sparse S, char name, complex C) are skipped when not asked for.
    assert.deepEqual(Object.keys(vars).sort(), ['I', 'L', 'M', 'T', 'cellvar'], name);
    const M = vars.M as NumericArray;
    assert.equal(M.dtype, 'float64');
    assert.deepEqual(M.shape, [3, 4]);
    assert.deepEqual(numbers(M), ref.M);
    const I = vars.I as NumericArray;
    assert.equal(I.dtype, 'int16');
    assert.deepEqual(numbers(I), ref.I);
    const L = vars.L as NumericArray;
    assert.equal(L.dtype, 'bool');
    assert.deepEqual(numbers(L), ref.L.map(Number));
    const T = vars.T as NumericArray;
    assert.equal(T.dtype, 'float32');
    assert.deepEqual(T.shape, [2, 3, 4]);
    assert.deepEqual(numbers(T), ref.T);
    const cell = vars.cellvar as MatCell;
    assert.equal(cell.dtype, 'cell');
    assert.deepEqual(cell.shape, [1, 2]);
    assert.deepEqual(numbers(cell.cells[0] as NumericArray), ref.cell0);
    assert.deepEqual((cell.cells[0] as NumericArray).shape, [2, 1]);
    assert.deepEqual(numbers(cell.cells[1] as NumericArray), ref.cell1);
  }
});

test('variables asked for by name: missing or unsupported ones are errors that say why', () => {
  const bytes = fromBase64(ref.files.compressed);
  assert.deepEqual(Object.keys(parseMat(bytes, 'f.mat', ['M'])), ['M']);
  assert.throws(() => parseMat(bytes, 'f.mat', ['X']), {
    message: "f.mat: has no variable 'X': its variables are 'M', 'I', 'L', 'cellvar', 'T', 'S', 'name', 'C'.",
  });
  assert.throws(() => parseMat(bytes, 'f.mat', ['S']), {
    message: "f.mat: variable 'S' is a sparse matrix, which is not supported: expected a numeric or logical array. Convert it to a dense matrix first: full(X) in MATLAB, or X.toarray() before scipy.io.savemat.",
  });
  assert.throws(() => parseMat(bytes, 'f.mat', ['C']), {
    message: "f.mat: variable 'C' is a complex array, which is not supported. Save its real and imaginary parts as two real arrays.",
  });
  assert.throws(() => parseMat(bytes, 'f.mat', ['name']), {
    message: "f.mat: variable 'name' is a char array, which is not supported: expected a numeric or logical array.",
  });
});

test('v4 and v7.3 (HDF5) files are rejected with how to convert them', () => {
  const convert = "Re-save it as a level-5 file with the same variables: scipy.io.savemat(path, variables) in Python, or save(path, '-v7') in MATLAB.";
  assert.throws(() => parseMat(fromBase64(ref.files.v4), 'old.mat'), {
    message: `old.mat: is not a level-5 MAT-file: expected a 128-byte header starting with 'MATLAB 5.0 MAT-file' (a v4 file has no such header). ${convert}`,
  });
  const hdf5 = Buffer.alloc(1024, 0x20);
  hdf5.write('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .', 0, 'latin1');
  Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]).copy(hdf5, 512);
  assert.throws(() => parseMat(hdf5, 'new.mat'), { message: `new.mat: is a MATLAB v7.3 (HDF5) file, which is not supported. ${convert}` });
  const compressed = Buffer.from(fromBase64(ref.files.compressed));
  compressed.write('XY', 126, 'latin1');
  assert.throws(() => parseMat(compressed, 'e.mat'), { message: `e.mat: has a MAT-file header whose byte-order mark is 'XY': expected 'IM' or 'MI'. ${convert}` });
  const truncated = fromBase64(ref.files.plain);
  assert.throws(() => parseMat(truncated.subarray(0, 200), 't.mat'), /t\.mat: is truncated: a variable at offset 128 needs \d+ bytes but the file ends first\./);
});

/** A one-variable big-endian level-5 file with a double matrix, written by hand. */
function bigEndianMat(rows: number, cols: number, columnMajor: number[]): Buffer {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written big-endian by a test', 0, 'latin1');
  header.fill(0, 116, 124);
  header.writeUInt16BE(0x0100, 124);
  header.write('MI', 126, 'latin1');
  const data = Buffer.alloc(8 * columnMajor.length);
  columnMajor.forEach((v, i) => data.writeDoubleBE(v, 8 * i));
  const body = Buffer.alloc(16 + 16 + 8 + 8 + data.length);
  let p = 0;
  body.writeUInt32BE(6, p); body.writeUInt32BE(8, p + 4); body.writeUInt32BE(6, p + 8); p += 16; // flags: mxDOUBLE_CLASS
  body.writeUInt32BE(5, p); body.writeUInt32BE(8, p + 4); body.writeInt32BE(rows, p + 8); body.writeInt32BE(cols, p + 12); p += 16;
  body.writeUInt32BE((1 << 16) | 1, p); body.write('X', p + 4, 'latin1'); p += 8; // small element: miINT8 name
  body.writeUInt32BE(9, p); body.writeUInt32BE(data.length, p + 4); data.copy(body, p + 8);
  const tag = Buffer.alloc(8);
  tag.writeUInt32BE(14, 0);
  tag.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, tag, body]);
}

test('reads big-endian files', () => {
  const { X } = parseMat(bigEndianMat(2, 3, [1, 4, 2, 5, 3, 6.5]), 'be.mat') as { X: NumericArray };
  assert.deepEqual(X.shape, [2, 3]);
  assert.deepEqual(numbers(X), [1, 2, 3, 4, 5, 6.5]);
});

const odds = join(SHARED_DATA, 'odds');
test('every ODDS .mat file loads: X is (n, d), y has n entries, values match scipy.io.loadmat', { skip: existsSync(odds) ? false : `${odds} is absent` }, () => {
  const files = readdirSync(odds).filter((f) => f.endsWith('.mat')).sort();
  assert.deepEqual(files, Object.keys(references.odds).sort());
  for (const file of files) {
    const expected = references.odds[file];
    const { X, y } = readMat(join(odds, file), ['X', 'y']) as { X: NumericArray; y: NumericArray };
    assert.deepEqual(X.shape, [expected.n, expected.d], file);
    assert.equal(y.data.length, expected.n, file);
    const values = Array.from(X.data as ArrayLike<number>, Number);
    for (const [r, c, v] of expected.samples) assert.equal(values[r * expected.d + c], v, `${file} X[${r}, ${c}]`);
    const sum = values.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - expected.sum) <= 1e-9 * Math.max(1, Math.abs(expected.sum)), `${file}: sum ${sum} vs ${expected.sum}`);
    assert.equal(Array.from(y.data as ArrayLike<number>, Number).reduce((a, b) => a + b, 0), expected.anomalies, file);
  }
});
