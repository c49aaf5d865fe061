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
 * `count` elements of `dtype` starting at `offset`, in the host's byte order. When
 * the bytes are already in host order and aligned, this is a view on `bytes` (no
 * copy: a large array is not paid for twice); otherwise a fresh, swapped copy.
 * The caller checks the length and must own `bytes`.
 */
export function typedArrayFrom(bytes: Uint8Array, offset: number, count: number, dtype: DType, littleEndian: boolean): TypedArray {
  const Ctor = arrayClassOf(dtype) as unknown as { new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray; new (length: number): TypedArray; BYTES_PER_ELEMENT: number };
  const size = Ctor.BYTES_PER_ELEMENT;
  const start = bytes.byteOffset + offset;
  const hostOrder = size === 1 || littleEndian === HOST_LITTLE_ENDIAN;
  if (hostOrder && start % size === 0) return new Ctor(bytes.buffer, start, count);
  const out = new Ctor(count);
  const raw = new Uint8Array(out.buffer, out.byteOffset, count * size);
  raw.set(bytes.subarray(offset, offset + count * size));
  if (!hostOrder) swapBytes(raw, size);
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
    (out as Float64Array).set(data as Float64Array);
    return out;
  }
  if (ndim === 2) {
    transpose2d(data, out, shape[1], shape[0]);
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

/**
 * out (cols x rows, row-major) = transpose of src (rows x cols, row-major), in
 * 64 x 64 tiles so that both sides stay in cache: a Fortran (r, c) array is a C
 * (c, r) array. Tiling makes a 494,021 x 119 transpose about 5x faster than a
 * plain double loop.
 */
function transpose2d(src: TypedArray, out: TypedArray, rows: number, cols: number): void {
  const T = 64;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const from = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[from + c];
      }
    }
  }
}
