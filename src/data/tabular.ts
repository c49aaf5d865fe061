/**
 * Tabular anomaly-detection datasets from .npz (ADBench: keys X, y), .mat (ODDS:
 * variables X, y) or .csv (a header and a label column), as (N, D) float32
 * features and int32 labels (1 = anomaly in ADBench and ODDS). A table of normal
 * rows alone (labelColumn / yKey null) loads without labels.
 */
import { extname } from 'node:path';
import { checkOptionKeys } from '../config/option-keys.js';
import { badFile, invalidArgument } from '../errors.js';
import { toFloat32, toInt32Labels, type ArrayDataset, type NumericArray } from './arrays.js';
import { readCsv, type CsvOptions } from './csv.js';
import { readMat } from './mat.js';
import { readNpz } from './npz.js';

export { splitNormal, type NormalSplitOptions, type Split } from './split.js';

export interface TabularOptions extends CsvOptions {
  /** Name of the features array in .npz / .mat files. Default 'X'. */
  xKey?: string;
  /** Name of the labels array in .npz / .mat files; `null` for a file without labels. Default 'y'. */
  yKey?: string | null;
}

const TABULAR_OPTION_KEYS: readonly (keyof TabularOptions)[] = ['labelColumn', 'delimiter', 'xKey', 'yKey'];
const SUPPORTED = "'.npz' (ADBench), '.mat' (ODDS), '.csv' or '.tsv'";

/** Load a table by file extension: .npz, .mat, .csv or .tsv (tab-separated unless a delimiter is given). */
export function loadTabular(path: string, options: TabularOptions = {}): ArrayDataset {
  checkOptionKeys('loadTabular', options, TABULAR_OPTION_KEYS);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') {
    const { xKey: _x, yKey: _y, ...csv } = options;
    return readCsv(path, ext === '.tsv' ? { ...csv, delimiter: csv.delimiter ?? '\t' } : csv);
  }
  if (ext !== '.npz' && ext !== '.mat') {
    throw invalidArgument('path', `a file ending in ${SUPPORTED}`, path, 'Convert the table to one of these formats.');
  }
  if (options.delimiter !== undefined) {
    throw invalidArgument('delimiter', `no delimiter for the ${ext} file ${path}: its arrays have no fields to split`, options.delimiter, 'Leave it out, or give a .csv file.');
  }
  const xKey = options.xKey ?? 'X';
  const yKey = options.yKey === undefined ? 'y' : options.yKey;
  const keys = yKey === null ? [xKey] : [xKey, yKey];
  const arrays = ext === '.npz' ? readNpz(path, keys) : readMat(path, keys);
  for (const key of keys) {
    if (arrays[key]!.dtype === 'cell') throw badFile(path, `holds a cell array in '${key}': expected numeric arrays`);
  }
  const labels = yKey === null ? null : arrays[yKey] as NumericArray;
  return fromArrays(arrays[xKey] as NumericArray, labels, path, xKey, yKey ?? undefined);
}

/** Features (n, d) and labels with n entries ((n,), (n, 1) or (1, n)), or none, as a dataset. */
export function fromArrays(X: NumericArray, y: NumericArray | null, path: string, xKey = 'X', yKey = 'y'): ArrayDataset {
  if (X.shape.length !== 2) {
    throw badFile(path, `'${xKey}' has shape (${X.shape.join(', ')}): expected a 2-D table (samples, features)`);
  }
  const n = X.shape[0];
  const x = finiteFloat32(X, path, xKey);
  if (y === null) return { x, shape: [n, X.shape[1]] };
  const yCount = y.data.length;
  const yVector = y.shape.filter((d) => d !== 1).length <= 1;
  if (!yVector || yCount !== n) {
    throw badFile(path, `'${yKey}' has shape (${y.shape.join(', ')}) but '${xKey}' has ${n} rows: expected ${n} labels`);
  }
  const labels = toInt32Labels(y.data, `${path}:${yKey}`);
  const other = labels.findIndex((v) => v !== 0 && v !== 1);
  if (other >= 0) {
    throw badFile(path, `'${yKey}' holds ${labels[other]} at index ${other}: expected 0 (normal) or 1 (anomaly)`,
      "Map the labels to 0 and 1 first (scikit-learn's -1 for an outlier and 1 for an inlier become 1 and 0).");
  }
  return { x, shape: [n, X.shape[1]], labels };
}

/**
 * The features as float32, every one finite: a NaN, an infinity or a value beyond float32 (which becomes one)
 * is named here by its index, as numpy gives it, rather than found at fit by sample. CSV cells are named by
 * line and column in the CSV reader.
 */
function finiteFloat32(X: NumericArray, path: string, xKey: string): Float32Array {
  const x = toFloat32(X.data);
  const at = x.findIndex((v) => !Number.isFinite(v));
  if (at < 0) return x;
  const d = X.shape[1]!;
  throw badFile(path, `${xKey}[${Math.floor(at / d)}, ${at % d}] (row and column counted from 0) holds ${String(X.data[at])}${Number.isFinite(Number(X.data[at])) ? ', beyond what a 32-bit float holds (±3.4e38)' : ''}: the models need finite numbers`,
    'Fill in or drop the rows with missing or infinite values (scale down a column of huge values, for example by a logarithm).');
}
