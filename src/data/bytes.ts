/**
 * Typed arrays from raw file bytes, in either byte order, and the change from
 * Fortran (column-major) to C (row-major) order. Shared by the idx, npy and mat readers.
 */
import { endianness } from 'node:os';
import { arrayClassOf, numel, type DType, type TypedArray } from './arrays.js';

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

/** Bytes per element of a dtype. */
export function itemSize(dtype: DType): number {
  return arrayClassOf(dtype).BYTES_PER_ELEMENT;
}

/**
 * `count` elements of `dtype` starting at `offset`, copied into a fresh (aligned)
 * typed array and put in the host's byte order. The caller checks the length.
 */
export function typedArrayFrom(bytes: Uint8Array, offset: number, count: number, dtype: DType, littleEndian: boolean): TypedArray {
  const Ctor = arrayClassOf(dtype);
  const out = new Ctor(count);
  const size = Ctor.BYTES_PER_ELEMENT;
  const raw = new Uint8Array(out.buffer, out.byteOffset, count * size);
  raw.set(bytes.subarray(offset, offset + count * size));
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(raw, size);
  return out;
}

/** Reverse the byte order of every `size`-byte element in place. */
export function swapBytes(raw: Uint8Array, size: number): void {
  const n = raw.length;
  if (size === 2) {
    for (let i = 0; i < n; i += 2) {
      const a = raw[i]; raw[i] = raw[i + 1]; raw[i + 1] = a;
    }
  } else if (size === 4) {
    for (let i = 0; i < n; i += 4) {
      const a = raw[i], b = raw[i + 1];
      raw[i] = raw[i + 3]; raw[i + 1] = raw[i + 2]; raw[i + 2] = b; raw[i + 3] = a;
    }
  } else if (size === 8) {
    for (let i = 0; i < n; i += 8) {
      for (let k = 0; k < 4; k++) {
        const a = raw[i + k]; raw[i + k] = raw[i + 7 - k]; raw[i + 7 - k] = a;
      }
    }
  }
}

/**
 * Reorder data stored in Fortran order (first index fastest) into C order (last
 * index fastest) for the same shape. Returns a new array of the same type.
 */
export function fortranToC<T extends TypedArray>(data: T, shape: readonly number[]): T {
  const total = numel(shape);
  const out = new (data.constructor as new (n: number) => T)(total);
  const ndim = shape.length;
  if (ndim <= 1 || total === 0) {
    out.set(data as any);
    return out;
  }
  if (ndim === 2) {
    const [rows, cols] = shape;
    // Fortran element (r, c) sits at r + c*rows; C element at r*cols + c.
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) out[base + c] = data[r + c * rows];
    }
    return out;
  }
  // General case: walk C order with an odometer and track the Fortran offset.
  const fStrides = new Array<number>(ndim);
  fStrides[0] = 1;
  for (let k = 1; k < ndim; k++) fStrides[k] = fStrides[k - 1] * shape[k - 1];
  const index = new Array<number>(ndim).fill(0);
  let f = 0;
  const last = ndim - 1;
  const lastSize = shape[last], lastStride = fStrides[last];
  for (let i = 0; i < total; i += lastSize) {
    for (let c = 0, fo = f; c < lastSize; c++, fo += lastStride) out[i + c] = data[fo];
    // Advance the odometer over the leading dimensions.
    for (let k = last - 1; k >= 0; k--) {
      index[k]++;
      f += fStrides[k];
      if (index[k] < shape[k]) break;
      f -= fStrides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}
