import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, printTable } from './table.js';

test('columns from keys, numbers right-aligned with the precision, integer columns whole', () => {
  const rows = [
    { class: 0, model: 'memae', auroc: 0.98765, f1: 0.5 },
    { class: 10, model: 'mnad', auroc: 1, f1: NaN },
  ];
  assert.equal(formatTable(rows, { precision: 3 }), [
    'class  model  auroc     f1',
    '-----  -----  -----  -----',
    '    0  memae  0.988  0.500',
    '   10  mnad   1.000    NaN',
    '',
  ].join('\n'));
});

test('chosen columns and headers, per-column precision, missing cells, mixed columns left-aligned', () => {
  const rows = [{ name: 'a', value: 1.23456, note: 'x' }, { name: 'bb', value: 2, extra: true }, { name: 'c', value: null, note: 3 }];
  assert.equal(formatTable(rows, { columns: ['value', 'name', 'note'], headers: { value: 'AUC' }, precision: { value: 2 } }), [
    ' AUC  name  note',
    '----  ----  ----',
    '1.23  a     x',
    '2.00  bb',
    '      c     3',
    '',
  ].join('\n'));
});

test('whole names the columns of counts: the others keep their decimals, an exact 1 as 1.0000 beside 0.9999…', () => {
  const row = { samples: 20, anomalies: 10, auc: 1, pro: 0.9999999999999992, f1: 0 };
  assert.equal(formatTable([row], { precision: 4, whole: ['samples', 'anomalies'] }), [
    'samples  anomalies     auc     pro      f1',
    '-------  ---------  ------  ------  ------',
    '     20         10  1.0000  1.0000  0.0000',
    '',
  ].join('\n'));
});

test('empty input and printTable', () => {
  assert.equal(formatTable([]), '');
  assert.equal(formatTable([], { columns: ['auroc'] }), 'auroc\n-----\n');
  const writes: string[] = [];
  printTable([{ k: 'v' }], { stream: { write: (text: string) => writes.push(text) } });
  assert.deepEqual(writes, ['k\n-\nv\n']);
});
