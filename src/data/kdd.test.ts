import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SHARED_DATA, tempDir } from './fixtures/helpers.js';
import { kddSplit, loadKdd, loadKddRaw } from './kdd.js';

const tmp = tempDir('kdd');
after(tmp.remove);

/** A KDD row: duration, protocol, service, flag, then 37 numeric fields (value v), then the label. */
function row(duration: number, protocol: string, service: string, flag: string, v: number, label: string): string {
  return [duration, protocol, service, flag, ...new Array(37).fill(v), label].join(',');
}

test('one-hot in sorted order, min-max scaling over the label-0 rows, label 1 for normal.', () => {
  const path = join(tmp.dir, 'kdd.gz');
  writeFileSync(path, gzipSync([
    row(0, 'tcp', 'http', 'SF', 1, 'smurf.'),
    row(10, 'udp', 'X11', 'REJ', 3, 'neptune.'),
    row(20, 'icmp', 'http', 'SF', 5, 'normal.'),
    '',
  ].join('\n')));
  const data = loadKddRaw(path);
  // protocols icmp, tcp, udp; services X11, http (code-point order); flags REJ, SF; then 38 numeric columns.
  assert.deepEqual(data.shape, [3, 3 + 2 + 2 + 38]);
  assert.deepEqual(data.featureNames!.slice(0, 8), [
    'protocol_type=icmp', 'protocol_type=tcp', 'protocol_type=udp', 'service=X11', 'service=http', 'flag=REJ', 'flag=SF', 'duration',
  ]);
  const d = data.shape[1];
  const rowOf = (r: number) => [...data.x.subarray(r * d, (r + 1) * d)];
  assert.deepEqual(rowOf(0).slice(0, 7), [0, 1, 0, 0, 1, 0, 1]);
  assert.deepEqual(rowOf(1).slice(0, 7), [0, 0, 1, 1, 0, 1, 0]);
  // duration scaled by the label-0 rows (0 and 10): the normal. row gets 2, outside [0, 1] as in DAGMM's file.
  assert.deepEqual([rowOf(0)[7], rowOf(1)[7], rowOf(2)[7]], [0, 1, 2]);
  assert.deepEqual([rowOf(0)[8], rowOf(1)[8], rowOf(2)[8]], [0, 1, 2]);
  assert.deepEqual([...data.labels!], [0, 0, 1]);
  const all = loadKddRaw(path, { scaleOn: 'all' });
  assert.deepEqual([all.x[7], all.x[d + 7], all.x[2 * d + 7]], [0, 0.5, 1]);
});

test('constant columns become 0; malformed rows are errors naming the line', () => {
  const path = join(tmp.dir, 'const.txt');
  writeFileSync(path, `${row(4, 'tcp', 'http', 'SF', 7, 'smurf.')}\n${row(4, 'tcp', 'http', 'SF', 7, 'smurf.')}\n`);
  const data = loadKddRaw(path);
  assert.deepEqual(data.shape, [2, 3 + 38]);
  for (let r = 0; r < 2; r++) {
    assert.deepEqual([...data.x.subarray(r * 41, r * 41 + 3)], [1, 1, 1]);
    assert.ok(data.x.subarray(r * 41 + 3, (r + 1) * 41).every((v) => v === 0));
  }
  const short = join(tmp.dir, 'short.txt');
  writeFileSync(short, `${row(0, 'tcp', 'http', 'SF', 1, 'smurf.')}\n0,tcp,http,SF,1,2,normal.\n`);
  assert.throws(() => loadKddRaw(short), {
    message: `${short}: line 2 has 7 comma-separated fields: expected 42 (41 features and a label). The file should be kddcup.data_10_percent from the UCI KDD archive.`,
  });
  const text = join(tmp.dir, 'text.txt');
  writeFileSync(text, row(0, 'tcp', 'http', 'SF', 1, 'smurf.').replace(/^0,/, 'zero,'));
  assert.throws(() => loadKddRaw(text), { message: `${text}: line 1, column 1 (duration) holds 'zero', which is not a number.` });
  assert.throws(() => loadKddRaw(join(tmp.dir, 'none.gz')), {
    message: `KDD Cup 1999 file not found at ${join(tmp.dir, 'none.gz')}. It is kddcup.data_10_percent.gz from the UCI KDD archive.`,
  });
  // loadKdd reads either file by its extension: a path that is not there is told both (it said '.npz file not found').
  assert.throws(() => loadKdd(join(tmp.dir, 'none.npz')), {
    code: 'FILE_NOT_FOUND',
    message: `KDDCUP99 file not found at ${join(tmp.dir, 'none.npz')}. Expected DAGMM's kdd_cup.npz or UCI's kddcup.data_10_percent[.gz] (a .npz is read as DAGMM's, any other file as UCI's).`,
  });
});

test('loadKdd and loadKddRaw refuse an unknown option before reading the file', () => {
  const missing = join(tmp.dir, 'never-read.txt');
  assert.throws(() => loadKdd(missing, { scale: 'all' } as never), {
    code: 'INVALID_ARGUMENT',
    message: "Unknown option 'scale' for loadKdd. Did you mean 'scaleOn'? Its options: scaleOn.",
  });
  assert.throws(() => loadKddRaw(missing, { scaleon: 'all' } as never), {
    message: "Unknown option 'scaleon' for loadKddRaw. Did you mean 'scaleOn'? Its options: scaleOn.",
  });
});

test('kddSplit: half of the label-0 rows to train, the rest and every label-1 row to test', () => {
  const n = 100;
  const labels = Int32Array.from({ length: n }, (_, i) => (i < 20 ? 1 : 0));
  const data = { x: Float32Array.from({ length: n }, (_, i) => i), shape: [n, 1], labels };
  const { train, test } = kddSplit(data, 0);
  assert.deepEqual(train.shape, [40, 1]);
  assert.deepEqual(test.shape, [60, 1]);
  assert.ok(train.x.every((v) => v >= 20));
  assert.equal(test.labels!.reduce((a, b) => a + b, 0), 20);
});

const dir = join(SHARED_DATA, 'kddcup99');
test('the raw file preprocessed here equals DAGMM\'s kdd_cup.npz value for value', { skip: existsSync(dir) ? false : `${dir} is absent` }, () => {
  const raw = loadKdd(join(dir, 'kddcup.data_10_percent.gz'));
  const npz = loadKdd(join(dir, 'kdd_cup.npz'));
  assert.deepEqual(raw.shape, [494021, 118]);
  assert.deepEqual(npz.shape, [494021, 118]);
  assert.equal(raw.labels!.reduce((a, b) => a + b, 0), 97278);
  assert.deepEqual(raw.labels, npz.labels);
  assert.ok(Buffer.from(raw.x.buffer).equals(Buffer.from(npz.x.buffer)), 'features differ from kdd_cup.npz');
  const { train, test } = kddSplit(npz, 1);
  assert.equal(train.shape[0], Math.floor((494021 - 97278) / 2));
  assert.equal(test.shape[0], 494021 - train.shape[0]);
});
