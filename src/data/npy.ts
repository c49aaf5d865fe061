/**
 * NumPy .npy files: read (format versions 1, 2 and 3; either byte order; C or
 * Fortran order, always returned in C order) and write (version 1, little-endian, C order).
 *
 * Layout: `\x93NUMPY`, major and minor version bytes, the header length (uint16
 * in v1, uint32 in v2/v3, little-endian), a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces
 * and a newline, then the raw values.
 */
import { writeFileSync } from 'node:fs';
import { badFile, invalidArgument } from '../errors.js';
import { numel, type DType, type NumericArray } from './arrays.js';
import { fortranToC, itemSize, typedArrayFrom } from './bytes.js';
import { hexBytes, readBytes } from './files.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const KIND_SIZE_TO_DTYPE: Record<string, DType> = {
  f4: 'float32', f8: 'float64',
  i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64',
  b1: 'bool',
};
const DTYPE_TO_DESCR = Object.fromEntries(Object.entries(KIND_SIZE_TO_DTYPE).map(([code, dtype]) => [dtype, code])) as Record<DType, string>;
const SUPPORTED = 'f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1';

/** True when the bytes start with the .npy magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** An array as stored: `data` in Fortran order when `fortranOrder` is true. */
export interface StoredArray extends NumericArray {
  fortranOrder: boolean;
}

/** Parse the bytes of a .npy file; `name` names it in errors (a path, or `file.npz:key`). */
export function parseNpy(bytes: Uint8Array, name: string): NumericArray {
  return toCOrder(parseNpyStored(bytes, name));
}

/** A stored array in C order (a copy when it was stored in Fortran order). */
export function toCOrder(array: StoredArray): NumericArray {
  const { dtype, shape, data, fortranOrder } = array;
  return { dtype, shape, data: fortranOrder && shape.length > 1 ? fortranToC(data, shape) : data };
}

/**
 * Parse a .npy file without reordering: for callers that convert the values anyway
 * and can read Fortran order directly, saving a copy of a large array.
 */
export function parseNpyStored(bytes: Uint8Array, name: string): StoredArray {
  if (!isNpy(bytes)) {
    throw badFile(name, `is not a .npy file: expected the magic bytes 93 4e 55 4d 50 59 (\\x93NUMPY) but found ${hexBytes(bytes, 6)}`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) {
    throw badFile(name, `has .npy format version ${major}.${bytes[7]}: expected 1.0, 2.0 or 3.0`, 'Save it again with numpy.save.');
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw badFile(name, 'is truncated inside the .npy header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) {
    throw badFile(name, `is truncated: the .npy header says it is ${headerLength} bytes long but the file ends first`);
  }
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + headerStart, headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const { dtype, littleEndian, fortranOrder, shape } = parseHeader(header, name);

  const count = numel(shape);
  const expected = count * itemSize(dtype);
  const found = bytes.length - dataStart;
  if (found !== expected) {
    throw badFile(name, `has ${found} bytes of data but its header (${dtype}, shape (${shape.join(', ')})) needs ${expected}`,
      found < expected ? 'The file is truncated: save it again.' : undefined);
  }
  return { dtype, shape, data: typedArrayFrom(bytes, dataStart, count, dtype, littleEndian), fortranOrder };
}

function parseHeader(header: string, name: string) {
  const descrList = /['"]descr['"]\s*:\s*\[/.exec(header);
  if (descrList) throw badFile(name, 'holds a structured (record) array, which is not supported', 'Save each field as its own numeric array.');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeMatch) {
    throw badFile(name, `has a .npy header without descr, fortran_order and shape: ${JSON.stringify(header.trim())}`);
  }
  const code = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr[1]);
  const dtype = code ? KIND_SIZE_TO_DTYPE[`${code[2]}${code[3]}`] : undefined;
  if (!code || !dtype) {
    const hint = descr[1].includes('O') ? 'Object (pickled) arrays cannot be read without Python. ' : '';
    throw badFile(name, `has dtype '${descr[1]}', which is not supported: expected one of ${SUPPORTED}`,
      `${hint}Convert it in NumPy first, e.g. np.save(path, a.astype(np.float32)).`);
  }
  const shape: number[] = [];
  for (const part of shapeMatch[1].split(',')) {
    const text = part.trim().replace(/L$/, '');
    if (text === '') continue;
    const d = Number(text);
    if (!Number.isInteger(d) || d < 0) throw badFile(name, `has an invalid shape (${shapeMatch[1]}) in its .npy header`);
    shape.push(d);
  }
  return { dtype, littleEndian: code[1] !== '>', fortranOrder: fortran[1] === 'True', shape };
}

/** Read a .npy file. */
export function readNpy(path: string): NumericArray {
  return parseNpy(readBytes(path, '.npy file'), path);
}

/** Encode an array as a version 1.0 .npy file (little-endian, C order). */
export function encodeNpy(array: NumericArray): Buffer {
  const { dtype, shape, data } = array;
  if (data.length !== numel(shape)) {
    throw invalidArgument('array.data', `${numel(shape)} values for shape (${shape.join(', ')})`, data);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const byteOrder = dtype === 'uint8' || dtype === 'int8' || dtype === 'bool' ? '|' : '<';
  let header = `{'descr': '${byteOrder}${DTYPE_TO_DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad so the data starts on a 64-byte boundary, as NumPy does; the header ends in '\n'.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** Write an array as a .npy file that numpy.load reads. */
export function writeNpy(path: string, array: NumericArray): void {
  writeFileSync(path, encodeNpy(array));
}
