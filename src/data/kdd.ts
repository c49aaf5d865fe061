/**
 * KDDCUP99 (10% subset) as DAGMM (Zong et al., ICLR 2018) prepared it, the
 * protocol MemAE reports on.
 *
 * From the raw `kddcup.data_10_percent[.gz]` (41 features + label, no header):
 * - one-hot encode protocol_type, service and flag, each column's values in sorted
 *   (code point) order, in that column order: 3 + 66 + 11 = 80 columns;
 * - then the 38 numeric columns in file order, min-max scaled to
 *   (v - min) / (max - min), constant columns set to 0;
 * - label 1 for rows whose last field is 'normal.' (20%, the anomaly class in
 *   this protocol), 0 for the attack rows.
 * DAGMM's kdd_cup.npz takes min and max over the label-0 rows only, so some test
 * values fall outside [0, 1]; that is the default here (`scaleOn: 'label0'`) and it
 * reproduces kdd_cup.npz value for value (checked in kdd.test.ts). `scaleOn: 'all'`
 * uses every row.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { checkOptionKeys } from '../config/option-keys.js';
import { badFile, fileNotFound, invalidArgument, withHint } from '../errors.js';
import { type ArrayDataset, type TypedArray } from './arrays.js';
import { readMaybeGzip } from './files.js';
import { readNpzStored } from './npz.js';
import { splitNormal, type Split } from './split.js';

/** The 41 feature names of KDD Cup 1999, in file order. */
export const KDD_COLUMNS = [
  'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot',
  'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root', 'num_file_creations',
  'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login', 'count', 'srv_count',
  'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate',
  'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate',
  'dst_host_rerror_rate', 'dst_host_srv_rerror_rate',
] as const;

const CATEGORICAL = [1, 2, 3];
const FIELDS = KDD_COLUMNS.length + 1;
const NUMERIC = KDD_COLUMNS.map((_, i) => i).filter((i) => !CATEGORICAL.includes(i));
const NORMAL_LABEL = Buffer.from('normal.');

export interface KddOptions {
  /** Rows whose min and max scale the numeric columns. Default 'label0' (as DAGMM). */
  scaleOn?: 'label0' | 'all';
}

const KDD_OPTION_KEYS: readonly (keyof KddOptions)[] = ['scaleOn'];

/** Load KDDCUP99 from the raw file or from DAGMM's kdd_cup.npz (by extension). */
export function loadKdd(path: string, options: KddOptions = {}): ArrayDataset {
  checkOptionKeys('loadKdd', options, KDD_OPTION_KEYS);
  // The reader of either file would name only its own format; a path that is not there may have meant the other.
  if (!existsSync(path)) {
    throw withHint(fileNotFound(path, 'KDDCUP99 file'), "Expected DAGMM's kdd_cup.npz or UCI's kddcup.data_10_percent[.gz] (a .npz is read as DAGMM's, any other file as UCI's).");
  }
  return extname(path).toLowerCase() === '.npz' ? loadKddNpz(path) : loadKddRaw(path, options);
}

/** DAGMM's preprocessed kdd_cup.npz: key 'kdd', (N, 119), the last column the label. */
export function loadKddNpz(path: string): ArrayDataset {
  // DAGMM saved the array in Fortran order: read it as stored and convert in one pass.
  const { kdd } = readNpzStored(path, ['kdd']);
  if (kdd.shape.length !== 2 || kdd.shape[1] < 2) {
    throw badFile(path, `'kdd' has shape (${kdd.shape.join(', ')}): expected (rows, features + 1) with the label last`);
  }
  const [n, cols] = kdd.shape;
  const d = cols - 1;
  const source = toFloat64(kdd.data);
  // Element (r, c) sits at r*cols + c in C order, at r + c*n in Fortran order.
  const rowStride = kdd.fortranOrder ? 1 : cols;
  const colStride = kdd.fortranOrder ? n : 1;
  const x = new Float32Array(n * d);
  const T = 64;
  for (let r0 = 0; r0 < n; r0 += T) {
    const r1 = Math.min(r0 + T, n);
    for (let c0 = 0; c0 < d; c0 += T) {
      const c1 = Math.min(c0 + T, d);
      for (let c = c0; c < c1; c++) {
        for (let r = r0; r < r1; r++) x[r * d + c] = source[r * rowStride + c * colStride];
      }
    }
  }
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const label = source[r * rowStride + d * colStride];
    if (label !== 0 && label !== 1) throw badFile(path, `row ${r} has label ${label}: expected 0 or 1 in the last column`);
    labels[r] = label;
  }
  return { x, shape: [n, d], labels, classNames: ['attack', 'normal.'] };
}

function toFloat64(data: TypedArray): Float64Array {
  if (data instanceof Float64Array) return data;
  return Float64Array.from(data as ArrayLike<number>, Number);
}

/** The raw KDD Cup 1999 file (gzipped or not), preprocessed as DAGMM did. */
export function loadKddRaw(path: string, options: KddOptions = {}): ArrayDataset {
  checkOptionKeys('loadKddRaw', options, KDD_OPTION_KEYS);
  const scaleOn = options.scaleOn ?? 'label0';
  if (scaleOn !== 'label0' && scaleOn !== 'all') throw invalidArgument('scaleOn', "'label0' or 'all'", scaleOn);
  const bytes = readMaybeGzip(path, 'KDD Cup 1999 file', 'It is kddcup.data_10_percent.gz from the UCI KDD archive.');
  const parsed = parseRows(bytes, path);
  return encode(parsed, scaleOn);
}

/** The DAGMM split: train on a random half of the label-0 rows; test on the other half plus every label-1 row. */
export function kddSplit(data: ArrayDataset, seed: number): Split {
  return splitNormal(data, { seed, trainFraction: 0.5 });
}

interface ParsedRows {
  n: number;
  numeric: Float64Array; // (n, 38)
  codes: Int32Array; // (n, 3): category ids in order of first appearance
  categories: string[][]; // per categorical column, by id
  labels: Int32Array;
}

function parseRows(bytes: Buffer, path: string): ParsedRows {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
  const numeric = new Float64Array(lines * NUMERIC.length);
  const codes = new Int32Array(lines * CATEGORICAL.length);
  const labels = new Int32Array(lines);
  const ids = CATEGORICAL.map(() => new Map<string, number>());
  // Rows come in long runs of one kind: compare with the previous row's value before making a string.
  const previousStart = [0, 0, 0], previousLength = [-1, -1, -1], previousId = [0, 0, 0];
  const m = NUMERIC.length;
  let n = 0;
  let p = 0;
  let line = 0;
  while (p < bytes.length) {
    line++;
    let end = bytes.indexOf(10, p);
    if (end < 0) end = bytes.length;
    let lineEnd = end;
    if (lineEnd > p && bytes[lineEnd - 1] === 13) lineEnd--;
    if (lineEnd === p) { p = end + 1; continue; } // blank line
    let field = 0;
    let start = p;
    let numericIndex = 0;
    for (let i = p; i <= lineEnd; i++) {
      if (i < lineEnd && bytes[i] !== 44) continue;
      if (field >= FIELDS - 1) {
        if (i < lineEnd) { field++; break; } // too many fields: reported below
        labels[n] = i - start === NORMAL_LABEL.length && bytes.compare(NORMAL_LABEL, 0, NORMAL_LABEL.length, start, i) === 0 ? 1 : 0;
      } else if (field >= 1 && field <= 3) {
        const c = field - 1;
        const length = i - start;
        let same = length === previousLength[c];
        for (let k = 0; same && k < length; k++) same = bytes[start + k] === bytes[previousStart[c] + k];
        if (!same) {
          const value = bytes.toString('latin1', start, i);
          let id = ids[c].get(value);
          if (id === undefined) { id = ids[c].size; ids[c].set(value, id); }
          previousId[c] = id;
          previousLength[c] = length;
        }
        previousStart[c] = start;
        codes[n * 3 + c] = previousId[c];
      } else {
        const v = parseDecimal(bytes, start, i);
        if (Number.isNaN(v)) {
          if (countFields(bytes, p, lineEnd) !== FIELDS) throw fieldCountError(path, line, countFields(bytes, p, lineEnd));
          throw badFile(path, `line ${line}, column ${field + 1} (${KDD_COLUMNS[field]}) holds '${bytes.toString('latin1', start, i)}', which is not a number`);
        }
        numeric[n * m + numericIndex++] = v;
      }
      field++;
      start = i + 1;
    }
    if (field !== FIELDS) throw fieldCountError(path, line, countFields(bytes, p, lineEnd));
    n++;
    p = end + 1;
  }
  if (n === 0) throw badFile(path, 'holds no rows');
  const categories = ids.map((map) => [...map.keys()]);
  return { n, numeric, codes, categories, labels: labels.subarray(0, n) };
}

/**
 * A decimal number from bytes [start, end). Digits with an optional sign and
 * fraction are read as an integer over a power of ten, one correctly rounded
 * division, so values equal Python's float(); anything else goes through Number.
 */
function parseDecimal(bytes: Buffer, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (bytes[i] === 45) { negative = true; i++; }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (seenPoint) fraction++;
    } else if (c === 46 && !seenPoint) {
      seenPoint = true;
    } else {
      break;
    }
  }
  if (i === end && digits > 0 && digits <= 15 && fraction <= 22) {
    const value = fraction ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
    return negative ? -value : value;
  }
  const text = bytes.toString('latin1', start, end).trim();
  return text === '' ? NaN : Number(text);
}

/** 10^0 .. 10^22, every one exact in a double. */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

function fieldCountError(path: string, line: number, found: number) {
  return badFile(path, `line ${line} has ${found} comma-separated fields: expected ${FIELDS} (41 features and a label)`,
    'The file should be kddcup.data_10_percent from the UCI KDD archive.');
}

function countFields(bytes: Buffer, start: number, end: number): number {
  let count = 1;
  for (let i = start; i < end; i++) if (bytes[i] === 44) count++;
  return count;
}

function encode(parsed: ParsedRows, scaleOn: 'label0' | 'all'): ArrayDataset {
  const { n, numeric, codes, categories, labels } = parsed;
  // Sorted category order, as pandas.get_dummies writes the columns.
  const remap = categories.map((values) => {
    const sorted = [...values].sort();
    return Int32Array.from(values, (v) => sorted.indexOf(v));
  });
  const sortedNames = categories.map((values) => [...values].sort());
  const offsets: number[] = [];
  let width = 0;
  for (const values of sortedNames) { offsets.push(width); width += values.length; }
  const numericStart = width;
  const m = NUMERIC.length;
  const d = width + m;

  const min = new Float64Array(m).fill(Infinity);
  const max = new Float64Array(m).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    if (scaleOn === 'label0' && labels[r] !== 0) continue;
    for (let k = 0; k < m; k++) {
      const v = numeric[r * m + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const row = r * d;
    for (let c = 0; c < 3; c++) x[row + offsets[c] + remap[c][codes[r * 3 + c]]] = 1;
    for (let k = 0; k < m; k++) {
      const range = max[k] - min[k];
      // A column constant over the scaling rows carries no information: 0, as in DAGMM's file.
      x[row + numericStart + k] = range > 0 ? (numeric[r * m + k] - min[k]) / range : 0;
    }
  }
  const featureNames = [
    ...sortedNames.flatMap((values, c) => values.map((v) => `${KDD_COLUMNS[CATEGORICAL[c]]}=${v}`)),
    ...NUMERIC.map((i) => KDD_COLUMNS[i]),
  ];
  return { x, shape: [n, d], labels, classNames: ['attack', 'normal.'], featureNames };
}
