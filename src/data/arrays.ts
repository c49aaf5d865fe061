/**
 * The plain typed-array types every reader in src/data returns. No tensors here:
 * a later step turns an ArrayDataset into tensors.
 */
import { invalidArgument } from '../errors.js';

/** Element types the readers understand; names follow NumPy (`float32`, `uint8`, ...). */
export type DType =
  | 'float32' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'bool';

export type TypedArray =
  | Float32Array | Float64Array
  | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

/**
 * One array read from a file, always in C (row-major) order. 64-bit integers stay
 * BigInt64Array / BigUint64Array so nothing is lost; `bool` is a Uint8Array of 0/1.
 */
export interface NumericArray {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/**
 * A whole dataset as float32 samples. `x` holds `shape[0]` samples in C order:
 * `(N, D)` for tabular data, `(N, C, H, W)` for images, pixel values in [0, 1].
 * `labels` has one entry per sample: a class index for multi-class data, or
 * 0 = normal / 1 = anomaly after a one-class split. `classNames[i]` names class i.
 */
export interface ArrayDataset {
  x: Float32Array;
  shape: number[];
  labels?: Int32Array;
  classNames?: string[];
  /** Column names of a tabular dataset, `shape[1]` of them. */
  featureNames?: string[];
  /** The file each sample came from (image sets), for reports. */
  files?: string[];
  /** The row of its table file each sample came from, counting data rows from 0 (tables read by the CLI), so that a split's scores map back to the file. */
  rows?: Int32Array;
  /**
   * Ground-truth anomaly masks of an image set, (N, H, W) at the images' size: 1 = anomalous pixel. Present
   * when the set has them (MVTec AD's ground_truth/), for the pixel-level metrics.
   */
  masks?: Uint8Array;
}

/** Product of the dimensions: the number of elements of an array of this shape. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Elements per sample: the product of `shape[1..]`. */
export function sampleSize(shape: readonly number[]): number {
  return numel(shape.slice(1));
}

/** The typed array class that stores a dtype. */
export function arrayClassOf(dtype: DType): { new (length: number): TypedArray; BYTES_PER_ELEMENT: number } {
  switch (dtype) {
    case 'float32': return Float32Array;
    case 'float64': return Float64Array;
    case 'int8': return Int8Array;
    case 'int16': return Int16Array;
    case 'int32': return Int32Array;
    case 'int64': return BigInt64Array;
    case 'uint8': case 'bool': return Uint8Array;
    case 'uint16': return Uint16Array;
    case 'uint32': return Uint32Array;
    case 'uint64': return BigUint64Array;
  }
}

/** Convert any typed array to float32 (64-bit integers through Number). */
export function toFloat32(data: TypedArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else {
    out.set(data);
  }
  return out;
}

/**
 * Convert labels to int32, checking that every value is a whole number in int32
 * range (ODDS stores y as doubles, ADBench as int64 or float64).
 */
export function toInt32Labels(data: TypedArray, name: string): Int32Array {
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw invalidArgument(`${name}[${i}]`, 'a whole-number label', v, 'Labels must be integers such as 0 (normal) and 1 (anomaly).');
    }
    out[i] = v;
  }
  return out;
}

/** The samples at `indices` (in that order), with their labels. */
export function takeSamples(dataset: ArrayDataset, indices: ArrayLike<number>): ArrayDataset {
  const size = sampleSize(dataset.shape);
  const n = dataset.shape[0];
  const x = new Float32Array(indices.length * size);
  const labels = dataset.labels ? new Int32Array(indices.length) : undefined;
  const source = dataset.x;
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!(j >= 0 && j < n)) throw invalidArgument(`indices[${i}]`, `a sample index in [0, ${n})`, j);
    if (size >= 256) {
      x.set(source.subarray(j * size, (j + 1) * size), i * size);
    } else {
      // Short rows (tables): a plain loop beats making a subarray per row.
      for (let k = 0, from = j * size, to = i * size; k < size; k++) x[to + k] = source[from + k];
    }
    if (labels) labels[i] = dataset.labels![j];
  }
  const files = dataset.files ? Array.from(indices, (j) => dataset.files![j]!) : undefined;
  return { ...dataset, x, shape: [indices.length, ...dataset.shape.slice(1)], labels, files,
    ...(dataset.rows ? { rows: Int32Array.from(indices, (j) => dataset.rows![j]!) } : {}),
    ...(dataset.masks ? { masks: takeMasks(dataset.masks, n, indices) } : {}) };
}

/** A table with its columns picked by name, in the order given (each name must be one of its featureNames). */
export function selectFeatures(dataset: ArrayDataset, names: readonly string[]): ArrayDataset {
  const columns = names.map((name) => {
    const index = dataset.featureNames?.indexOf(name) ?? -1;
    if (index < 0) throw invalidArgument('names', `columns of the table (${dataset.featureNames?.join(', ') ?? 'it has no column names'})`, name);
    return index;
  });
  const [n, d] = dataset.shape as [number, number];
  const x = new Float32Array(n * columns.length);
  for (let i = 0; i < n; i++) columns.forEach((c, k) => (x[i * columns.length + k] = dataset.x[i * d + c]!));
  return { ...dataset, x, shape: [n, columns.length], featureNames: [...names] };
}

/** How a table's columns differ from `wanted` by name ('missing a; not in the model z'), or undefined when it has them all and no others. */
export function columnDifference(given: readonly string[], wanted: readonly string[]): string | undefined {
  const missing = wanted.filter((name) => !given.includes(name));
  const extra = given.filter((name) => !wanted.includes(name));
  const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `not in the model ${extra.join(', ')}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function takeMasks(masks: Uint8Array, n: number, indices: ArrayLike<number>): Uint8Array {
  const size = masks.length / n;
  const taken = new Uint8Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) taken.set(masks.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
  return taken;
}

/** Check that x, shape and labels agree; `name` says which dataset in the message. */
export function checkDataset(dataset: ArrayDataset, name: string): void {
  const { x, shape, labels } = dataset;
  if (shape.length < 1 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidArgument(`${name}.shape`, 'a list of non-negative whole numbers (N, ...)', shape);
  }
  if (x.length !== numel(shape)) {
    throw invalidArgument(`${name}.x`, `${numel(shape)} values for shape (${shape.join(', ')})`, x);
  }
  if (labels && labels.length !== shape[0]) {
    throw invalidArgument(`${name}.labels`, `one label per sample (${shape[0]})`, labels);
  }
}
