/**
 * A table from plain JavaScript rows, as data usually arrives in Node (a query result, parsed JSON, a
 * stream of readings): the `(N, D)` float32 dataset every detector takes, as PyOD's `fit(X)` takes a 2-D
 * array. Rows are arrays of numbers, or objects of named numbers; named columns are kept as
 * `featureNames`, so that a table model matches later tables by name.
 *
 *   const train = fromRows([{ temperature: 71.2, vibration: 0.03 }, ...]);
 *   await detector.fit(train);
 *   const scores = await detector.score(fromRows(todaysReadings));
 */
import { described, invalidArgument } from '../errors.js';
import type { ArrayDataset } from './arrays.js';

/** A row of numbers as JavaScript holds them: an array, or a typed array (a row of a Float32Array table). */
type NumberRow = readonly number[] | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export type TableRow = NumberRow | Readonly<Record<string, number>>;

/** Arrays and typed arrays are rows of numbers by position; any other object names its cells. */
const isNumberRow = (row: unknown): row is NumberRow => Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView) && !(row instanceof BigInt64Array) && !(row instanceof BigUint64Array));

export interface FromRowsOptions {
  /** One per row: 0 = normal, 1 = anomaly (for metrics; training ignores them). */
  labels?: ArrayLike<number>;
  /** Names of the columns of array rows (object rows are named by their keys). */
  featureNames?: readonly string[];
}

/** The largest finite float32: a larger cell would become Infinity in the Float32Array. */
const FLOAT32_MAX = 3.4028234663852886e38;

export function fromRows(rows: readonly TableRow[], options: FromRowsOptions = {}): ArrayDataset {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw invalidArgument('rows', 'a non-empty array of rows (arrays of numbers, or objects of named numbers)', rows);
  }
  const first: unknown = rows[0];
  const named = !isNumberRow(first) && typeof first === 'object' && first !== null;
  if (!named && !isNumberRow(first)) throw invalidArgument('rows[0]', 'an array of numbers or an object of named numbers', first);
  if (named && options.featureNames) {
    throw invalidArgument('featureNames', 'no names for object rows (their keys name the columns)', options.featureNames, 'Leave featureNames out, or give the rows as arrays.');
  }
  const names = named ? Object.keys(first) : options.featureNames;
  const width = named ? names!.length : (first as NumberRow).length;
  if (width === 0) throw invalidArgument('rows[0]', 'at least one column', first);
  if (names && names.length !== width) throw invalidArgument('featureNames', `${width} names, one per column`, names);
  const repeated = names?.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw invalidArgument('featureNames', 'a name for each column, each once (columns are told apart by name)', names, `'${repeated}' is given twice.`);
  const x = new Float32Array(rows.length * width);
  rows.forEach((row: TableRow, i) => {
    const cells: ArrayLike<unknown> = named ? cellsByName(row, i, names!) : cellsOf(row, i, width);
    for (let j = 0; j < width; j++) {
      const value = cells[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const at = named ? `rows[${i}].${names![j]}` : `rows[${i}][${j}]`;
        throw invalidArgument(at, 'a finite number', value, 'The models need a number in every cell: fill in or drop rows with missing values.');
      }
      if (Math.abs(value) > FLOAT32_MAX) {
        const at = named ? `rows[${i}].${names![j]}` : `rows[${i}][${j}]`;
        throw invalidArgument(at, 'a number a 32-bit float holds (within ±3.4e38)', value, 'Scale that column down, for example by a logarithm.');
      }
      x[i * width + j] = value;
    }
  });
  return { x, shape: [rows.length, width], ...(names ? { featureNames: [...names] } : {}), ...(options.labels !== undefined ? { labels: labelsOf(options.labels, rows.length) } : {}) };
}

function cellsOf(row: TableRow, i: number, width: number): ArrayLike<unknown> {
  if (!isNumberRow(row)) throw invalidArgument(`rows[${i}]`, `an array of ${width} numbers, like rows[0]`, row);
  if (row.length !== width) throw invalidArgument(`rows[${i}]`, `${width} values, as rows[0] has`, described(`${row.length}`));
  return row;
}

function cellsByName(row: TableRow, i: number, names: readonly string[]): readonly unknown[] {
  if (isNumberRow(row) || typeof row !== 'object' || row === null) throw invalidArgument(`rows[${i}]`, 'an object of named numbers, like rows[0]', row);
  const keys = Object.keys(row);
  const missing = names.filter((name) => !(name in row));
  const extra = keys.filter((key) => !names.includes(key));
  if (missing.length > 0 || extra.length > 0) {
    throw invalidArgument(`rows[${i}]`, `the columns of rows[0] (${names.join(', ')})`,
      described(`${missing.length > 0 ? `no ${missing.join(', ')}` : ''}${missing.length > 0 && extra.length > 0 ? '; ' : ''}${extra.length > 0 ? `also ${extra.join(', ')}` : ''}`));
  }
  return names.map((name) => (row as Record<string, unknown>)[name]);
}

function labelsOf(labels: ArrayLike<number>, count: number): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw invalidArgument('labels', `${count} labels (0 = normal, 1 = anomaly)`, labels);
  if (labels.length !== count) throw invalidArgument('labels', `one label per row (${count})`, described(`${labels.length} labels`));
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw invalidArgument(`labels[${i}]`, '0 (normal) or 1 (anomaly)', labels[i]);
    out[i] = labels[i]!;
  }
  return out;
}
