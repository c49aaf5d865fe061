/**
 * MATLAB level-5 .mat files (MATLAB v5 to v7, Octave, scipy.io.savemat): numeric
 * and logical arrays, cell arrays of them, compressed or not, either byte order.
 * Arrays come back in C (row-major) order with MATLAB's shape, so an (n, d)
 * matrix is n rows of d values. Sparse, complex, char, struct and object
 * variables are skipped, or rejected with a reason when asked for by name.
 * v7.3 files are HDF5 and v4 files predate this layout: both are rejected with
 * how to convert them.
 */
import { inflateSync } from 'node:zlib';
import { badFile } from '../errors.js';
import { arrayClassOf, numel, type DType, type NumericArray, type TypedArray } from './arrays.js';
import { fortranToC, itemSize, typedArrayFrom } from './bytes.js';
import { readBytes } from './files.js';

export interface MatCell {
  dtype: 'cell';
  shape: number[];
  /** The cells in C order. */
  cells: MatValue[];
}
export type MatValue = NumericArray | MatCell;

const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
/** Storage types of a data element (miINT8 = 1, ...). */
const MI_TYPES: Record<number, DType> = {
  1: 'int8', 2: 'uint8', 3: 'int16', 4: 'uint16', 5: 'int32', 6: 'uint32', 7: 'float32', 9: 'float64', 12: 'int64', 13: 'uint64',
};
/** Numeric array classes (mxDOUBLE_CLASS = 6, ...). */
const MX_NUMERIC: Record<number, DType> = {
  6: 'float64', 7: 'float32', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
};
const MX_CELL = 1;
const MX_OTHER: Record<number, string> = {
  2: 'a struct', 3: 'an object', 4: 'a char array', 5: 'a sparse matrix', 16: 'a function handle', 17: 'an opaque object',
};
const FLAG_COMPLEX = 0x0800;
const FLAG_LOGICAL = 0x0200;

const CONVERT = "Re-save it as a level-5 file with the same variables: scipy.io.savemat(path, variables) in Python, or save(path, '-v7') in MATLAB.";

/** A variable that could not be read, with the reason. */
interface Unsupported { unsupported: string; fix?: string }

/**
 * Parse the variables of a .mat file. Without `names`, every variable this reader
 * supports; with `names`, exactly those (a missing or unsupported one is an error).
 */
export function parseMat(bytes: Uint8Array, path: string, names?: readonly string[]): Record<string, MatValue> {
  const littleEndian = checkHeader(bytes, path);
  const found = new Map<string, MatValue | Unsupported>();
  const reader = new ElementReader(bytes, littleEndian, path);
  let p = 128;
  while (p + 8 <= bytes.length) {
    const tag = reader.tag(p);
    const end = tag.dataStart + tag.nbytes;
    if (end > bytes.length) throw badFile(path, `is truncated: a variable at offset ${p} needs ${tag.nbytes} bytes but the file ends first`);
    if (tag.type === MI_COMPRESSED) {
      let inner: Uint8Array;
      try {
        inner = inflateSync(bytes.subarray(tag.dataStart, end));
      } catch (error) {
        throw badFile(path, `has a compressed variable at offset ${p} that cannot be inflated (${(error as Error).message})`, 'The file is corrupt: save it again.');
      }
      const innerReader = new ElementReader(inner, littleEndian, path);
      const innerTag = innerReader.tag(0);
      if (innerTag.type === MI_MATRIX) addVariable(found, innerReader.matrix(innerTag.dataStart, innerTag.nbytes));
    } else if (tag.type === MI_MATRIX) {
      addVariable(found, reader.matrix(tag.dataStart, tag.nbytes));
    }
    p = end; // top-level elements are not padded (as scipy reads them)
  }
  return pick(found, path, names);
}

/** Read a .mat file (see parseMat). */
export function readMat(path: string, names?: readonly string[]): Record<string, MatValue> {
  return parseMat(readBytes(path, '.mat file'), path, names);
}

function addVariable(found: Map<string, MatValue | Unsupported>, variable: { name: string; value: MatValue | Unsupported }): void {
  // MATLAB stores class-object data in a nameless subsystem variable; it is no user variable.
  if (variable.name !== '') found.set(variable.name, variable.value);
}

function pick(found: Map<string, MatValue | Unsupported>, path: string, names?: readonly string[]): Record<string, MatValue> {
  const out: Record<string, MatValue> = {};
  if (!names) {
    for (const [name, value] of found) if (!('unsupported' in value)) out[name] = value;
    return out;
  }
  for (const name of names) {
    const value = found.get(name);
    if (!value) {
      throw badFile(path, `has no variable '${name}': its variables are ${[...found.keys()].map((k) => `'${k}'`).join(', ') || '(none)'}`);
    }
    if ('unsupported' in value) throw badFile(path, `variable '${name}' is ${value.unsupported}`, value.fix);
    out[name] = value;
  }
  return out;
}

/** Validate the 128-byte header; returns whether the file is little-endian. */
function checkHeader(bytes: Uint8Array, path: string): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(116, bytes.length)).toString('latin1');
  const hdf5 = bytes.length >= 520 && bytes[512] === 0x89 && bytes[513] === 0x48 && bytes[514] === 0x44 && bytes[515] === 0x46;
  if (text.startsWith('MATLAB 7.3') || hdf5) {
    throw badFile(path, 'is a MATLAB v7.3 (HDF5) file, which is not supported', CONVERT);
  }
  if (bytes.length < 128 || !text.startsWith('MATLAB')) {
    throw badFile(path, "is not a level-5 MAT-file: expected a 128-byte header starting with 'MATLAB 5.0 MAT-file' (a v4 file has no such header)", CONVERT);
  }
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== 'IM' && endian !== 'MI') {
    throw badFile(path, `has a MAT-file header whose byte-order mark is '${endian}': expected 'IM' or 'MI'`, CONVERT);
  }
  return endian === 'IM';
}

/** Reads data elements (tags, sub-elements, matrices) out of one buffer. */
class ElementReader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array, private readonly le: boolean, private readonly path: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The tag at p: type, byte count, where the data starts, and where the next element starts. */
  tag(p: number): { type: number; nbytes: number; dataStart: number; next: number } {
    if (p + 8 > this.bytes.length) throw badFile(this.path, `is truncated inside a data element tag at offset ${p}`);
    const first = this.view.getUint32(p, this.le);
    if (first >>> 16 !== 0) {
      // Small data element: type and size share the first word, data the second.
      return { type: first & 0xffff, nbytes: first >>> 16, dataStart: p + 4, next: p + 8 };
    }
    const nbytes = this.view.getUint32(p + 4, this.le);
    return { type: first, nbytes, dataStart: p + 8, next: p + 8 + Math.ceil(nbytes / 8) * 8 };
  }

  /** Parse an miMATRIX element whose data occupies [start, start + nbytes). */
  matrix(start: number, nbytes: number): { name: string; value: MatValue | Unsupported } {
    if (nbytes === 0) return { name: '', value: { dtype: 'float64', shape: [0, 0], data: new Float64Array(0) } };
    const end = start + nbytes;
    const flagsTag = this.tag(start);
    const flags = this.view.getUint32(flagsTag.dataStart, this.le);
    const mxClass = flags & 0xff;
    const dimsTag = this.tag(flagsTag.next);
    const shape: number[] = [];
    for (let k = 0; k < dimsTag.nbytes / 4; k++) shape.push(this.view.getInt32(dimsTag.dataStart + 4 * k, this.le));
    const nameTag = this.tag(dimsTag.next);
    const name = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + nameTag.dataStart, nameTag.nbytes).toString('latin1');
    let p = nameTag.next;

    if (mxClass === MX_CELL) {
      const count = numel(shape);
      const columnMajor: MatValue[] = [];
      for (let i = 0; i < count; i++) {
        const cellTag = this.tag(p);
        if (cellTag.type !== MI_MATRIX) throw badFile(this.path, `variable '${name}' has a cell that is not a matrix element`);
        const cell = this.matrix(cellTag.dataStart, cellTag.nbytes).value;
        if ('unsupported' in cell) return { name, value: { unsupported: `a cell array holding ${cell.unsupported}`, fix: cell.fix } };
        columnMajor.push(cell);
        p = cellTag.next;
      }
      return { name, value: { dtype: 'cell', shape, cells: cellsToC(columnMajor, shape) } };
    }
    const dtype = MX_NUMERIC[mxClass];
    if (!dtype) {
      const kind = MX_OTHER[mxClass] ?? `of MATLAB class ${mxClass}`;
      const fix = mxClass === 5 ? 'Convert it to a dense matrix first: full(X) in MATLAB, or X.toarray() before scipy.io.savemat.' : undefined;
      return { name, value: { unsupported: `${kind}, which is not supported: expected a numeric or logical array`, fix } };
    }
    if (flags & FLAG_COMPLEX) {
      return { name, value: { unsupported: 'a complex array, which is not supported', fix: 'Save its real and imaginary parts as two real arrays.' } };
    }

    const realTag = this.tag(p);
    const storage = MI_TYPES[realTag.type];
    if (!storage) throw badFile(this.path, `variable '${name}' stores its values with MAT data type ${realTag.type}: expected a numeric type`);
    const count = numel(shape);
    if (realTag.nbytes !== count * itemSize(storage) || realTag.dataStart + realTag.nbytes > end) {
      throw badFile(this.path, `variable '${name}' has ${realTag.nbytes} bytes of ${storage} values but its shape (${shape.join(', ')}) needs ${count * itemSize(storage)}`);
    }
    const stored = typedArrayFrom(this.bytes, realTag.dataStart, count, storage, this.le);
    const logical = (flags & FLAG_LOGICAL) !== 0;
    const values = castTo(stored, logical ? 'bool' : dtype);
    return { name, value: { dtype: logical ? 'bool' : dtype, shape, data: fortranToC(values, shape) } };
  }
}

/** MATLAB saves values in the smallest type that holds them; give them back the class's type. */
function castTo(stored: TypedArray, dtype: DType): TypedArray {
  const target = new (arrayClassOf(dtype))(stored.length);
  if (target.constructor === stored.constructor) return stored;
  const targetBig = target instanceof BigInt64Array || target instanceof BigUint64Array;
  const storedBig = stored instanceof BigInt64Array || stored instanceof BigUint64Array;
  if (targetBig === storedBig) {
    (target as Float64Array).set(stored as Float64Array);
  } else if (targetBig) {
    for (let i = 0; i < stored.length; i++) (target as BigInt64Array)[i] = BigInt(stored[i] as number);
  } else {
    for (let i = 0; i < stored.length; i++) (target as Float64Array)[i] = Number(stored[i]);
  }
  return target;
}

/** Reorder cells from MATLAB's column-major order to C order. */
function cellsToC(cells: MatValue[], shape: number[]): MatValue[] {
  const order = fortranToC(Int32Array.from(cells.keys()), shape);
  return Array.from(order, (i) => cells[i]);
}
