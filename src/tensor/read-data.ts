/**
 * Reading JavaScript data into one flat TypedArray for `tensor()`: a number, boolean or bigint, or nested
 * arrays of them that form a regular grid. What PyTorch would refuse is refused here too, with its position
 * named (`data[1][0]`): strings, null, undefined, objects, mixed kinds and ragged nesting at any depth.
 */
import { invalidArgument } from '../errors.js';
import type { DType } from './dtype.js';

/** The kind of every entry: the first one decides, the rest must match. */
type Leaf = 'number' | 'boolean' | 'bigint';
const LEAVES: readonly string[] = ['number', 'boolean', 'bigint'];

type Flat = { [index: number]: number | bigint };
type Convert = (v: unknown) => number | bigint | undefined;

/** The dtype when none is asked for: float32 for numbers (PyTorch's default), bool, int64 for bigints. */
const NATURAL: Record<Leaf, DType> = { number: 'float32', boolean: 'bool', bigint: 'int64' };

const ARRAYS: Partial<Record<DType, new (length: number) => Flat>> = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array, int16: Int16Array,
  int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The integers each integer dtype holds. A typed array would wrap what lies outside (300 → 44 in uint8) and store NaN as 0. */
const INTEGER_RANGES: Partial<Record<DType, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1], int16: [-(2 ** 15), 2 ** 15 - 1], int8: [-128, 127], uint8: [0, 255],
};

/**
 * How an entry becomes an element; undefined where plain assignment does it (numbers into float arrays).
 * Returns undefined for a value the dtype cannot hold, which the caller refuses, as PyTorch does.
 * Numbers into integer dtypes are truncated toward zero, as in PyTorch.
 */
function converter(leaf: Leaf, dtype: DType): Convert | undefined {
  if (dtype === 'bool') return (v) => (v ? 1 : 0); // any non-zero is true, as in PyTorch
  if (leaf === 'boolean') return dtype === 'int64' ? (v) => (v ? 1n : 0n) : (v) => (v ? 1 : 0);
  if (dtype === 'int64') {
    if (leaf === 'number') {
      return (v) => {
        const whole = Math.trunc(v as number);
        return whole >= -(2 ** 63) && whole < 2 ** 63 ? BigInt(whole) : undefined; // 2 ** 63 is one past the end; false for NaN
      };
    }
    return (v) => ((v as bigint) >= INT64_MIN && (v as bigint) <= INT64_MAX ? (v as bigint) : undefined);
  }
  const range = INTEGER_RANGES[dtype];
  if (range !== undefined) {
    const [low, high] = range;
    if (leaf === 'number') {
      return (v) => {
        const whole = Math.trunc(v as number);
        return whole >= low && whole <= high ? whole : undefined; // false for NaN
      };
    }
    return (v) => ((v as bigint) >= BigInt(low) && (v as bigint) <= BigInt(high) ? Number(v) : undefined);
  }
  return leaf === 'number' ? undefined : (v) => Number(v);
}

/** `data[1][0]`: the position of an entry from its indices. */
const position = (at: readonly number[]): string => `data${at.map((i) => `[${i}]`).join('')}`;
const firstAt = (depth: number): string => position(new Array<number>(depth).fill(0));

/**
 * Flatten `data` (a number, boolean or bigint, or nested arrays of them) into a new TypedArray of `dtype`
 * (by default the natural one of its entries), with the shape of the nesting.
 */
export function readNested(data: unknown, dtype?: DType): { values: ArrayBufferView; dtype: DType; shape: number[] } {
  const shape: number[] = [];
  let first = data;
  for (; Array.isArray(first); first = first[0]) shape.push(first.length);
  const ndim = shape.length;
  const empty = shape.includes(0);
  if (!empty && !LEAVES.includes(typeof first)) {
    if (ndim === 0) throw invalidArgument('data', 'a TypedArray, (nested) arrays of numbers, or a number', data, 'Booleans and bigints are accepted too.');
    throw notANumber(firstAt(ndim), 'a number, boolean or bigint', first);
  }
  const leaf = (empty ? 'number' : typeof first) as Leaf;
  const target = dtype ?? NATURAL[leaf];
  const FlatArray = ARRAYS[target];
  if (FlatArray === undefined) {
    throw invalidArgument('dtype', 'float32, float64, int64, int32, int16, int8, uint8 or bool for data given as numbers', target,
      'Pass float16/bfloat16 data as raw 16-bit words in a Uint16Array, or create float32 and convert with .to().');
  }
  const out = new FlatArray(shape.reduce((a, b) => a * b, 1));
  const convert = converter(leaf, target);
  const at = new Array<number>(ndim).fill(0); // the indices being read, for error messages

  /** Write one innermost row from out[k]; returns the next k. */
  const fillRow = (row: readonly unknown[], k: number): number => {
    const n = row.length;
    if (convert === undefined) {
      for (let i = 0; i < n; i++) {
        const v = row[i];
        if (typeof v !== 'number') throw wrongEntry(i, v);
        out[k + i] = v;
      }
      return k + n;
    }
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (typeof v !== leaf) throw wrongEntry(i, v);
      const x = convert(v);
      if (x === undefined) throw invalidArgument(entryName(i), `a value that fits in ${target}`, v);
      out[k + i] = x;
    }
    return k + n;
  };
  const fill = (level: readonly unknown[], depth: number, k: number): number => {
    if (depth === ndim - 1) return fillRow(level, k);
    for (let i = 0; i < level.length; i++) {
      at[depth] = i;
      const next = level[i];
      if (!Array.isArray(next) || next.length !== shape[depth + 1]) throw ragged(depth + 1, next);
      k = fill(next, depth + 1, k);
    }
    return k;
  };
  const entryName = (i: number): string => (ndim === 0 ? 'data' : position([...at.slice(0, ndim - 1), i]));
  const wrongEntry = (i: number, v: unknown) => {
    if (Array.isArray(v)) {
      return invalidArgument(entryName(i), `a ${leaf} (like ${firstAt(ndim)})`, v, 'Nested arrays must be equally deep (a regular grid).');
    }
    return notANumber(entryName(i), `a ${leaf} (like ${firstAt(ndim)})`, v);
  };
  const ragged = (depth: number, v: unknown) =>
    invalidArgument(position(at.slice(0, depth)), `an array of length ${shape[depth]} (like ${firstAt(depth)})`, v,
      'Nested arrays must be equally long and equally deep (a regular grid).');

  if (ndim === 0) fillRow([data], 0);
  else fill(data as readonly unknown[], 0, 0);
  return { values: out as unknown as ArrayBufferView, dtype: target, shape };
}

/** A TypedArray's values in another dtype's array (the dtype of the data is not the one asked for). */
export function convertTypedArray(data: ArrayLike<number | bigint>, dtype: DType): ArrayBufferView {
  const FlatArray = ARRAYS[dtype];
  if (FlatArray === undefined) {
    throw invalidArgument('dtype', 'float32, float64, int64, int32, int16, int8, uint8 or bool for this TypedArray', dtype,
      'Only a Uint16Array of raw 16-bit words becomes float16 or bfloat16.');
  }
  const out = new FlatArray(data.length);
  const convert = converter(data instanceof BigInt64Array ? 'bigint' : 'number', dtype);
  for (let i = 0; i < data.length; i++) {
    const x = convert === undefined ? data[i]! : convert(data[i]);
    if (x === undefined) throw invalidArgument(`data[${i}]`, `a value that fits in ${dtype}`, data[i]);
    out[i] = x;
  }
  return out as unknown as ArrayBufferView;
}

function notANumber(name: string, expected: string, value: unknown) {
  const fix = LEAVES.includes(typeof value) ? 'Entries must all be of one kind: numbers, booleans or bigints.'
    : typeof value === 'string' ? 'Convert strings with Number() first.' : 'Pass numbers only.';
  return invalidArgument(name, expected, value, fix);
}
