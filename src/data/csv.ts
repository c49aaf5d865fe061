/**
 * Numeric CSV tables with a header row and a label column (RFC 4180 quoting:
 * fields in double quotes may hold the delimiter, newlines and "" for a quote).
 */
import { checkOptionKeys } from '../config/option-keys.js';
import { badFile } from '../errors.js';
import type { ArrayDataset } from './arrays.js';
import { readBytes } from './files.js';

export interface CsvOptions {
  /** Name of the label column; `null` for a table without labels. Default 'label'. */
  labelColumn?: string | null;
  /** Field separator, one character. Default ','. */
  delimiter?: string;
}

const CSV_OPTION_KEYS: readonly (keyof CsvOptions)[] = ['labelColumn', 'delimiter'];

/**
 * Spellings of non-finite values that NumPy and pandas write (nan, inf, -Infinity, …): refused with their line
 * and column, since the models need finite numbers and would otherwise find them only at fit, by sample index.
 */
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Parse CSV text into features `x` of shape (N, D) (all columns but the label)
 * and integer `labels`. `path` names the file in errors.
 */
export function parseCsv(text: string, path: string, options: CsvOptions = {}): ArrayDataset {
  checkOptionKeys('readCsv', options, CSV_OPTION_KEYS);
  const labelColumn = options.labelColumn === undefined ? 'label' : options.labelColumn;
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw badFile(path, `cannot be split on delimiter ${JSON.stringify(delimiter)}: expected one character other than a quote or newline`);
  }
  const records = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter.charCodeAt(0), path);
  if (records.length === 0) throw badFile(path, 'is empty: expected a header row and data rows');
  if (records.length === 1) throw badFile(path, 'has a header row but no data rows');
  const header = records[0].fields.map((name) => name.trim());
  const unnamed = header.indexOf('');
  if (unnamed >= 0) {
    throw badFile(path, `has a column without a name in its header (column ${unnamed + 1} of ${header.length})`, unnamed === 0
      ? "pandas writes its row index so: save with to_csv(path, index=False), or read it back with index_col=0 and save again. A row number is no feature to learn."
      : 'Name every column (a trailing delimiter at the end of the header makes an empty one).');
  }
  if (header.length === 1 && options.delimiter === undefined) {
    const other = [';', '\t', '|'].find((candidate) => header[0]!.includes(candidate));
    if (other) {
      throw badFile(path, `has one column named ${JSON.stringify(header[0])}: its fields look separated by ${JSON.stringify(other)}, not commas`,
        `Pass delimiter: ${JSON.stringify(other)} (--delimiter on the command line).`);
    }
  }
  const repeated = header.find((name, i) => header.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw badFile(path, `names the column '${repeated}' twice in its header`, 'Give each column its own name: columns are told apart by name.');
  }
  if (header.length === (labelColumn !== null && header.includes(labelColumn) ? 1 : 0)) {
    throw badFile(path, 'has no feature columns: its header names only the labels', 'Give the table at least one column of values beside the label column.');
  }
  const labelIndex = labelColumn === null ? -1 : header.indexOf(labelColumn);
  if (labelColumn !== null && labelIndex < 0) {
    throw badFile(path, `has no label column '${labelColumn}': its columns are ${header.map((h) => `'${h}'`).join(', ')}`,
      `${looksHeaderless(header) ? `${headerlessHint()} ` : ''}Pass labelColumn (--label-column on the command line): the name of the column that holds the labels, or null (none) for a table without labels.`);
  }
  const featureNames = header.filter((_, i) => i !== labelIndex);
  const n = records.length - 1;
  const d = featureNames.length;
  const x = new Float32Array(n * d);
  const labels = labelIndex >= 0 ? new Int32Array(n) : undefined;
  for (let r = 0; r < n; r++) {
    const { fields, line } = records[r + 1];
    if (fields.length !== header.length) {
      throw badFile(path, `row ${r} (line ${line}) has ${fields.length} fields but the header has ${header.length}`);
    }
    let k = 0;
    for (let c = 0; c < fields.length; c++) {
      const cell = fields[c].trim();
      const where = `row ${r} (line ${line}), ${c === labelIndex ? 'label ' : ''}column '${header[c]}'`;
      if (cell === '') {
        throw badFile(path, `${where} is empty`, 'Fill in or drop the rows with missing values (pandas writes a missing value as an empty field).');
      }
      if (NON_FINITE.test(cell)) {
        throw badFile(path, `${where} holds ${cell}, not a finite number`, 'Fill in or drop the rows with missing or infinite values: the models need finite numbers.');
      }
      const value = parseNumber(cell);
      if (Number.isNaN(value)) {
        if (c === labelIndex) {
          throw badFile(path, `${where} holds ${JSON.stringify(fields[c])}, which is not a decimal number: expected 0 (normal) or 1 (anomaly)`,
            `Map the labels to numbers first: 0 for a normal row, 1 for an anomaly (for labels "normal" and "anomaly", in pandas: df['${header[c]}'] = (df['${header[c]}'] == 'anomaly').astype(int)).`);
        }
        throw badFile(path, `${where} holds ${JSON.stringify(fields[c])}, which is not a decimal number`,
          'Every column but the labels must hold numbers: drop text columns such as ids or names, or encode them as numbers first.');
      }
      if (Math.abs(value) > FLOAT32_MAX) {
        throw badFile(path, `${where} holds ${cell}, beyond what a 32-bit float holds (±3.4e38)`, 'Scale that column down, for example by a logarithm.');
      }
      if (c === labelIndex) {
        if (value !== 0 && value !== 1) {
          throw badFile(path, `${where} holds ${JSON.stringify(fields[c])}: expected 0 (normal) or 1 (anomaly)`,
            "Map the labels to 0 and 1 first (scikit-learn's -1 for an outlier and 1 for an inlier become 1 and 0).");
        }
        labels![r] = value;
      } else {
        x[r * d + k++] = value;
      }
    }
  }
  return { x, shape: [n, d], labels, featureNames };
}

/**
 * Whether a header's names are all numbers: then the file most likely has no header, and its first row of
 * values was read as the column names (and left out of the data).
 */
export function looksHeaderless(names: readonly string[]): boolean {
  return names.length > 0 && names.every((name) => !Number.isNaN(parseNumber(name.trim())));
}

/** What to say of a header of numbers alone (see looksHeaderless); `names`: the columns it should name, when known. */
export function headerlessHint(names?: readonly string[]): string {
  return 'Its first line holds numbers alone, yet is read as the header (the column names): the file seems to have none. ' +
    `Add a header line naming the columns${names ? `, as the model does: ${names.join(',')}` : ''}.`;
}

/** Read a CSV file (see parseCsv). */
export function readCsv(path: string, options: CsvOptions = {}): ArrayDataset {
  return parseCsv(readBytes(path, 'CSV file').toString('utf8'), path, options);
}

/** Decimal numbers only: JavaScript's Number() would also read '0x10' as 16, '0b11' as 3 and '' as 0. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT32_MAX = 3.4028234663852886e38;

function parseNumber(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/** Split text into records of fields; blank lines are skipped. `line` is 1-based. */
function splitRecords(text: string, delimiter: number, path: string): { fields: string[]; line: number }[] {
  const QUOTE = 34, LF = 10, CR = 13;
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  while (i <= n) {
    // One field starts at i.
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line;
      let parts = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw badFile(path, `has a quoted field opened on line ${startLine} that is never closed`);
        parts += text.slice(j, q);
        for (let t = j; t < q; t++) if (text.charCodeAt(t) === LF) line++;
        if (text.charCodeAt(q + 1) === QUOTE) { parts += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      value = parts;
      const next = text.charCodeAt(i);
      if (i < n && next !== delimiter && next !== LF && next !== CR) {
        throw badFile(path, `line ${line}: unexpected text after a closing quote`);
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delimiter || c === LF || c === CR) break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    fields.push(value);
    const c = i < n ? text.charCodeAt(i) : LF;
    if (c === delimiter) {
      i++;
      continue;
    }
    // End of record (newline or end of text).
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    if (c === CR && text.charCodeAt(i + 1) === LF) i++;
    i++;
    line++;
    recordLine = line;
  }
  return records;
}

/** A field for a CSV file written out: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
