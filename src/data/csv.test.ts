import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { csvField, looksHeaderless, parseCsv, readCsv } from './csv.js';
import { tempDir } from './fixtures/helpers.js';

const tmp = tempDir('csv');
after(tmp.remove);

test('features and integer labels, label column anywhere, quotes, CRLF, BOM, blank lines', () => {
  const text = '\ufeffa,"label",b\r\n1,0,2.5\r\n"-3e2",1," 4 "\r\n\r\n5,0,6\r\n';
  const data = parseCsv(text, 't.csv');
  assert.deepEqual(data.shape, [3, 2]);
  assert.deepEqual(data.featureNames, ['a', 'b']);
  assert.deepEqual([...data.x], [1, 2.5, -300, 4, 5, 6]);
  assert.deepEqual([...data.labels!], [0, 1, 0]);
});

test('quoted fields may hold delimiters, quotes and newlines; other delimiters and no label column', () => {
  const data = parseCsv('"x,1";"say ""hi""\nthere";y\n1;2;1\n', 's.csv', { delimiter: ';', labelColumn: 'y' });
  assert.deepEqual(data.featureNames, ['x,1', 'say "hi"\nthere']);
  assert.deepEqual([...data.x], [1, 2]);
  const unlabelled = parseCsv('p,q\n1,2\n3,4', 'u.csv', { labelColumn: null });
  assert.equal(unlabelled.labels, undefined);
  assert.deepEqual([...unlabelled.x], [1, 2, 3, 4]);
  writeFileSync(join(tmp.dir, 'f.csv'), 'f,label\n0.5,1\n');
  assert.deepEqual([...readCsv(join(tmp.dir, 'f.csv')).labels!], [1]);
});

test('csvField writes names back so that the parser reads the same names', () => {
  const names = ['plain', 'x,1', 'say "hi"\nthere', 'cr\rhere'];
  assert.deepEqual(names.map(csvField).slice(0, 2), ['plain', '"x,1"']);
  const text = `${names.map(csvField).join(',')},label\n1,2,3,4,0\n`;
  assert.deepEqual(parseCsv(text, 'w.csv').featureNames, names);
});

test('errors name the file, the row and the column', () => {
  assert.throws(() => parseCsv('a,b,target\n1,2,0\n', 'd.csv'), {
    message: "d.csv: has no label column 'label': its columns are 'a', 'b', 'target'. Pass labelColumn (--label-column on the command line): the name of the column that holds the labels, or null (none) for a table without labels.",
  });
  // A header of numbers alone: the file has none, and its first row was read as one.
  assert.throws(() => parseCsv('0.5,-1,2e3\n1,2,3\n', 'd.csv'), {
    message: "d.csv: has no label column 'label': its columns are '0.5', '-1', '2e3'. Its first line holds numbers alone, yet is read as the header (the column names): " +
      'the file seems to have none. Add a header line naming the columns. Pass labelColumn (--label-column on the command line): the name of the column that holds the labels, or null (none) for a table without labels.',
  });
  assert.deepEqual([looksHeaderless(['0.5', ' -1', '2e3']), looksHeaderless(['0.5', 'b']), looksHeaderless([])], [true, false, false]);
  const textColumn = 'Every column but the labels must hold numbers: drop text columns such as ids or names, or encode them as numbers first.';
  assert.throws(() => parseCsv('a,b,label\n1,2,0\n3,x,1\n', 'd.csv'), {
    message: `d.csv: row 1 (line 3), column 'b' holds "x", which is not a decimal number. ${textColumn}`,
  });
  // Number() would read these as 16, 3, 7 and the empty cell as 0; a cell reading 'constructor' must not find Object's.
  for (const cell of ['0x10', '0b11', '0o7', '1_000', 'constructor']) {
    assert.throws(() => parseCsv(`a,label\n${cell},0\n`, 'd.csv'), { message: `d.csv: row 0 (line 2), column 'a' holds "${cell}", which is not a decimal number. ${textColumn}` });
  }
  assert.deepEqual([...parseCsv('a,label\n-1.5e3,0\n.5,0\n+2.,1\n', 'd.csv').x], [-1500, 0.5, 2]);
  // NumPy and pandas write NaN and infinities so; the models need finite numbers, and a cell is easier to find here than at fit.
  for (const cell of ['NaN', 'nan', 'inf', '-inf', 'Infinity', '+Infinity', 'INF', '-nan']) {
    assert.throws(() => parseCsv(`a,b,label\n1,2,0\n3,"${cell} ",1\n`, 'd.csv'), {
      message: `d.csv: row 1 (line 3), column 'b' holds ${cell}, not a finite number. Fill in or drop the rows with missing or infinite values: the models need finite numbers.`,
    });
  }
  assert.throws(() => parseCsv('a,label\n1,nan\n', 'd.csv'), { message: /^d\.csv: row 0 \(line 2\), label column 'label' holds nan, not a finite number\./ });
  assert.throws(() => parseCsv('a,b,label\n1,,0\n', 'd.csv'), {
    message: `d.csv: row 0 (line 2), column 'b' is empty. Fill in or drop the rows with missing values (pandas writes a missing value as an empty field).`,
  });
  assert.throws(() => parseCsv('a,label\n1e39,0\n', 'd.csv'), { message: `d.csv: row 0 (line 2), column 'a' holds 1e39, beyond what a 32-bit float holds (±3.4e38). Scale that column down, for example by a logarithm.` });
  const binary = "Map the labels to 0 and 1 first (scikit-learn's -1 for an outlier and 1 for an inlier become 1 and 0).";
  // Text labels: what labels must be, as for numbers other than 0 and 1.
  assert.throws(() => parseCsv('a,label\n1,normal\n', 'd.csv'), {
    message: `d.csv: row 0 (line 2), label column 'label' holds "normal", which is not a decimal number: expected 0 (normal) or 1 (anomaly). ` +
      `Map the labels to numbers first: 0 for a normal row, 1 for an anomaly (for labels "normal" and "anomaly", in pandas: df['label'] = (df['label'] == 'anomaly').astype(int)).`,
  });
  for (const label of ['0.5', '2', '-1']) {
    assert.throws(() => parseCsv(`a,label\n1,${label}\n`, 'd.csv'), { message: `d.csv: row 0 (line 2), label column 'label' holds "${label}": expected 0 (normal) or 1 (anomaly). ${binary}` });
  }
  // pandas' to_csv() writes its index as a first column without a name; a trailing comma makes a last one.
  assert.throws(() => parseCsv(',a,label\n0,1,0\n', 'd.csv'), { message: /^d\.csv: has a column without a name in its header \(column 1 of 3\)\. pandas writes its row index so: save with to_csv\(path, index=False\)/ });
  assert.throws(() => parseCsv('a,label,\n1,0,\n', 'd.csv'), { message: /column 3 of 3\)\. Name every column \(a trailing delimiter/ });
  assert.throws(() => parseCsv('a;b;label\n1;2;0\n', 'd.csv'), {
    message: `d.csv: has one column named "a;b;label": its fields look separated by ";", not commas. Pass delimiter: ";" (--delimiter on the command line).`,
  });
  assert.throws(() => parseCsv('a,b,label\n1,2\n', 'd.csv'), { message: 'd.csv: row 0 (line 2) has 2 fields but the header has 3.' });
  assert.throws(() => parseCsv('a,label\n"1,0\n', 'd.csv'), { message: 'd.csv: has a quoted field opened on line 2 that is never closed.' });
  assert.throws(() => parseCsv('', 'd.csv'), { message: 'd.csv: is empty: expected a header row and data rows.' });
  assert.throws(() => parseCsv('a,b,label\n\n', 'd.csv'), { message: 'd.csv: has a header row but no data rows.' });
  assert.throws(() => parseCsv('a,a,label\n1,2,0\n', 'd.csv'), { message: "d.csv: names the column 'a' twice in its header. Give each column its own name: columns are told apart by name." });
  assert.throws(() => parseCsv('label\n0\n1\n', 'd.csv'), { message: 'd.csv: has no feature columns: its header names only the labels. Give the table at least one column of values beside the label column.' });
  assert.throws(() => readCsv(join(tmp.dir, 'nope.csv')), { message: `CSV file not found at ${join(tmp.dir, 'nope.csv')}.` });
});
