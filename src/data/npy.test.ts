import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fromBase64, tempDir } from './fixtures/helpers.js';
import { references } from './fixtures/references.js';
import { encodeNpy, parseNpy, readNpy, writeNpy } from './npy.js';

const tmp = tempDir('npy');
after(tmp.remove);

const DTYPES: Record<string, string> = {
  float32: 'float32', float64: 'float64', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64',
  uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', bool: 'bool',
};

test('reads every .npy written by NumPy: dtypes, byte orders, Fortran order, v1/v2/v3 headers', () => {
  for (const [name, ref] of Object.entries<any>(references.npy)) {
    const array = parseNpy(fromBase64(ref.b64), name);
    assert.equal(array.dtype, DTYPES[ref.dtype], name);
    assert.deepEqual(array.shape, ref.shape, name);
    const values = Array.from(array.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v));
    const expected = ref.values.map((v: number | boolean) => (typeof v === 'boolean' ? Number(v) : v));
    if (array.dtype === 'float32') {
      assert.deepEqual(values, expected.map((v: number) => Math.fround(v)), name);
    } else {
      assert.deepEqual(values, expected, name);
    }
  }
  assert.equal(parseNpy(fromBase64(references.npy.i8.b64), 'i8').data instanceof BigInt64Array, true);
});

test('writeNpy round-trips and the header is what NumPy writes', () => {
  const path = join(tmp.dir, 'a.npy');
  const data = Float32Array.from([1, 2.5, -3, 4, 5, 6]);
  writeNpy(path, { dtype: 'float32', shape: [2, 3], data });
  const back = readNpy(path);
  assert.deepEqual(back.shape, [2, 3]);
  assert.deepEqual([...back.data], [...data]);
  // NumPy's own bytes for the same array (references.npy.v2_header is another array; compare v1 layout).
  const bytes = encodeNpy({ dtype: 'float32', shape: [3, 4], data: parseNpy(fromBase64(references.npy.f4.b64), 'f4').data });
  assert.deepEqual(bytes, fromBase64(references.npy.f4.b64));
  assert.throws(() => encodeNpy({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array(3) }), {
    message: 'Expected 4 values for shape (2, 2) for array.data but received a Uint8Array of length 3.',
  });
});

test('bad files are named with what was expected', () => {
  assert.throws(() => parseNpy(Buffer.from('PK\x03\x04 not npy'), 'a.npy'), {
    message: 'a.npy: is not a .npy file: expected the magic bytes 93 4e 55 4d 50 59 (\\x93NUMPY) but found 50 4b 03 04 20 6e.',
  });
  const good = fromBase64(references.npy.f4.b64);
  const version = Buffer.from(good);
  version[6] = 4;
  assert.throws(() => parseNpy(version, 'a.npy'), { message: 'a.npy: has .npy format version 4.0: expected 1.0, 2.0 or 3.0. Save it again with numpy.save.' });
  assert.throws(() => parseNpy(good.subarray(0, good.length - 4), 'a.npy'), {
    message: 'a.npy: has 44 bytes of data but its header (float32, shape (3, 4)) needs 48. The file is truncated: save it again.',
  });
  const complex = Buffer.from(good.toString('latin1').replace("'<f4'", "'<c8'"), 'latin1');
  assert.throws(() => parseNpy(complex, 'a.npy'), {
    message: "a.npy: has dtype '<c8', which is not supported: expected one of f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1. Convert it in NumPy first, e.g. np.save(path, a.astype(np.float32)).",
  });
  const object = Buffer.from(good.toString('latin1').replace("'<f4'", "'|O' "), 'latin1');
  assert.throws(() => parseNpy(object, 'a.npy'), {
    message: "a.npy: has dtype '|O', which is not supported: expected one of f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1. Object (pickled) arrays cannot be read without Python. Convert it in NumPy first, e.g. np.save(path, a.astype(np.float32)).",
  });
  const structured = Buffer.from(good.toString('latin1').replace("'descr': '<f4'", "'descr': [('a',"), 'latin1');
  assert.throws(() => parseNpy(structured, 'a.npy'), { message: 'a.npy: holds a structured (record) array, which is not supported. Save each field as its own numeric array.' });
  assert.throws(() => readNpy(join(tmp.dir, 'none.npy')), { message: `.npy file not found at ${join(tmp.dir, 'none.npy')}.` });
});
