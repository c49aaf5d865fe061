// The CLI end to end on a small generated table: train → test → score, a config file, and bad input.
import { test } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { Rng } from '../../data/random.js';
import { liveTensors } from '../../tensor/memory.js';
import { labelArrays, writeFramesLayout } from '../../data/video/test-fixtures.js';
import { readImage } from '../../data/images.js';
import { captureOutput as capture } from '../test-output.js';
import { loadDetector } from '../../models/index.js';
import { combineScores, RunningScore } from '../../models/mnad/score.js';
import type { MnadDetector } from '../../models/mnad/index.js';
import { saveSafetensors } from '../../checkpoint/safetensors.js';
import { encodeNpy, writeNpy } from '../../data/npy.js';
import { npzOf, writePng } from '../../data/fixtures/helpers.js';
import type { MemAEConfig } from '../../models/memae/index.js';
import { recordImport } from './import.js';

const dir = mkdtempSync(join(tmpdir(), 'normality-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
// This file runs in its own process: decoded frames and images of its fixtures stay out of the user's cache.
process.env.NORMALITY_CACHE = join(dir, 'cache');

/** One row of 6 features: near a line when normal, scattered off it when an anomaly. */
function tableRow(rng: Rng, anomaly: boolean): string {
  const t = rng.next();
  return Array.from({ length: 6 }, (_, j) => (anomaly ? rng.next() * 3 - 1 : t * (j + 1) / 6 + rng.next() * 0.02)).join(',');
}

/** 400 normal rows near a line, 40 anomalies scattered off it; 6 features and a label column. */
function writeTable(path: string): void {
  const rng = new Rng(7);
  const lines = ['a,b,c,d,e,f,label'];
  for (let i = 0; i < 440; i++) lines.push(`${tableRow(rng, i >= 400)},${i >= 400 ? 1 : 0}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** What a command wrote through console.log or console.error, as one text; it must succeed. */
async function consoleText(channel: 'log' | 'error', args: string[]): Promise<string> {
  const lines: string[] = [];
  const original = console[channel];
  console[channel] = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    assert.equal(await main(args, { stdout: capture(), stderr: capture() }), 0);
  } finally {
    console[channel] = original;
  }
  return lines.join('\n');
}

/** What `work` printed through console.log; the command may fail. */
async function consoleTextOf(work: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    await work();
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}

/** A command's report lines (console.log). */
const printed = (args: string[]) => consoleText('log', args);
/** A command's notes beside its output (console.error): resuming, nothing scored. */
const noted = (args: string[]) => consoleText('error', args);

/** A metric as an HTML report shows it (four decimals, or a whole number). */
function reportedMetric(html: string, name: string): number {
  const cell = new RegExp(`<th>${name}</th><td class="number">([\\d.]+)</td>`).exec(html);
  assert.ok(cell, `the report shows ${name}`);
  return Number(cell[1]);
}

test('train, test and score a table through the CLI', async () => {
  const before = liveTensors();
  const table = join(dir, 'table.csv');
  writeTable(table);
  const model = join(dir, 'model.safetensors');
  const data = ['--dataset', 'tabular', '--data', table, '--quiet', '--threads', '1'];
  const stdout = capture();
  assert.equal(await main(['train', 'memae', ...data, '--epochs', '30', '--batch-size', '32', '--out', model], { stdout, stderr: capture() }), 0);
  assert.ok(existsSync(model));
  assert.ok(!existsSync(`${model}.training`), 'the resumable checkpoint is removed once the model is saved');
  const metrics = join(dir, 'test.json');
  const report = join(dir, 'table-report.html');
  assert.equal(await main(['test', model, ...data, '--out', metrics, '--report', report], { stdout, stderr: capture() }), 0);
  const results = JSON.parse(readFileSync(metrics, 'utf8')).results;
  assert.ok(results.auc >= 0.9, `AUC ${results.auc} on a table whose anomalies sit far from the normal line`);
  // The text table: the counts whole, every measure with 4 decimals, an exact 1 (this precision) as 1.0000 too.
  const tableText: string[] = [];
  const stdoutWrite = process.stdout.write;
  process.stdout.write = ((chunk: string) => (tableText.push(chunk), true)) as typeof process.stdout.write;
  try {
    assert.equal(await main(['test', model, ...data, '--out', metrics], { stdout, stderr: capture() }), 0);
  } finally {
    process.stdout.write = stdoutWrite;
  }
  const shown = tableText.join('').split('\n');
  const names = shown.findIndex((line) => line.startsWith('samples'));
  const shownRow = Object.fromEntries(shown[names]!.split(/ +/).map((name, i) => [name, shown[names + 2]!.trim().split(/ +/)[i]!]));
  assert.deepEqual([shownRow.samples, shownRow.anomalies], [String(results.samples), String(results.anomalies)]);
  for (const name of ['auc', 'averagePrecision', 'bestF1', 'precision', 'recall', 'f1']) assert.match(shownRow[name]!, /^\d\.\d{4}$/, `${name}: ${results[name] ?? results.atThreshold?.[name]}`);
  // The report: the same metrics, the histogram and curves; a table has no images to show.
  const html = readFileSync(report, 'utf8');
  assert.ok(Math.abs(reportedMetric(html, 'auc') - results.auc) <= 5e-5, 'the AUC of the metrics file');
  assert.ok(html.includes('>ROC curve</text>') && !html.includes('<h2>Images</h2>'));
  const folderReport = capture();
  assert.equal(await main(['test', model, ...data, '--report', dir], { stdout: capture(), stderr: folderReport }), 2);
  assert.match(folderReport.text(), /Expected the path of an HTML file to write for --report but received .*That path is a folder/);
  const scores = join(dir, 'scores.csv');
  assert.equal(await main(['score', model, ...data, '--out', scores], { stdout, stderr: capture() }), 0);
  const rows = readFileSync(scores, 'utf8').trim().split('\n');
  assert.equal(rows[0], 'index,score,prediction,label,row');
  assert.equal(rows.length - 1, results.samples);
  // The held-out split is shuffled: each score names its row of the file, whose label it carries.
  const fileRows = rows.slice(1).map((line) => Number(line.split(',')[4]));
  assert.equal(new Set(fileRows).size, fileRows.length, 'each file row once');
  rows.slice(1).forEach((line, i) => assert.equal(line.split(',')[3], fileRows[i]! >= 400 ? '1' : '0', `row ${fileRows[i]} is ${fileRows[i]! >= 400 ? 'an anomaly' : 'normal'} in the file`));
  // --out -: the same CSV on standard output, and no file named '-'.
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
  try {
    assert.equal(await main(['score', model, ...data, '--out', '-'], { stdout, stderr: capture() }), 0);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(written.join(''), readFileSync(scores, 'utf8'));
  assert.ok(!existsSync('-'));
  // Columns go by name: the table with its columns reversed scores the same; a renamed column is refused.
  const [header, ...body] = readFileSync(table, 'utf8').trim().split('\n');
  const reversed = join(dir, 'table-reversed.csv');
  writeFileSync(reversed, `${[header!, ...body].map((line) => line.split(',').reverse().join(',')).join('\n')}\n`);
  const reversedScores = join(dir, 'scores-reversed.csv');
  assert.equal(await main(['score', model, ...data.slice(0, 2), '--data', reversed, '--quiet', '--out', reversedScores], { stdout, stderr: capture() }), 0);
  assert.equal(readFileSync(reversedScores, 'utf8'), readFileSync(scores, 'utf8'));
  const renamed = join(dir, 'table-renamed.csv');
  writeFileSync(renamed, `${[header!.replace('a,', 'z,'), ...body].join('\n')}\n`);
  const tableOnMnist = capture();
  assert.equal(await main(['test', model, '--dataset', 'mnist', '--quiet', '--max-test', '10'], { stdout, stderr: tableOnMnist }), 2);
  assert.match(tableOnMnist.text(), /Expected tabular or kdd for this table model \(6 features\) for --dataset but received 'mnist'/);
  // A table without column names goes into the named model by position, and a note says so.
  const unnamed = join(dir, 'unnamed.npz');
  const [, ...dataLines] = readFileSync(table, 'utf8').trim().split('\n');
  const cells = dataLines.map((line) => line.split(',').map(Number));
  writeFileSync(unnamed, npzOf({
    X: encodeNpy({ dtype: 'float32', shape: [cells.length, 6], data: Float32Array.from(cells.flatMap((row) => row.slice(0, 6))) }),
    y: encodeNpy({ dtype: 'int32', shape: [cells.length], data: Int32Array.from(cells, (row) => row[6]!) }),
  }));
  assert.match(await noted(['score', model, ...data.slice(0, 2), '--data', unnamed, '--quiet', '--threads', '1', '--out', join(dir, 'unnamed-scores.csv')]),
    /note: .*unnamed\.npz names no columns, so they are taken by position as the model's 6: a, b, c, d, e, f/);
  const renamedError = capture();
  assert.equal(await main(['score', model, ...data.slice(0, 2), '--data', renamed, '--quiet'], { stdout, stderr: renamedError }), 2);
  assert.match(renamedError.text(), /table-renamed\.csv: has other feature columns than the model was trained on \(missing a; not in the model z\)\. Give a table with the same feature columns, in any order\./);
  // A table without a header: its first row is read as one, and the refusal says the file seems to have none.
  const headerless = join(dir, 'table-headerless.csv');
  writeFileSync(headerless, `${body.map((line) => line.split(',').slice(0, 6).join(',')).join('\n')}\n`);
  const headerlessError = capture();
  assert.equal(await main(['score', model, ...data.slice(0, 2), '--data', headerless, '--label-column', 'none', '--quiet'], { stdout, stderr: headerlessError }), 2);
  assert.match(headerlessError.text(), /table-headerless\.csv: has other feature columns than the model was trained on \(missing a, b, c, d, e, f; not in the model [\d.e-]+, .*\)\. Its first line holds numbers alone, yet is read as the header \(the column names\): the file seems to have none\. Add a header line naming the columns, as the model does: a,b,c,d,e,f\./);
  assert.match(await noted(['train', 'memae', ...data.slice(0, 2), '--data', headerless, '--label-column', 'none', '--epochs', '1', '--quiet', '--threads', '1', '--out', join(dir, 'headerless.safetensors')]),
    /note: .*table-headerless\.csv seems to have no header: its first line holds numbers alone, yet is read as the column names \(and not trained on\); add a header line naming the columns/);
  // --explain: each row's features of largest error, named after the CSV's columns, and their shares.
  const explained = join(dir, 'scores-explained.csv');
  assert.equal(await main(['score', model, ...data, '--explain', '2', '--out', explained], { stdout, stderr: capture() }), 0);
  const explainedRows = readFileSync(explained, 'utf8').trim().split('\n');
  assert.equal(explainedRows[0], 'index,score,prediction,label,row,feature_1,share_1,feature_2,share_2');
  for (const line of explainedRows.slice(1)) {
    const cells = line.split(',');
    assert.ok(['a', 'b', 'c', 'd', 'e', 'f'].includes(cells[5]!) && ['a', 'b', 'c', 'd', 'e', 'f'].includes(cells[7]!) && cells[5] !== cells[7]);
    assert.ok(Number(cells[6]) >= Number(cells[8]) && Number(cells[6]) + Number(cells[8]) <= 1.0001);
  }
  assert.deepEqual(explainedRows.map((line) => line.split(',').slice(0, 5).join(',')), rows, 'the same scores as without --explain');
  // More features asked for than the model has: all 6 are named, in the header as in every row, and a note says so.
  const explainedAll = join(dir, 'scores-explained-all.csv');
  assert.match(await noted(['score', model, ...data, '--explain', '10', '--out', explainedAll]), /note: --explain 10 is more than the model's 6 features: each row names all 6/);
  const allRows = readFileSync(explainedAll, 'utf8').trim().split('\n');
  assert.equal(allRows[0], `index,score,prediction,label,row,${[1, 2, 3, 4, 5, 6].map((k) => `feature_${k},share_${k}`).join(',')}`);
  for (const line of allRows) assert.equal(line.split(',').length, 5 + 2 * 6, line);
  assert.match(html, /<h2>Rows<\/h2>.*<td>anomaly, flagged<\/td><td>[a-f] = /s, 'the report names the features of its rows');
  // --max-test: a seeded random part of the test rows, and the results say so.
  const fewer = join(dir, 'test-fewer.json');
  assert.equal(await main(['test', model, ...data, '--max-test', '50', '--out', fewer], { stdout, stderr: capture() }), 0);
  const fewerResults = JSON.parse(readFileSync(fewer, 'utf8')).results;
  assert.equal(fewerResults.samples, 50);
  assert.match(fewerResults.data, new RegExp(`; test a seeded random 50 of ${results.samples} \\(split seed 0\\)\\)$`));

  // info: what the checkpoint is, read from its file and the training report beside it.
  const info = JSON.parse(await printed(['info', model, '--json']));
  const saved = loadDetector(model) as unknown as { network: { stateDict(): Map<string, { numel: number }> }; threshold: number; dispose(): void };
  const stored = [...saved.network.stateDict().values()];
  assert.deepEqual([info.model, info.config.architecture, info.config.inputFeatures, info.threshold], ['memae', 'mlp', 6, saved.threshold]);
  assert.deepEqual([info.settingsInUse.inputFeatures, info.settingsInUse.memorySize], [6, info.config.memorySize], 'a table MemAE uses its table and memory settings');
  assert.deepEqual([info.tensors, info.values], [stored.length, stored.reduce((n, t) => n + t.numel, 0)], 'every weight, statistic and memory item');
  saved.dispose();
  assert.deepEqual([info.training.epochsDone, info.training.data], [30, `${table} (split seed 0: 50% of the normal rows to train on, the other normal rows and every anomaly to test on)`]);
  const text = await printed(['info', model]);
  for (const line of [/\nmodel {7}memae — MemAE: memory-augmented autoencoder/, /\nthreshold {3}0\.\d+ \(scores at or above it are anomalies\)\n/,
    /\nweights {5}\d+ tensors, [\d,]+ values; file [\d.]+ KiB\n/, /\nsettings {4}.*inputFeatures 6,.*architecture "mlp"/]) assert.match(text, line);
  assert.match(text, /\ntrained {5}30 epochs on .*table\.csv .*final loss/);
  assert.match(text, /\ncolumns {5}a, b, c, d, e, f \(a table's header is matched to these names\)\n/);
  assert.deepEqual(info.columns, ['a', 'b', 'c', 'd', 'e', 'f']);
  // The report records the file it describes: beside a copy of another model it is not that model's story.
  const copied = join(dir, 'copied.safetensors');
  copyFileSync(model, copied);
  copyFileSync(`${model}.json`, `${copied}.json`);
  assert.equal(JSON.parse(await printed(['info', copied, '--json'])).training.epochsDone, 30, 'the same bytes: the report is its');
  const saver = loadDetector(model);
  saver.threshold = 0.5;
  saver.save(copied);
  saver.dispose();
  assert.equal(JSON.parse(await printed(['info', copied, '--json'])).training, undefined, 'other bytes: the report is left out');
  const notOurs = join(dir, 'plain.safetensors');
  saveSafetensors(notOurs, { w: { dtype: 'F32', shape: [1], data: new Uint8Array(4) } });
  const refused = capture();
  assert.equal(await main(['info', notOurs], { stdout: capture(), stderr: refused }), 2);
  assert.match(refused.text(), /plain\.safetensors: has no 'model' in its metadata, so it was not saved by a Normality detector/);
  assert.equal(liveTensors(), before);
});

test('a CSV table with another delimiter: --delimiter reads it, a semicolon table without it is named, and tables alone take it', async () => {
  const semicolons = join(dir, 'semicolons.csv');
  writeTable(semicolons);
  writeFileSync(semicolons, readFileSync(semicolons, 'utf8').replaceAll(',', ';'));
  const data = ['--dataset', 'tabular', '--data', semicolons, '--quiet', '--threads', '1', '--epochs', '1'];
  const withoutIt = capture();
  assert.equal(await main(['train', 'memae', ...data, '--out', join(dir, 'semi.safetensors')], { stdout: capture(), stderr: withoutIt }), 2);
  assert.match(withoutIt.text(), /semicolons\.csv: has one column named "a;b;c;d;e;f;label": its fields look separated by ";", not commas\. Pass delimiter: ";" \(--delimiter on the command line\)/);
  assert.equal(await main(['train', 'memae', ...data, '--delimiter', ';', '--out', join(dir, 'semi.safetensors')], { stdout: capture(), stderr: capture() }), 0);
  const onMnist = capture();
  assert.equal(await main(['train', 'memae', '--delimiter', ';', '--quiet'], { stdout: capture(), stderr: onMnist }), 2);
  assert.match(onMnist.text(), /--delimiter ; has no effect on train with --dataset mnist: it applies to --dataset tabular \(CSV files\)/);
});

test('a default dataset missing from the data folder says where it was looked for and how to name another', async () => {
  const saved = process.env.NORMALITY_DATA;
  process.env.NORMALITY_DATA = join(dir, 'no-data-here');
  try {
    for (const [args, what] of [[['train', 'memae', '--dataset', 'cifar10'], 'CIFAR-10 archive'], [['train', 'mnad-pred', '--dataset', 'video'], 'UCSD Ped2, the default video dataset,']] as const) {
      const missing = capture();
      assert.equal(await main([...args, '--quiet'], { stdout: capture(), stderr: missing }), 2);
      assert.match(missing.text(), new RegExp(`${what} not found at .*no-data-here.* Without --data the dataset is read from the data folder .*no-data-here \\(\\.\\./shared/data from the current folder, or \\$NORMALITY_DATA\\)\\. Pass --data <path> to read your own copy\\.`));
    }
  } finally {
    if (saved === undefined) delete process.env.NORMALITY_DATA;
    else process.env.NORMALITY_DATA = saved;
  }
});

test('test and score read the held-out split train made: its split seed comes from the training report, another seed is refused', async () => {
  const table = join(dir, 'split.csv');
  writeTable(table);
  const model = join(dir, 'split.safetensors');
  const data = ['--dataset', 'tabular', '--data', table, '--quiet', '--threads', '1'];
  assert.equal(await main(['train', 'memae', ...data, '--epochs', '1', '--split-seed', '3', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  const scoresAsTyped = join(dir, 'split-typed.csv');
  assert.equal(await main(['score', model, ...data, '--split-seed', '3', '--out', scoresAsTyped], { stdout: capture(), stderr: capture() }), 0);
  const scores = join(dir, 'split-default.csv');
  assert.match(await noted(['score', model, ...data, '--out', scores]), /note: split seed 3, as .*split\.safetensors was trained/);
  assert.equal(readFileSync(scores, 'utf8'), readFileSync(scoresAsTyped, 'utf8'), 'the rows train held out, without typing its seed');
  const otherSeed = capture();
  assert.equal(await main(['test', model, ...data, '--split-seed', '1'], { stdout: capture(), stderr: otherSeed }), 2);
  assert.match(otherSeed.text(), /Expected 3, the split seed .*split\.safetensors was trained with .* for --split-seed but received 1.*samples the model was trained on/s);
  // Another file is not the training table: its held-out split is read, and a note says --rows all reads it whole.
  const other = join(dir, 'split-other.csv');
  copyFileSync(table, other);
  assert.match(await noted(['score', model, ...data.slice(0, 2), '--data', other, '--quiet', '--out', join(dir, 'split-other-scores.csv')]),
    /note: .*split-other\.csv is not the table .*split\.safetensors was trained on .*--rows all reads every row/);
});

test('a table of normal rows without labels: train fits on every row, score keeps file order, test asks for labels', async () => {
  const before = liveTensors();
  const rng = new Rng(11);
  const row = (anomaly: boolean) => tableRow(rng, anomaly);
  const normalRows = join(dir, 'normal-rows.csv');
  writeFileSync(normalRows, ['a,b,c,d,e,f', ...Array.from({ length: 300 }, () => row(false))].join('\n'));
  // Rows to score, without labels: every third one is off the normal line.
  const isAnomaly = Array.from({ length: 30 }, (_, i) => i % 3 === 2);
  const newRows = join(dir, 'new-rows.csv');
  writeFileSync(newRows, ['a,b,c,d,e,f', ...isAnomaly.map(row)].join('\n'));
  const model = join(dir, 'unlabelled.safetensors');
  const common = ['--dataset', 'tabular', '--label-column', 'none', '--quiet', '--threads', '1'];
  assert.equal(await main(['train', 'memae', ...common, '--data', normalRows, '--epochs', '30', '--batch-size', '32', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  assert.equal(JSON.parse(readFileSync(`${model}.json`, 'utf8')).results.data, `${normalRows} (all 300 rows, unlabelled)`);

  const scores = join(dir, 'new-scores.csv');
  const report = join(dir, 'new-scores.html');
  assert.equal(await main(['score', model, ...common, '--data', newRows, '--out', scores, '--report', report], { stdout: capture(), stderr: capture() }), 0);
  // Read whole: no split to name in the report's data line.
  assert.match(readFileSync(report, 'utf8'), /<tr><th>data<\/th><td>[^<]*new-rows\.csv \(all 30 rows, unlabelled\)<\/td>/);
  const rows = readFileSync(scores, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  assert.deepEqual(rows.map((r) => Number(r[0])), isAnomaly.map((_, i) => i), 'one row per input row, in file order');
  assert.ok(rows.every((r) => r[3] === ''), 'no labels are made up');
  const mean = (anomaly: boolean) => {
    const picked = rows.filter((_, i) => isAnomaly[i] === anomaly).map((r) => Number(r[1]));
    return picked.reduce((sum, score) => sum + score, 0) / picked.length;
  };
  assert.ok(mean(true) > 3 * mean(false), `the off-line rows score higher: mean ${mean(true)} against ${mean(false)}`);
  // --max-test on unlabelled rows takes the first ones, so that each score's index is still its row's.
  const firstScores = join(dir, 'new-scores-first.csv');
  assert.equal(await main(['score', model, ...common, '--data', newRows, '--max-test', '5', '--out', firstScores], { stdout: capture(), stderr: capture() }), 0);
  const firstRows = readFileSync(firstScores, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  assert.deepEqual(firstRows.map((r) => [r[0], r[2], r[3]]), rows.slice(0, 5).map((r) => [r[0], r[2], r[3]]), 'the first 5 rows, in order');
  // Scored as a batch of 5 rather than 30, a score may differ in its last bits (another matmul blocking).
  firstRows.forEach((r, i) => assert.ok(Math.abs(Number(r[1]) - Number(rows[i]![1])) <= 1e-5 * Number(rows[i]![1]), `row ${i}: ${r[1]} against ${rows[i]![1]}`));

  const stderr = capture();
  assert.equal(await main(['test', model, ...common, '--data', newRows], { stdout: capture(), stderr }), 2);
  assert.match(stderr.text(), /Expected a labelled table to measure the detector on for --label-column but received 'none'.*use normality score for the scores of unlabelled rows/);
  const heldOutOfUnlabelled = capture();
  assert.equal(await main(['score', model, ...common, '--data', newRows, '--rows', 'held-out'], { stdout: capture(), stderr: heldOutOfUnlabelled }), 2);
  assert.match(heldOutOfUnlabelled.text(), /Expected all, or no --rows, for a table without labels for --rows but received 'held-out'/);
  // A column named label, with --label-column none, is a feature: said, since it is rarely meant.
  const withLabel = join(dir, 'with-label-column.csv');
  writeTable(withLabel);
  assert.match(await noted(['train', 'memae', '--dataset', 'tabular', '--data', withLabel, '--label-column', 'none', '--epochs', '1', '--quiet', '--threads', '1', '--out', join(dir, 'label-as-feature.safetensors')]),
    /note: .*with-label-column\.csv has a column named 'label', read as a feature since --label-column is none/);
  assert.equal(liveTensors(), before);
});

test('a training file of normal rows with a label column and a separate labelled test file: train reads every row, --rows all tests every row', async () => {
  const before = liveTensors();
  const rng = new Rng(13);
  const trainFile = join(dir, 'normal-labelled.csv');
  writeFileSync(trainFile, ['a,b,c,d,e,f,label', ...Array.from({ length: 300 }, () => `${tableRow(rng, false)},0`)].join('\n'));
  // The test file: 40 normal rows, then 10 anomalies.
  const testFile = join(dir, 'separate-test.csv');
  writeFileSync(testFile, ['a,b,c,d,e,f,label', ...Array.from({ length: 50 }, (_, i) => `${tableRow(rng, i >= 40)},${i >= 40 ? 1 : 0}`)].join('\n'));
  const model = join(dir, 'normal-labelled.safetensors');
  const common = ['--dataset', 'tabular', '--quiet', '--threads', '1'];
  // Its labels are all normal: nothing to hold out for a test, so train fits on every row (it used to refuse).
  assert.equal(await main(['train', 'memae', ...common, '--data', trainFile, '--epochs', '30', '--batch-size', '32', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  assert.equal(JSON.parse(readFileSync(`${model}.json`, 'utf8')).results.data, `${trainFile} (all 300 rows, every one labelled normal)`);

  const everyRow = join(dir, 'separate-test-all.json');
  assert.equal(await main(['test', model, ...common, '--data', testFile, '--rows', 'all', '--out', everyRow], { stdout: capture(), stderr: capture() }), 0);
  const all = JSON.parse(readFileSync(everyRow, 'utf8')).results;
  assert.deepEqual([all.samples, all.anomalies, all.data], [50, 10, `${testFile} (all 50 rows, every row, as --rows all asks)`]);
  assert.ok(all.auc >= 0.9, `AUC ${all.auc}`);
  // Left out, --rows reads the held-out split: half of the 40 normal rows, and the 10 anomalies.
  const heldOut = join(dir, 'separate-test-held-out.json');
  assert.equal(await main(['test', model, ...common, '--data', testFile, '--out', heldOut], { stdout: capture(), stderr: capture() }), 0);
  assert.deepEqual([JSON.parse(readFileSync(heldOut, 'utf8')).results.samples, JSON.parse(readFileSync(heldOut, 'utf8')).results.anomalies], [30, 10]);

  const scores = join(dir, 'separate-test-scores.csv');
  assert.equal(await main(['score', model, ...common, '--data', testFile, '--rows', 'all', '--out', scores], { stdout: capture(), stderr: capture() }), 0);
  const lines = readFileSync(scores, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'index,score,prediction,label,row');
  assert.deepEqual(lines.slice(1).map((line) => line.split(',')[4]), Array.from({ length: 50 }, (_, i) => String(i)), 'every row, in file order');
  const heldOutOfNormal = capture();
  assert.equal(await main(['score', model, ...common, '--data', trainFile, '--rows', 'held-out'], { stdout: capture(), stderr: heldOutOfNormal }), 2);
  assert.match(heldOutOfNormal.text(), /Expected all, or no --rows, for a table whose rows are all labelled normal for --rows but received 'held-out'/);
  // --rows is for tables: elsewhere it is refused, not ignored.
  const onMnist = capture();
  assert.equal(await main(['score', model, '--dataset', 'mnist', '--rows', 'all', '--quiet'], { stdout: capture(), stderr: onMnist }), 2);
  assert.match(onMnist.text(), /--rows all has no effect on score with --dataset mnist: it applies to --dataset tabular/);
  // A test file of one class gives no AUC: refused before scoring, naming the data.
  const oneClass = capture();
  assert.equal(await main(['test', model, ...common, '--data', trainFile, '--rows', 'all'], { stdout: capture(), stderr: oneClass }), 2);
  assert.match(oneClass.text(), /Expected labelled test data with both normal samples and anomalies, to measure an AUC for --data but received 300 samples, all normal: .*normal-labelled\.csv \(all 300 rows/);
  // One row: said in the singular.
  const oneRowFile = join(dir, 'one-row.csv');
  writeFileSync(oneRowFile, `a,b,c,d,e,f,label\n${tableRow(rng, false)},0\n`);
  const oneRow = capture();
  assert.equal(await main(['test', model, ...common, '--data', oneRowFile], { stdout: capture(), stderr: oneRow }), 2);
  assert.match(oneRow.text(), /to measure an AUC for --data but received 1 sample, normal: .*one-row\.csv \(one row, labelled normal\)\./);
  const oneRowScores = join(dir, 'one-row-scores.csv');
  assert.match(await printed(['score', model, ...common, '--data', testFile, '--rows', 'all', '--max-test', '1', '--out', oneRowScores]),
    /^scored 1 sample of .*separate-test\.csv \(all 50 rows, every row, as --rows all asks; test the first row\); wrote /);
  assert.equal(liveTensors(), before);
});

test('images of a production line, MVTec AD layout: train on train/good, test finds the defects, score names each file', async () => {
  const before = liveTensors();
  const rng = new Rng(5);
  // Normal parts: a horizontal gradient of varying brightness; a defect adds a bright square somewhere.
  // With a mask path, the defect's ground truth goes there, as MVTec AD's ground_truth/<defect>/<name>_mask.png.
  const part = (path: string, defect: boolean, maskPath?: string) => {
    const shift = rng.next() * 40, x0 = 8 + rng.int(24), y0 = 8 + rng.int(24);
    const inSquare = (x: number, y: number) => defect && x >= x0 && x < x0 + 12 && y >= y0 && y < y0 + 12;
    writePng(path, 48, 48, (x, y) => {
      const level = inSquare(x, y) ? 255 : Math.round(60 + shift + x * 2);
      return [level, level, level];
    });
    if (maskPath) writePng(maskPath, 48, 48, (x, y) => (inSquare(x, y) ? [255, 255, 255] : [0, 0, 0]));
  };
  const root = join(dir, 'parts');
  for (let i = 0; i < 60; i++) part(join(root, 'train', 'good', `${i}.png`), false);
  for (let i = 0; i < 10; i++) part(join(root, 'test', 'good', `${i}.png`), false);
  for (let i = 0; i < 10; i++) part(join(root, 'test', 'spot', `${i}.png`), true, join(root, 'ground_truth', 'spot', `${i}_mask.png`));
  const model = join(dir, 'parts.safetensors');
  const common = ['--dataset', 'images', '--quiet', '--threads', '1'];
  assert.equal(await main(['train', 'memae', ...common, '--data', root, '--architecture', 'mnist', '--epochs', '15', '--batch-size', '8', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  assert.match(JSON.parse(readFileSync(`${model}.json`, 'utf8')).results.data, /parts \(MVTec layout: train 60 normal; resized to 28×28 gray\)$/, 'train without --validate reads no test image');

  const metrics = join(dir, 'parts-test.json');
  assert.equal(await main(['test', model, ...common, '--data', root, '--out', metrics], { stdout: capture(), stderr: capture() }), 0);
  const results = JSON.parse(readFileSync(metrics, 'utf8')).results;
  assert.equal(results.samples, 20);
  assert.ok(results.auc >= 0.9, `AUC ${results.auc} with bright squares on smooth gradients`);
  // ground_truth/ is there: the anomaly maps are measured against it, pixel by pixel and region by region.
  assert.ok(results.pixelAuc >= 0.9, `pixel AUC ${results.pixelAuc}: the reconstruction error sits on the squares`);
  assert.ok(results.pro >= 0.5 && results.pro <= 1, `PRO ${results.pro}`);
  // Without data options, test reads the data the checkpoint was trained on (its report says which), not MNIST's digit 0.
  const inherited = join(dir, 'parts-inherited.json');
  const asTrainedNotes = await noted(['test', model, '--quiet', '--threads', '1', '--out', inherited]);
  assert.match(asTrainedNotes, new RegExp(`note: --dataset images --data ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, as .*parts\\.safetensors was trained \\(from .*parts\\.safetensors\\.json\\)`));
  assert.equal(JSON.parse(readFileSync(inherited, 'utf8')).results.auc, results.auc);
  const otherTask = capture();
  assert.equal(await main(['test', model, '--dataset', 'cifar10', '--quiet', '--out', inherited], { stdout: capture(), stderr: otherTask }), 2);
  assert.match(otherTask.text(), /Expected the images this memae checkpoint takes \(architecture mnist: 28×28 grey\): --dataset mnist, or images for --dataset but received 'cifar10'\./);
  // Outputs that would overwrite the data or each other are refused before any work; so are options that would do nothing.
  const onlyTrain = join(dir, 'only-train');
  cpSync(join(root, 'train'), join(onlyTrain, 'train'), { recursive: true });
  const clobbering: [string[], RegExp][] = [
    [['score', model, ...common, '--data', root, '--out', join(dir, 'never.csv'), '--maps', root], /Expected a folder outside the data this command reads for --maps but received '.*parts'\. It is .*parts: the maps, named after the images, would replace them there/],
    [['test', model, ...common, '--data', root, '--out', join(dir, 'never.json'), '--maps', join(root, 'test')], /for --maps but received '.*test'\. It is inside .*parts: /],
    [['test', model, ...common, '--data', root, '--out', join(dir, 'same.json'), '--report', join(dir, 'same.json')], /Expected another file than --out for --report but received '.*same\.json'\. Both would be written there/],
    [['test', model, ...common, '--data', root, '--max-train', '5'], /Expected no training subset: test reads the test samples alone for --max-train but received 5\. Cap them with --max-test\./],
    [['score', model, ...common, '--data', root, '--max-train', '5'], /Expected no training subset when the test split is scored for --max-train but received 5/],
    [['score', model, ...common, '--data', onlyTrain, '--out', join(dir, 'never.csv')], /Expected a part of .*only-train that holds samples to score for --split but received test, which holds none\. A folder of training images alone \(train\/ without test\/\) is scored with --split train\./],
  ];
  for (const [args, message] of clobbering) {
    const refused = capture();
    assert.equal(await main(args, { stdout: capture(), stderr: refused }), 2, args.join(' '));
    assert.match(refused.text(), message);
  }
  assert.ok(!existsSync(join(root, 'test', 'good', '0.png.png')) && !existsSync(join(dir, 'same.json')), 'nothing written');
  // An image beside train/good, where the layout does not look: left out, and a note says so.
  part(join(onlyTrain, 'train', 'stray.png'), false);
  assert.match(await noted(['score', model, ...common, '--data', onlyTrain, '--split', 'train', '--out', join(dir, 'only-train.csv')]),
    /note: left out 1 image outside the folders the MVTec layout reads \(train\/stray\.png\): it reads train\/good, test\/good \(normal\) and test\/<defect> \(anomalous\)/);
  const testMaps = join(dir, 'parts-test-maps');
  const report = join(dir, 'parts-report.html');
  assert.equal(await main(['test', model, ...common, '--data', root, '--out', metrics, '--maps', testMaps, '--report', report], { stdout: capture(), stderr: capture() }), 0);
  assert.ok(existsSync(join(testMaps, 'test', 'spot', '3.png')) && existsSync(join(testMaps, 'test', 'good', '3.png')), 'test --maps: a heatmap per test image');
  // --report: the pixel metrics too, and the images to look at first beside their maps, named after their files.
  const html = readFileSync(report, 'utf8');
  assert.ok(Math.abs(reportedMetric(html, 'pixelAuc') - results.pixelAuc) <= 5e-5, 'the pixel AUC of the metrics file');
  assert.equal(html.match(/<figure/g)?.length, 12 + 10 + 10, 'the 12 most anomalous, the 10 anomalies from the lowest score, the 10 normal images from the highest');
  assert.equal(html.match(/src="data:image\/png;base64,/g)?.length, 2 * 32, 'each image beside its anomaly map');
  assert.match(html, /<figcaption>test\/spot\/\d\.png<br>score /);

  // New images from the line, unlabelled: a plain folder, scored in name order with their file names.
  const scores = join(dir, 'parts-scores.csv');
  assert.equal(await main(['score', model, ...common, '--data', join(root, 'test', 'spot'), '--out', scores], { stdout: capture(), stderr: capture() }), 0);
  const lines = readFileSync(scores, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'index,score,prediction,label,file');
  assert.deepEqual(lines.slice(1).map((line) => line.split(',')[4]), Array.from({ length: 10 }, (_, i) => `${i}.png`));
  assert.ok(lines.slice(1).every((line) => line.split(',')[3] === ''), 'no labels are made up');

  // --maps: a heatmap per image, named after it, at the network's size.
  const maps = join(dir, 'parts-maps');
  const scoreReport = join(dir, 'parts-score-report.html');
  assert.equal(await main(['score', model, ...common, '--data', root, '--out', join(dir, 'parts-test-scores.csv'), '--maps', maps, '--report', scoreReport], { stdout: capture(), stderr: capture() }), 0);
  assert.equal(readFileSync(scoreReport, 'utf8').match(/<figure/g)?.length, 32, 'score --report: the same galleries, the labels being known');
  assert.match(readFileSync(scoreReport, 'utf8'), /<h2>Metrics<\/h2><table>.*auc/, 'and the metrics of the curves it draws');
  for (const file of ['test/good/0.png', 'test/spot/9.png']) {
    const heatmap = readImage(join(maps, file));
    assert.deepEqual([heatmap.width, heatmap.height, heatmap.channels], [28, 28, 4], 'an opaque RGBA PNG');
  }

  const unlabelled = capture();
  assert.equal(await main(['test', model, ...common, '--data', join(root, 'test', 'spot')], { stdout: capture(), stderr: unlabelled }), 2);
  assert.match(unlabelled.text(), /Expected a labelled image folder to measure the detector on: train\/, test\/good and test\/<defect> \(MVTec AD layout\) for --data.*normality score/);
  const notImages = capture();
  assert.equal(await main(['train', 'memae', ...common, '--data', root, '--architecture', 'mlp'], { stdout: capture(), stderr: notImages }), 2);
  assert.match(notImages.text(), /Expected one of mnist, mnist-wide, cifar10 for images for --architecture but received 'mlp'/);
  const table = join(dir, 'table-for-images.csv');
  writeTable(table);
  const tableModel = join(dir, 'table-for-images.safetensors');
  assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--epochs', '1', '--quiet', '--threads', '1', '--out', tableModel], { stdout: capture(), stderr: capture() }), 0);
  const explainImages = capture();
  assert.equal(await main(['score', model, ...common, '--data', root, '--explain', '3'], { stdout: capture(), stderr: explainImages }), 2);
  assert.match(explainImages.text(), /Expected a detector of table rows \(memae, memae-nonspar or ae with architecture mlp\) for --explain but received memae \(architecture mnist\)\. For images, --maps/);
  const tableOnImages = capture();
  assert.equal(await main(['score', tableModel, ...common, '--data', root], { stdout: capture(), stderr: tableOnImages }), 2);
  assert.match(tableOnImages.text(), /Expected a detector trained on images \(architecture mnist, mnist-wide, cifar10\) for <checkpoint> but received 'mlp'/);
  const tableMaps = capture();
  assert.equal(await main(['score', tableModel, '--dataset', 'tabular', '--data', table, '--quiet', '--maps', maps], { stdout: capture(), stderr: tableMaps }), 2);
  assert.match(tableMaps.text(), /Expected a detector of images \(memae, memae-nonspar or ae with an image architecture\) for --maps but received 'memae \(architecture mlp\)'/);
  const mapsUnderAFile = capture();
  assert.equal(await main(['score', model, ...common, '--data', root, '--maps', join(model, 'maps')], { stdout: capture(), stderr: mapsUnderAFile }), 2);
  assert.match(mapsUnderAFile.text(), /\.safetensors\/maps: cannot be made \(ENOTDIR\)\. Choose another --maps folder\./);
  assert.equal(liveTensors(), before);
});

test('--max-minutes stops training between epochs, keeps the checkpoint, and a rerun goes on', async () => {
  const table = join(dir, 'table3.csv');
  writeTable(table);
  const model = join(dir, 'budget.safetensors');
  const args = ['train', 'memae', '--dataset', 'tabular', '--data', table, '--quiet', '--threads', '1', '--epochs', '3', '--out', model];
  const report = () => JSON.parse(readFileSync(`${model}.json`, 'utf8')).results;
  const epochsDone = () => report().epochsDone;
  assert.equal(await main([...args, '--max-minutes', '0.00001'], { stdout: capture(), stderr: capture() }), 0); // spent within the first epoch
  assert.deepEqual([report().epochsDone, report().stoppedByTime], [1, true]);
  assert.ok(existsSync(model) && existsSync(`${model}.training`), 'the model so far is saved and the checkpoint kept');
  assert.match(await printed(['info', `${model}.training`]), /\nresumable {3}training state after 1 epoch \(weights and optimizer\), last epoch's loss [\d.e-]+: the same train command goes on from it/);
  // Its threshold is to come: training fits it at the end, into the finished model (fitThreshold is no step to take).
  assert.match(await printed(['info', `${model}.training`]), /\nthreshold {3}none yet: the finished model gets one when training ends \(contamination 0\.1\)\n/);
  assert.equal(JSON.parse(await printed(['info', model, '--json'])).resumable, undefined, 'the saved detector is not a training checkpoint');
  // Another run's options do not resume from this checkpoint; the same command says it resumes.
  const otherRun = capture();
  assert.equal(await main([...args, '--lr', '0.01'], { stdout: capture(), stderr: otherRun }), 2);
  assert.match(otherRun.text(), /budget\.safetensors\.training: is the training checkpoint of another run \(lr 0\.001 there, 0\.01 here\); resuming from it would mix two trainings\. Delete it to train afresh, or give this run a checkpoint of its own \(train: --out;/);
  assert.match(await noted([...args, '--max-minutes', '0.00001']), /memae: resuming after epoch 1 from .*budget\.safetensors\.training/);
  assert.equal(epochsDone(), 2);
  assert.equal(await main(args, { stdout: capture(), stderr: capture() }), 0);
  assert.equal(epochsDone(), 3);
  assert.ok(!existsSync(`${model}.training`), 'finished: the checkpoint is removed');
  if (existsSync('/proc/self')) {
    // Node's recursive mkdir never returns under /proc; the folder is made level by level, before training.
    const proc = capture();
    assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--quiet', '--out', '/proc/normality-x/m.safetensors'], { stdout: capture(), stderr: proc }), 2);
    assert.match(proc.text(), /\/proc\/normality-x\/m\.safetensors: cannot be written: its folder cannot be made \(ENOENT\)\. Choose another --out path\./);
    // The folder exists but takes no files: refused before training too.
    const procFile = capture();
    assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--quiet', '--out', '/proc/m.safetensors'], { stdout: capture(), stderr: procFile }), 2);
    assert.match(procFile.text(), /\/proc\/m\.safetensors: cannot be written \(E[A-Z]+\)\. Check that the folder is writable, or choose another --out path\./);
  }
  // Every path a command writes is checked before its work: a folder as --out, a file where a folder must be.
  const folderOut = capture();
  assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--quiet', '--out', dir], { stdout: capture(), stderr: folderOut }), 2);
  assert.match(folderOut.text(), /Expected the path of the detector file to write for --out but received .* That path is a folder: name a file in it, e\.g\. model\.safetensors\./);
  assert.ok(!existsSync(`${dir}.training`), 'refused before training');
  const underAFile = join(model, 'x');
  for (const [command, flag] of [['test', '--out'], ['score', '--out'], ['score', '--report']] as const) {
    const refused = capture();
    const printedBefore = await consoleTextOf(() => main([command, model, '--dataset', 'tabular', '--data', table, '--quiet', flag, `${underAFile}.out`], { stdout: capture(), stderr: refused }));
    assert.match(refused.text(), new RegExp(`budget\\.safetensors/x\\.out: cannot be (written|made)\\b.*(ENOTDIR|EEXIST).*another ${flag}`), `${command} ${flag}`);
    assert.equal(printedBefore, '', `${command} ${flag}: refused before scoring`);
  }
  // Nothing a command reads is overwritten (a config file's out: is train's), and '-' is only score's stdout.
  const overwrite = capture();
  assert.equal(await main(['test', model, '--dataset', 'tabular', '--data', table, '--quiet', '--out', model], { stdout: capture(), stderr: overwrite }), 2);
  assert.match(overwrite.text(), /for --out but received .*budget\.safetensors.*Writing there would replace .*budget\.safetensors\. Name another file/);
  const overwriteData = capture();
  assert.equal(await main(['score', model, '--dataset', 'tabular', '--data', table, '--quiet', '--report', table], { stdout: capture(), stderr: overwriteData }), 2);
  assert.match(overwriteData.text(), /for --report .*Writing there would replace/);
  const dash = capture();
  assert.equal(await main(['test', model, '--dataset', 'tabular', '--data', table, '--quiet', '--out', '-'], { stdout: capture(), stderr: dash }), 2);
  assert.match(dash.text(), /for --out but received '-'.*'-' \(standard output\) is for the scores of normality score --out/);
  assert.ok(existsSync(model) && !existsSync('-'));
  const bad = capture();
  assert.equal(await main([...args, '--max-minutes', '-1'], { stdout: capture(), stderr: bad }), 2);
  assert.match(bad.text(), /Expected a positive number of minutes, or 0 for no limit for --max-minutes but received -1/);
  for (const [threads, expected] of [['-1', 'a positive integer, or 0 for every core'], ['99999', 'a positive integer, at most \\d+ \\(4 per core; this machine has \\d+\\)']]) {
    const badThreads = capture();
    assert.equal(await main([...args, '--threads', threads!], { stdout: capture(), stderr: badThreads }), 2);
    assert.match(badThreads.text(), new RegExp(`Expected ${expected} for --threads but received ${threads}`));
  }
  const notVideo = capture();
  assert.equal(await main(['reproduce', 'memae-mnist', '--max-minutes', '5'], { stdout: capture(), stderr: notVideo }), 2);
  assert.match(notVideo.text(), /--max-minutes applies to the benchmarks with one long training run \(memae-ped2, mnad-pred-ped2, mnad-recon-ped2\); memae-mnist trains many short runs: leave --max-minutes out, and pass --checkpoint <path> to be able to stop it and go on later/);
});

test('train --validate measures each epoch on the labelled test rows; --keep-best saves the best epoch, across a rerun too', async () => {
  const before = liveTensors();
  const table = join(dir, 'table-validate.csv');
  writeTable(table);
  const data = ['--dataset', 'tabular', '--data', table, '--quiet', '--threads', '1'];
  const model = join(dir, 'validated.safetensors');
  const args = ['train', 'memae', ...data, '--epochs', '12', '--batch-size', '32', '--validate', '--keep-best', '--out', model];
  // Stopped by the time budget after one epoch, then finished by a rerun: the history goes on with training.
  assert.equal(await main([...args, '--max-minutes', '0.00001'], { stdout: capture(), stderr: capture() }), 0);
  assert.ok(existsSync(`${model}.validation.json`) && existsSync(`${model}.best`), 'the history and the best weights wait beside the checkpoint');
  // Going on with other validation data (another --max-test) would compare AUCs of different data: refused.
  const otherValidation = capture();
  assert.equal(await main([...args, '--max-test', '20'], { stdout: capture(), stderr: otherValidation }), 2);
  assert.match(otherValidation.text(), /validated\.safetensors\.validation\.json: holds validation aucs of other validation data \(\d+ samples or frames there, 20 here\)/);
  assert.equal(await main(args, { stdout: capture(), stderr: capture() }), 0);
  // --validate given only from the second part of a run on: the first epoch has no value, and the others keep their epochs.
  const late = join(dir, 'validated-late.safetensors');
  const lateArgs = ['train', 'memae', ...data, '--epochs', '4', '--batch-size', '32', '--out', late];
  assert.equal(await main([...lateArgs, '--max-minutes', '0.00001'], { stdout: capture(), stderr: capture() }), 0);
  assert.match(await noted([...lateArgs, '--validate']), /note: epoch 1 trained without --validate: no validation auc for it/);
  const lateValidation = JSON.parse(readFileSync(`${late}.json`, 'utf8')).results.validation;
  assert.equal(lateValidation.values.length, 4);
  assert.equal(lateValidation.values[0], null);
  assert.equal(lateValidation.bestEpoch, lateValidation.values.indexOf(lateValidation.best) + 1, 'the best epoch counted with the first');
  // The same command once more: the model is already this training's, and stays as it is.
  const modelBytes = readFileSync(model);
  assert.match(await printed(args), /validated\.safetensors already holds this training, finished after 12 epochs \(its report .* says so\): nothing to do\./);
  assert.deepEqual(readFileSync(model), modelBytes);
  const validation = JSON.parse(readFileSync(`${model}.json`, 'utf8')).results.validation;
  assert.equal(validation.values.length, 12, 'one AUC per epoch, the first from the interrupted run');
  assert.equal(validation.best, Math.max(...validation.values));
  assert.equal(validation.bestEpoch, validation.values.indexOf(validation.best) + 1);
  assert.equal(validation.keptEpoch, validation.bestEpoch);
  assert.ok(!existsSync(`${model}.validation.json`) && !existsSync(`${model}.best`), 'finished: both are removed');
  assert.match(await printed(['info', model]), new RegExp(`\nvalidated {3}auc after each epoch( [\\d.]+){12}; best [\\d.]+ after epoch ${validation.bestEpoch}; this is the model of epoch ${validation.bestEpoch}`));
  const testAuc = async (path: string) => {
    const out = join(dir, 'validated-test.json');
    assert.equal(await main(['test', path, ...data, '--out', out], { stdout: capture(), stderr: capture() }), 0);
    return JSON.parse(readFileSync(out, 'utf8')).results.auc as number;
  };
  assert.equal(await testAuc(model), validation.best, 'the saved model is the best epoch\'s: its AUC on the same rows');
  // And it is that epoch's model: the same scores and threshold as a run that stopped there.
  const scoresOf = async (path: string) => {
    const out = join(dir, 'validated-scores.csv');
    assert.equal(await main(['score', path, ...data, '--out', out], { stdout: capture(), stderr: capture() }), 0);
    return readFileSync(out, 'utf8');
  };
  const stoppedThere = join(dir, 'validated-short.safetensors');
  assert.equal(await main(['train', 'memae', ...data, '--epochs', String(validation.bestEpoch), '--batch-size', '32', '--out', stoppedThere], { stdout: capture(), stderr: capture() }), 0);
  assert.equal(await scoresOf(model), await scoresOf(stoppedThere));

  // Without --keep-best the last epoch is saved; and scoring between epochs leaves training as it was.
  const last = join(dir, 'validated-last.safetensors');
  assert.equal(await main(['train', 'memae', ...data, '--epochs', '12', '--batch-size', '32', '--validate', '--out', last], { stdout: capture(), stderr: capture() }), 0);
  const lastValidation = JSON.parse(readFileSync(`${last}.json`, 'utf8')).results.validation;
  assert.deepEqual(lastValidation.values, validation.values, 'the same seed gives the same epochs, interrupted or not');
  assert.equal(lastValidation.keptEpoch, 12);
  const plain = join(dir, 'unvalidated.safetensors');
  assert.equal(await main(['train', 'memae', ...data, '--epochs', '12', '--batch-size', '32', '--out', plain], { stdout: capture(), stderr: capture() }), 0);
  assert.equal(await testAuc(last), validation.values[11]);
  assert.equal(await scoresOf(last), await scoresOf(plain), 'validating did not change the training');
  if (validation.bestEpoch < 12) assert.notEqual(await scoresOf(model), await scoresOf(last));

  // --patience: training ends once that many epochs pass without a better AUC; the best epoch is still the one kept.
  const patient = join(dir, 'validated-patience.safetensors');
  const patientLog = await printed(['train', 'memae', ...data, '--epochs', '12', '--batch-size', '32', '--validate', '--keep-best', '--patience', '3', '--out', patient]);
  const patientReport = JSON.parse(readFileSync(`${patient}.json`, 'utf8')).results;
  const stopAt = validation.bestEpoch + 3;
  assert.deepEqual([patientReport.epochsDone, patientReport.stoppedEarly, patientReport.stoppedByTime], [stopAt, true, false]);
  assert.deepEqual(patientReport.validation.values, validation.values.slice(0, stopAt));
  assert.match(patientLog, new RegExp(`trained memae for ${stopAt} of 12 epochs \\(stopped early: no better validation auc in the last 3\\)`));
  assert.ok(!existsSync(`${patient}.training`), 'stopped early is finished: no checkpoint to go on from');
  assert.equal(await scoresOf(patient), await scoresOf(model));

  const alone = capture();
  assert.equal(await main(['train', 'memae', ...data, '--patience', '2'], { stdout: capture(), stderr: alone }), 2);
  assert.match(alone.text(), /Expected --validate beside it, to measure which epoch is best for --patience/);
  assert.equal(await main(['train', 'memae', ...data, '--keep-best'], { stdout: capture(), stderr: alone }), 2);
  assert.match(alone.text(), /Expected --validate beside it, to measure which epoch is best for --keep-best/);
  const unlabelled = capture();
  assert.equal(await main(['train', 'memae', ...data, '--label-column', 'none', '--validate'], { stdout: capture(), stderr: unlabelled }), 2);
  assert.match(unlabelled.text(), /Expected labelled test data with both normal and anomalous samples to measure each epoch on for --validate but received unlabelled data/);
  assert.equal(liveTensors(), before);
});

test('info: the kept epoch\'s loss, the settings an image network ignores, the precision that ran, a training checkpoint without contamination', async () => {
  const table = join(dir, 'info.csv');
  writeTable(table);
  const model = join(dir, 'info.safetensors');
  const data = ['--dataset', 'tabular', '--data', table, '--quiet', '--threads', '1'];
  // --precision tf32 on the CPU: said to do nothing there, and recorded as what ran, fp32, as the checkpoint says.
  assert.match(await noted(['train', 'memae', ...data, '--epochs', '2', '--precision', 'tf32', '--out', model]),
    /note: --precision tf32 acts on CUDA's matrix products alone: on the CPU this runs in fp32 \(and is recorded so\)/);
  const report = JSON.parse(readFileSync(`${model}.json`, 'utf8'));
  const info = JSON.parse(await printed(['info', model, '--json']));
  assert.deepEqual([report.meta.options.precision, info.config.precision, info.training.precision], ['fp32', 'fp32', undefined]);
  assert.deepEqual(info.settingsNotInUse, [], 'a table MemAE uses every saved setting');
  // A --keep-best run that kept epoch 2 of 3, on CUDA with TF32 (the report edited so: its model digest still holds).
  report.results = { ...report.results, epochs: 3, epochsDone: 3, losses: [0.5, 0.25, 0.375], validation: { metric: 'auc', values: [0.9, 0.95, 0.94], bestEpoch: 2, best: 0.95, keptEpoch: 2 } };
  report.meta.options = { ...report.meta.options, device: 'cuda', precision: 'tf32' };
  writeFileSync(`${model}.json`, JSON.stringify(report));
  assert.match(await printed(['info', model]), /\ntrained {5}3 epochs on .*info\.csv .*, loss 0\.25000 at the kept epoch 2 \(last epoch 0\.37500\), with TF32 matrix products \(--precision tf32\), /);
  const kept = JSON.parse(await printed(['info', model, '--json'])).training;
  assert.deepEqual([kept.keptLoss, kept.finalLoss, kept.precision], [0.25, 0.375, 'tf32']);
  // An image MemAE saves the table network's settings with their defaults; info names them as not in use.
  const images = join(dir, 'info-images');
  for (let i = 0; i < 4; i++) writePng(join(images, `${i}.png`), 8, 8, () => [40 * i, 40 * i, 40 * i]);
  const imageModel = join(dir, 'info-images.safetensors');
  assert.equal(await main(['train', 'memae', '--dataset', 'images', '--data', images, '--epochs', '1', '--quiet', '--threads', '1', '--out', imageModel], { stdout: capture(), stderr: capture() }), 0);
  const imageInfo = JSON.parse(await printed(['info', imageModel, '--json']));
  assert.deepEqual(imageInfo.settingsNotInUse, ['inputFeatures', 'hiddenSizes', 'normalize']);
  assert.ok(imageInfo.settingsNotInUse.every((key: string) => key in imageInfo.config && !(key in imageInfo.settingsInUse)));
  // Trained with --contamination 0: neither the training checkpoint nor the model it becomes has a threshold.
  const untuned = join(dir, 'info-untuned.safetensors');
  assert.equal(await main(['train', 'memae', ...data, '--epochs', '3', '--contamination', '0', '--max-minutes', '0.00001', '--out', untuned], { stdout: capture(), stderr: capture() }), 0);
  assert.match(await printed(['info', `${untuned}.training`]), /\nthreshold {3}none yet, nor will the finished model have one \(trained with --contamination 0\)\n/);
});

test('import names what is missing by its flag; info says where imported weights came from, in place of training settings that never ran, and names a ledger given as a checkpoint', async () => {
  const weights = join(dir, 'model.pth');
  const refused = async (args: string[]) => {
    const stderr = capture();
    assert.equal(await main(args, { stdout: capture(), stderr }), 2);
    return stderr.text();
  };
  assert.match(await refused(['import', 'mnad-pred', weights]), new RegExp("Expected the authors' memory items file \\(keys\\.pt\\), which mnad-pred needs, for --memory but received nothing\\. " +
    `MNAD saves its items apart from the network\\. Example: normality import mnad-pred ${weights} --memory keys\\.pt`));
  assert.match(await refused(['import', 'mnad', weights]), /for <model> but received 'mnad'\. Did you mean 'mnad-pred' or 'mnad-recon'\?/);
  assert.match(await refused(['import', 'memae-video', weights, '--memory', 'keys.pt']), /--memory applies to the MNAD models, whose memory items the authors save apart; memae-video's memory is among its weights: leave --memory out\./);

  // A checkpoint as normality import leaves it: a detector saved, then where its weights came from.
  const table = join(dir, 'imported.csv');
  writeTable(table);
  const model = join(dir, 'imported.safetensors');
  assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--epochs', '1', '--quiet', '--threads', '1', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  rmSync(`${model}.json`); // no training report: the weights were trained elsewhere
  recordImport(model, { from: 'model.pth', memory: 'keys.pt', at: '2025-01-02T03:04:05.000Z' });
  const text = await printed(['info', model]);
  assert.match(text, /\nimported {4}the authors' weights from model\.pth and their memory items from keys\.pt \(normality import, 2025-01-02T03:04:05\.000Z\): trained elsewhere/);
  const settings = /\nsettings {4}(.*)\n/.exec(text)![1]!;
  assert.match(settings, /memorySize \d+/);
  assert.doesNotMatch(settings, /\b(seed|epochs|batchSize|lr|contamination) /, 'training settings that never ran are left out');
  const info = JSON.parse(await printed(['info', model, '--json']));
  assert.deepEqual(info.imported, { from: 'model.pth', memory: 'keys.pt', at: '2025-01-02T03:04:05.000Z' });
  assert.ok(['seed', 'epochs', 'batchSize', 'lr'].every((key) => info.settingsNotInUse.includes(key) && key in info.config));

  // A reproduce ledger (JSON) given where a checkpoint belongs: named as what it is, not by the header length its first bytes make.
  const ledger = join(dir, 'runs.ledger');
  writeFileSync(ledger, `${JSON.stringify({ settings: { benchmark: 'memae-kdd' }, runs: {} }, null, 1)}\n`);
  assert.match(await refused(['info', ledger]), /runs\.ledger: is a normality reproduce ledger of memae-kdd \(JSON: the finished runs of a many-run benchmark\), not a safetensors file\./);
});

test("--protocol paper trains on the MemAE paper's one-class split; a wrong protocol is named", async () => {
  const model = join(dir, 'paper.safetensors');
  const args = ['train', 'ae', '--dataset', 'mnist', '--normal-class', '3', '--max-train', '64', '--epochs', '1', '--quiet', '--threads', '1', '--out', model];
  assert.equal(await main([...args, '--protocol', 'paper'], { stdout: capture(), stderr: capture() }), 0);
  const data: string = JSON.parse(readFileSync(`${model}.json`, 'utf8')).results.data;
  assert.match(data, /^mnist one-class \(paper protocol\): normal class 3; train = 2\/3 of that class's images from both splits \(seed 0\), a seeded random 64 of 4761 \(seed 0\); test = the other 1\/3 \(2380\) and 1020 images of other classes/);
  const bad = capture();
  assert.equal(await main([...args, '--protocol', 'papr'], { stdout: capture(), stderr: bad }), 2);
  assert.match(bad.text(), /Expected one of standard, paper for --protocol but received 'papr'\. Did you mean 'paper'\?/);
});

test('counts and fractions out of range, stray words, a table given as MNIST and options the data would ignore are refused, named by the flag the user typed', async () => {
  const table = join(dir, 'table-limits.csv');
  writeTable(table);
  const withNaN = join(dir, 'table-nan.csv');
  writeFileSync(withNaN, 'a,b,label\n1,2,0\n3,NaN,0\n4,5,1\n');
  const arrayWithNaN = join(dir, 'table-nan.npz');
  writeFileSync(arrayWithNaN, npzOf({
    X: encodeNpy({ dtype: 'float32', shape: [3, 2], data: Float32Array.of(1, 2, 3, Infinity, 4, 5) }),
    y: encodeNpy({ dtype: 'int32', shape: [3], data: Int32Array.of(0, 0, 1) }),
  }));
  const refusals: [string[], RegExp][] = [
    [['train', 'memae', '--dataset', 'tabular', '--data', withNaN], /table-nan\.csv: row 1 \(line 3\), column 'b' holds NaN, not a finite number\. Fill in or drop the rows with missing or infinite values/],
    [['train', 'memae', '--dataset', 'tabular', '--data', arrayWithNaN], /table-nan\.npz: X\[1, 1\] \(row and column counted from 0\) holds Infinity: the models need finite numbers\. Fill in or drop the rows with missing or infinite values/],
    [['train', 'memae', '--dataset', 'tabular', '--data', table, '--max-train', '-3'], /Expected a positive integer, or 0 for all for --max-train but received -3/],
    [['train', 'memae', '--dataset', 'tabular', '--data', table, '--max-test', '-1'], /Expected a positive integer, or 0 for all for --max-test but received -1/],
    [['train', 'memae', '--normal-class', '10'], /Expected a digit from 0 to 9 for --normal-class but received 10/],
    [['train', 'memae', '--dataset', 'tabular', '--data', table, '--contamination', '1.5'], /Expected a fraction in \[0, 0\.5\] \(0: no threshold\) for --contamination but received 1\.5/],
    [['train', 'mnad-pred', '--dataset', 'video', '--data', dir, '--frame-size', '-5'], /Expected a positive number of pixels, or 0 for the model's default for --frame-size but received -5/],
    [['train', 'memae', '--dataset', 'tabular', '--data', table, '--seed', '99999999999999999999'], /Expected an integer from -9007199254740991 to 9007199254740991 \(2\^53 − 1, the largest held exactly\) for --seed but received '99999999999999999999', which is out of range\./],
    [['demo', '--epochs', '0'], /Expected a positive integer for --epochs but received 0/],
    [['demo', '--digit', '10'], /Expected a digit from 0 to 9 for --digit but received 10/],
    [['demo', '--max-train', '-5'], /Expected a positive integer, or 0 for all for --max-train but received -5/],
    [['demo', '--normal-class', '3'], /Unknown option --normal-class for 'normality demo'\. Did you mean --digit\?/],
    [['train', 'memae', 'extra', '--dataset', 'tabular', '--data', table], /normality train takes <model>, but was also given 'extra'\. Usage: normality train <model> \[options\]\./],
    [['demo', 'x'], /normality demo takes no arguments besides options, but was also given 'x'/],
    [['train', 'memae', '--data', table], /Expected tabular for the table .*table-limits\.csv for --dataset but received 'mnist'.*Example: normality train memae --dataset tabular --data /],
    [['train', 'memae', '--dataset', 'tabular', '--data', table, '--normal-class', '5'], /--normal-class 5 has no effect on train with --dataset tabular: it applies to --dataset mnist or cifar10\. Leave it out/],
    [['train', 'memae', '--dataset', 'tabular', '--data', table, '--protocol', 'paper'], /--protocol paper has no effect on train with --dataset tabular: it applies to --dataset mnist or cifar10/],
    [['train', 'memae', '--label-column', 'y'], /--label-column y has no effect on train with --dataset mnist: it applies to --dataset tabular/],
    [['train', 'memae', '--frame-size', '64'], /--frame-size 64 has no effect on train with --dataset mnist: it applies to video data/],
    [['train', 'mnad-pred', '--dataset', 'video', '--data', dir, '--split-seed', '3'], /--split-seed 3 has no effect on train with video data/],
  ];
  for (const [args, message] of refusals) {
    const stderr = capture();
    assert.equal(await main([...args, '--quiet', '--out', join(dir, 'never.safetensors')], { stdout: capture(), stderr }), 2, args.join(' '));
    assert.match(stderr.text(), message);
  }
});

test('options come from a YAML config file; unknown keys and bad values are named, settings for other data are not', async () => {
  const table = join(dir, 'table2.csv');
  writeTable(table);
  const config = join(dir, 'run.yaml');
  // A config file is shared between commands and datasets: a setting this data does not read (normal-class,
  // for images) is not refused there, as the same flag typed would be.
  writeFileSync(config, `dataset: tabular\ndata: ${table}\nepochs: 1\nout: ${join(dir, 'm2.safetensors')}\nquiet: true\nthreads: 1\nnormal-class: 3\n`);
  assert.equal(await main(['train', 'memae', '--config', config], { stdout: capture(), stderr: capture() }), 0);
  const typed = capture();
  assert.equal(await main(['train', 'memae', '--config', config, '--normal-class', '3'], { stdout: capture(), stderr: typed }), 2);
  assert.match(typed.text(), /--normal-class 3 has no effect on train with --dataset tabular/);
  // The same file serves test: its train-only keys (epochs) are left to train, not refused, and its out: (train's
  // checkpoint, which test reads) gives way to test's own default rather than being overwritten with metrics.
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    assert.match(await noted(['test', join(dir, 'm2.safetensors'), '--config', config]), /note: the config file's out: .*m2\.safetensors is a file this command reads \(train's checkpoint\); writing to results\/test\.json instead/);
  } finally {
    process.chdir(cwd);
  }
  assert.ok(existsSync(join(dir, 'results', 'test.json')));
  assert.equal(JSON.parse(await printed(['info', join(dir, 'm2.safetensors'), '--json'])).model, 'memae', 'the checkpoint is intact');
  writeFileSync(config, 'epoch: 3\n');
  const stderr = capture();
  assert.equal(await main(['train', 'memae', '--config', config], { stdout: capture(), stderr }), 2);
  assert.match(stderr.text(), /run\.yaml: unknown key 'epoch'\. Did you mean 'epochs'\?/);
  writeFileSync(config, `dataset: tabular\ndata: ${table}\nlr: -0.001\n`);
  const negativeLr = capture();
  assert.equal(await main(['train', 'memae', '--config', config], { stdout: capture(), stderr: negativeLr }), 2);
  assert.match(negativeLr.text(), /Expected a positive number, or 0 for the default for --lr but received -0\.001/);
  const stderr2 = capture();
  assert.equal(await main(['train', 'nomodel', '--dataset', 'tabular', '--data', table], { stdout: capture(), stderr: stderr2 }), 2);
  assert.match(stderr2.text(), /Expected one of ae, ae-video, memae, memae-nonspar, memae-video, mnad-pred, mnad-recon for model but received 'nomodel'/);
  const negativeSeed = capture();
  assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--seed', '-1'], { stdout: capture(), stderr: negativeSeed }), 2);
  assert.match(negativeSeed.text(), /Expected a non-negative integer for --seed but received -1/);
  const negativeSplitSeed = capture();
  assert.equal(await main(['train', 'memae', '--dataset', 'tabular', '--data', table, '--split-seed', '-1'], { stdout: capture(), stderr: negativeSplitSeed }), 2);
  assert.match(negativeSplitSeed.text(), /Expected a non-negative integer for --split-seed but received -1/);
  const stderr3 = capture();
  assert.equal(await main(['test', join(dir, 'missing.safetensors'), '--dataset', 'tabular', '--data', table], { stdout: capture(), stderr: stderr3 }), 2);
  assert.match(stderr3.text(), /missing\.safetensors/);
});

test("a model's own settings come from --model.* flags or a model: section, and one the model does not take is named", async () => {
  const table = join(dir, 'table3.csv');
  writeTable(table);
  const model = join(dir, 'm3.safetensors');
  const common = ['--dataset', 'tabular', '--data', table, '--quiet', '--threads', '1', '--epochs', '1'];
  assert.equal(await main(['train', 'memae', ...common, '--model.memory-size', '7', '--model.shrink-threshold', '0.05', '--model.output-activation', 'sigmoid', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  const saved = loadDetector(model);
  const savedConfig = saved.config as MemAEConfig;
  assert.deepEqual([savedConfig.memorySize, savedConfig.shrinkThreshold, savedConfig.outputActivation], [7, 0.05, 'sigmoid']);
  saved.dispose();
  const config = join(dir, 'model.yaml');
  writeFileSync(config, 'model:\n  addressing: cosine\n  entropy-weight: 0\n');
  assert.equal(await main(['train', 'memae', ...common, '--config', config, '--out', model], { stdout: capture(), stderr: capture() }), 0);
  const fromYaml = loadDetector(model);
  assert.deepEqual([(fromYaml.config as MemAEConfig).addressing, (fromYaml.config as MemAEConfig).entropyWeight, (fromYaml.config as MemAEConfig).memorySize], ['cosine', 0, 50]);
  fromYaml.dispose();
  const notMemae = capture();
  assert.equal(await main(['train', 'memae', ...common, '--model.compactness-weight', '0.3'], { stdout: capture(), stderr: notMemae }), 2);
  assert.match(notMemae.text(), /--model\.compactness-weight does not apply to memae; it takes --model\.memory-size, --model\.shrink-threshold, --model\.entropy-weight, --model\.addressing, --model\.weight-decay, --model\.output-activation\./);
  // The same setting from a config file is named as the file gives it, not as a flag the user never typed.
  const mnadConfig = join(dir, 'mnad-setting.yaml');
  writeFileSync(mnadConfig, 'model:\n  compactness-weight: 0.3\n');
  const notMemaeFromFile = capture();
  assert.equal(await main(['train', 'memae', ...common, '--config', mnadConfig], { stdout: capture(), stderr: notMemaeFromFile }), 2);
  assert.match(notMemaeFromFile.text(), /'compactness-weight' \(under model: in the config file\) does not apply to memae; it takes memory-size, shrink-threshold, entropy-weight, addressing, weight-decay, output-activation\./);
  const atTest = capture();
  assert.equal(await main(['test', model, '--dataset', 'tabular', '--data', table, '--model.freeze-memory'], { stdout: capture(), stderr: atTest }), 2);
  assert.match(atTest.text(), /--model\.freeze-memory does not apply to memae; it has none of the settings --model\.update-threshold, --model\.score-weight, --model\.freeze-memory\./);
  const badValue = capture();
  assert.equal(await main(['train', 'memae', ...common, '--model.memory-size', '0'], { stdout: capture(), stderr: badValue }), 2);
  assert.match(badValue.text(), /Expected a positive integer for --model\.memory-size but received 0/);
  const badArchitecture = capture();
  assert.equal(await main(['train', 'memae', '--architecture', 'resnet', '--quiet'], { stdout: capture(), stderr: badArchitecture }), 2);
  assert.match(badArchitecture.text(), /Expected one of mnist, mnist-wide, cifar10, mlp for --architecture but received 'resnet'/);
});

test("MNAD's scoring settings given to test replace the saved ones", async () => {
  const before = liveTensors();
  const root = writeFramesLayout(join(dir, 'video-mnad'), 12).root;
  const model = join(dir, 'mnad.safetensors');
  const common = ['--data', root, '--quiet', '--threads', '1'];
  assert.equal(await main(['train', 'mnad-recon', '--dataset', 'video', ...common, '--frame-size', '32', '--epochs', '1', '--model.memory-size', '4', '--out', model], { stdout: capture(), stderr: capture() }), 0);
  const out = join(dir, 'mnad-test.json');
  const scoresWith = async (...flags: string[]): Promise<number[]> => {
    assert.equal(await main(['test', model, ...common, '--out', out, ...flags], { stdout: capture(), stderr: capture() }), 0);
    return JSON.parse(readFileSync(out, 'utf8')).results.frameScores[0].scores;
  };
  // The saved thresholds were fitted to S under the saved settings: under others they flag nothing, and the command says so.
  const rescoredNotes = await noted(['test', model, ...common, '--out', out, '--model.score-weight', '1', '--model.freeze-memory']);
  assert.match(rescoredNotes, /note: the thresholds saved in .*mnad\.safetensors were fitted to S with freeze-memory false, score-weight 0\.7; with freeze-memory true, score-weight 1 given here they do not apply, so no frame is flagged/);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).results.atThreshold, undefined);
  assert.ok(!(await noted(['test', model, ...common, '--out', out])).includes('note: the thresholds'), 'the saved settings: no note');
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(out, 'utf8')).results.atThreshold), ['threshold', 'precision', 'recall', 'f1'], 'MNAD\'s S is the scale of its frameScores');
  const psnrOnly = await scoresWith('--model.score-weight', '1', '--model.freeze-memory');
  const distanceOnly = await scoresWith('--model.score-weight', '0', '--model.freeze-memory');
  assert.notDeepEqual(psnrOnly, distanceOnly, 'the score weight reached the scorer');
  // γ = 0 updates nothing, as a frozen memory (up to rounding: with updates on, frames go through one at a time).
  const noUpdates = await scoresWith('--model.score-weight', '1', '--model.update-threshold', '0');
  noUpdates.forEach((s, i) => assert.ok(s === psnrOnly[i] || Math.abs(s - psnrOnly[i]!) < 1e-5, `frame ${i}: ${s} against ${psnrOnly[i]}`));
  // Online: S over the frames so far (calibrated by the training videos, as train's contamination 0.1 had it)
  // beside the raw scores, from which the whole video's S can be recomputed; at the last frame the two agree.
  const online = join(dir, 'mnad-online.csv');
  assert.equal(await main(['score', model, '--video', join(root, 'testing', 'frames', '01'), '--out', online], { stdout: capture(), stderr: capture() }), 0);
  const [header, ...lines] = readFileSync(online, 'utf8').trim().split('\n');
  assert.equal(header, 'frame,score,prediction,psnr,distance,updated');
  const rows = lines.map((line) => line.split(',').map(Number));
  assert.deepEqual(rows.map((row) => row[0]), Array.from({ length: 12 }, (_, i) => i));
  const saved = loadDetector(model) as MnadDetector;
  const calibration = saved.streamCalibration!;
  assert.ok(calibration.spreads.psnr > 0 && calibration.spreads.distance > 0 && calibration.threshold !== null, JSON.stringify(calibration));
  assert.notEqual(calibration.threshold, saved.threshold, 'the online S has a threshold of its own');
  const running = new RunningScore(0.7, calibration.spreads);
  for (const [frame, score, prediction, psnrValue, distance, updated] of rows) {
    assert.ok(score! >= 0 && score! <= 1 && psnrValue! > 0 && distance! >= 0 && (updated === 0 || updated === 1), `frame ${frame}: ${score}, ${psnrValue}, ${distance}, ${updated}`);
    assert.ok(Math.abs(score! - running.next(psnrValue!, distance!)) < 1e-9, `frame ${frame}: S through the saved spreads`);
    assert.equal(prediction, score! >= calibration.threshold! ? 1 : 0, `frame ${frame}: the prediction through the online S's threshold`);
  }
  // The predictions follow the online S's threshold, not the saved one: with it at the median S, half the frames are flagged.
  const scoreOnline = async (checkpoint: string) => {
    const notes = await noted(['score', checkpoint, '--video', join(root, 'testing', 'frames', '01'), '--out', online]);
    return { rows: readFileSync(online, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number)), notes };
  };
  const medianScore = rows.map((row) => row[1]!).sort((a, b) => a - b)[6]!;
  saved.streamCalibration = { ...calibration, threshold: medianScore };
  saved.save(join(dir, 'mnad-median.safetensors'));
  assert.deepEqual((await scoreOnline(join(dir, 'mnad-median.safetensors'))).rows.map((row) => row[2]), rows.map((row) => (row[1]! >= medianScore ? 1 : 0)));
  assert.ok(rows.some((row) => row[1]! >= medianScore) && rows.some((row) => row[1]! < medianScore));
  const flagged = rows.filter((row) => row[1]! >= medianScore).length;
  assert.match(await printed(['score', join(dir, 'mnad-median.safetensors'), '--video', join(root, 'testing', 'frames', '01'), '--out', online]),
    new RegExp(`^read 12 frames of .*01 online and scored 12, flagged ${flagged} \\(score at or above ${medianScore.toPrecision(4)}\\); wrote .*mnad-online\\.csv$`));
  // Uncalibrated (a checkpoint from before calibration): the plain running min-max, no flags (the saved threshold is
  // of the per-video S), the same columns, and a note that says so; info says so too.
  saved.streamCalibration = undefined;
  saved.save(join(dir, 'mnad-uncalibrated.safetensors'));
  saved.dispose();
  const uncalibrated = await scoreOnline(join(dir, 'mnad-uncalibrated.safetensors'));
  assert.match(uncalibrated.notes, /note: this mnad-recon checkpoint holds no calibration of its online S \(it was trained with --contamination 0, or saved before calibration existed\), so its first frames are scored against one another alone and no frame is flagged; train it again with --contamination > 0 to calibrate it/);
  assert.equal(readFileSync(online, 'utf8').split('\n')[0], 'frame,score,prediction,psnr,distance,updated');
  const plain = new RunningScore(0.7);
  assert.deepEqual(uncalibrated.rows.map((row) => [row[1], row[2]]), rows.map((row) => [Number(String(plain.next(row[3]!, row[4]!))), 0]), 'no prediction: empty cells (read as 0)');
  assert.ok(readFileSync(online, 'utf8').trim().split('\n').slice(1).every((line) => line.split(',')[2] === ''));
  assert.match(await printed(['info', join(dir, 'mnad-uncalibrated.safetensors')]), /\nstream {6}not calibrated: score --video flags no frame/);
  assert.equal(uncalibrated.rows[0]![1], 0.7, 'uncalibrated, the first frame is scored against itself alone: S = λ');
  assert.match(await printed(['info', model]), new RegExp(`\\nstream {6}online S \\(score --video\\) flagged at or above ${calibration.threshold}; typical spreads in a training video: PSNR \\d`));
  const wholeVideo = combineScores(rows.map((row) => row[3]!), rows.map((row) => row[4]!), 0.7);
  assert.ok(Math.abs(rows.at(-1)![1]! - wholeVideo.at(-1)!) < 1e-12, `last frame online ${rows.at(-1)![1]}, whole video ${wholeVideo.at(-1)}`);
  // Test videos without labels: refused before the scoring pass, with where labels can come from.
  rmSync(join(root, 'frame_labels_fixture.npy'));
  rmSync(join(root, 'testing', 'test_frame_mask'), { recursive: true });
  const unlabelled = capture();
  assert.equal(await main(['test', model, ...common], { stdout: capture(), stderr: unlabelled }), 2);
  assert.match(unlabelled.text(), /Expected frame labels for the test videos of .*video-mnad \(ped2\.mat, UCSDped2\.m, frame_labels_\*\.npy or a folder of per-video \.npy masks\) for --labels but received none found beside them\. Name the file or folder with --labels <path>/);
  assert.equal(liveTensors(), before);
});

test('train notes the training videos too short for the model to take one item from', async () => {
  const root = writeFramesLayout(join(dir, 'short-video'), 20).root;
  const video = join(root, 'training', 'frames', '02');
  for (let f = 3; f < 20; f++) rmSync(join(video, `${String(f).padStart(3, '0')}.png`));
  const notes = await noted(['train', 'mnad-pred', '--dataset', 'video', '--data', root, '--frame-size', '32', '--epochs', '1', '--quiet', '--threads', '1', '--out', join(dir, 'short-video.safetensors')]);
  assert.match(notes, /note: training videos shorter than the 5 frames mnad-pred takes at once add nothing to training: 02 \(3 frames\)/);
});

test('a video model trains on a frame folder and tests on its labelled videos through the CLI', async () => {
  const before = liveTensors();
  const root = writeFramesLayout(join(dir, 'video'), 20).root;
  const model = join(dir, 'video.safetensors');
  const common = ['--dataset', 'video', '--data', root, '--quiet', '--threads', '1', '--frame-size', '32'];
  const stdout = capture();
  assert.equal(await main(['train', 'memae-video', ...common, '--epochs', '1', '--batch-size', '2', '--out', model], { stdout, stderr: capture() }), 0);
  assert.match(JSON.parse(readFileSync(`${model}.json`, 'utf8')).results.data, /^the 3 training videos of .* at 32×32$/);
  const metrics = join(dir, 'video-test.json');
  assert.equal(await main(['test', model, '--data', root, '--quiet', '--threads', '1', '--out', metrics], { stdout, stderr: capture() }), 0);
  const results = JSON.parse(readFileSync(metrics, 'utf8')).results;
  assert.ok(results.microAuc >= 0 && results.microAuc <= 1, `micro AUC ${results.microAuc}`);
  assert.equal(results.frameScores.length, 3, 'per-frame scores of the three test videos');
  assert.equal(results.frameScores[0].scores.length, 20);
  assert.equal(results.frameScores[0].scores[0], null, 'MemAE-3D scores clip centres: the first 8 frames have none');
  assert.match(results.labels, /frame_labels_fixture\.npy$/, 'which of the label files beside the videos was read');
  assert.match(results.checkpointDigest, /^[0-9a-f]{40}$/, 'the weights the numbers belong to');
  assert.ok(results.atThreshold.f1 >= 0 && results.atThreshold.f1 <= 1 && typeof results.atThreshold.threshold === 'number', 'precision, recall and F1 of the frames predict flags');
  assert.equal(results.atThreshold.appliesTo, 'the raw frame scores, before the per-video min-max of frameScores');
  assert.match(await printed(['test', model, '--data', root, '--quiet', '--threads', '1', '--out', join(dir, 'video-test-2.json')]), /\(the 3 test videos at 32×32, labels from .*frame_labels_fixture\.npy\): micro AUC/);
  // Labels of one class give no AUC: refused before the scoring pass, with the label source named.
  const normalOnly = join(dir, 'normal-only-labels');
  mkdirSync(normalOnly, { recursive: true });
  for (const name of ['01', '02', '10']) writeNpy(join(normalOnly, `${name}.npy`), { dtype: 'uint8', shape: [20], data: new Uint8Array(20) });
  const oneClass = capture();
  assert.equal(await main(['test', model, '--data', root, '--quiet', '--labels', normalOnly], { stdout: capture(), stderr: oneClass }), 2);
  assert.match(oneClass.text(), /Expected test videos with both normal and anomalous frames, to measure an AUC for --labels but received 60 frames, all normal, in .*normal-only-labels\. Test on videos that hold anomalies/);
  // score on the folder: one row per frame of each test video, normalised as test ranks them, with its label.
  const frameCsv = join(dir, 'video-frames.csv');
  assert.equal(await main(['score', model, '--data', root, '--quiet', '--threads', '1', '--out', frameCsv], { stdout, stderr: capture() }), 0);
  const [frameHeader, ...frameLines] = readFileSync(frameCsv, 'utf8').trim().split('\n');
  assert.equal(frameHeader, 'video,frame,score,normalized,prediction,label');
  const frameRows = frameLines.map((line) => line.split(','));
  const cell = (value: string) => (value === '' ? null : Number(value));
  assert.deepEqual(results.frameScores.map((v: { name: string }) => v.name), ['01', '02', '10']);
  results.frameScores.forEach((video: { name: string; scores: (number | null)[] }, v: number) => {
    const rows = frameRows.filter((row) => row[0] === video.name);
    assert.deepEqual(rows.map((row) => Number(row[1])), Array.from({ length: 20 }, (_, i) => i));
    assert.deepEqual(rows.map((row) => cell(row[3]!)), video.scores, `video ${video.name}: normalised as test normalises it`);
    assert.deepEqual(rows.map((row) => Number(row[5])), Array.from(labelArrays(20)[v]!), `video ${video.name}: its labels`);
    rows.forEach((row) => assert.equal(row[2] === '', row[4] === '', 'a prediction exactly where there is a score'));
  });
  // score --report: the test videos' plots over their labels with test's AUCs; unlabelled training videos' plots alone.
  const scoredReport = join(dir, 'video-score-report.html');
  assert.equal(await main(['score', model, '--data', root, '--quiet', '--threads', '1', '--out', frameCsv, '--report', scoredReport], { stdout, stderr: capture() }), 0);
  const scoredHtml = readFileSync(scoredReport, 'utf8');
  assert.ok(Math.abs(reportedMetric(scoredHtml, 'microAuc') - results.microAuc) <= 5e-5, 'the micro AUC test measures');
  assert.equal(scoredHtml.match(/<text [^>]*font-weight="bold">[^<]*<\/text>/g)?.length, 3 + 3, 'the histogram, ROC and PR curves, and one plot per test video');
  assert.match(scoredHtml, /<th>threshold<\/th><td>[-0-9.e]+ \(of the raw frame scores; the scores here are normalised within each video, so it is not drawn\)/, 'the threshold is not of the normalised scores the page shows');
  const trainReport = join(dir, 'video-train-report.html');
  assert.equal(await main(['score', model, '--data', root, '--split', 'train', '--quiet', '--threads', '1', '--out', join(dir, 'video-train.csv'), '--report', trainReport], { stdout, stderr: capture() }), 0);
  const trainHtml = readFileSync(trainReport, 'utf8');
  assert.doesNotMatch(trainHtml, /microAuc/, 'no labels, no AUC');
  assert.deepEqual(trainHtml.match(/<text [^>]*font-weight="bold">[^<]*<\/text>/g)?.map((title) => title.replace(/<[^>]+>/g, '')), ['Scores', '01', '02', '10'], 'the histogram alone, and each training video');
  assert.match(trainHtml, /the 3 training videos of .*, train split/);
  // Options that video data would ignore are refused, not dropped.
  const ignored: [string[], RegExp][] = [
    [['score', model, '--data', root, '--normal-class', '3'], /--normal-class 3 has no effect on score with video data: it applies to --dataset mnist or cifar10/],
    [['test', model, '--dataset', 'tabular', '--data', root], /--dataset tabular has no effect on test with video data: it applies to the data a checkpoint reads \(a video checkpoint reads video data: --dataset video\)/],
    [['test', model, '--data', root, '--frame-size', '64'], /Expected 32, the size this memae-video checkpoint was trained at \(or leave it out\) for --frame-size but received 64/],
    [['score', model, '--video', join(root, 'testing', 'frames', '01'), '--max-test', '2'], /--max-test 2 has no effect on score with one --video recording: it applies to datasets, not one --video recording/],
  ];
  for (const [args, message] of ignored) {
    const refused = capture();
    assert.equal(await main([...args, '--quiet', '--out', join(dir, 'never.csv')], { stdout: capture(), stderr: refused }), 2, args.join(' '));
    assert.match(refused.text(), message);
  }
  assert.equal(await main(['test', model, '--data', root, '--frame-size', '32', '--quiet', '--out', join(dir, 'same-size.json')], { stdout: capture(), stderr: capture() }), 0, 'the size it was trained at is accepted');
  // --validate on videos: the micro AUC of the labelled test videos after each epoch, as test measures it.
  const validated = join(dir, 'video-validated.safetensors');
  assert.equal(await main(['train', 'memae-video', ...common, '--epochs', '1', '--batch-size', '2', '--validate', '--out', validated], { stdout, stderr: capture() }), 0);
  const validation = JSON.parse(readFileSync(`${validated}.json`, 'utf8')).results.validation;
  assert.deepEqual([validation.metric, validation.values], ['micro AUC', [results.microAuc]]);
  // --max-train and --max-test count videos: the first N of each split.
  const firstVideos = join(dir, 'video-first.safetensors');
  assert.equal(await main(['train', 'memae-video', ...common, '--epochs', '1', '--batch-size', '2', '--max-train', '1', '--validate', '--max-test', '2', '--out', firstVideos], { stdout, stderr: capture() }), 0);
  const firstResults = JSON.parse(readFileSync(`${firstVideos}.json`, 'utf8')).results;
  assert.match(firstResults.data, /^the first training video of /);
  assert.equal(firstResults.validation.values.length, 1);
  const firstMetrics = join(dir, 'video-first-test.json');
  assert.equal(await main(['test', firstVideos, '--data', root, '--quiet', '--threads', '1', '--max-test', '2', '--out', firstMetrics], { stdout, stderr: capture() }), 0);
  const firstTest = JSON.parse(readFileSync(firstMetrics, 'utf8')).results;
  assert.deepEqual(firstTest.frameScores.map((v: { name: string }) => v.name), ['01', '02']);
  assert.equal(firstTest.microAuc, firstResults.validation.values[0], 'validation measured the same two test videos');
  // Online scoring of a recording shorter than one clip: its frame's row without a score, and a note saying why.
  const oneFrame = join(dir, 'one-frame');
  mkdirSync(oneFrame);
  copyFileSync(join(root, 'testing', 'frames', '01', '000.png'), join(oneFrame, '000.png'));
  const oneFrameNotes = await noted(['score', model, '--video', oneFrame, '--out', join(dir, 'one-frame.csv')]);
  assert.equal(readFileSync(join(dir, 'one-frame.csv'), 'utf8'), 'frame,score,prediction\n0,,\n', 'a row for the frame read, without a score');
  assert.match(oneFrameNotes, /no frame was scored: 1 frame is fewer than the 16 memae-video needs before its first score/);
  // --frame-size beside --video: the trained size is taken, another is refused by name; --split does not apply to a recording.
  assert.equal(await main(['score', model, '--video', oneFrame, '--frame-size', '32', '--out', join(dir, 'one-frame.csv')], { stdout: capture(), stderr: capture() }), 0);
  const refusals = capture();
  assert.equal(await main(['score', model, '--video', oneFrame, '--frame-size', '64', '--out', join(dir, 'one-frame.csv')], { stdout: capture(), stderr: refusals }), 2);
  assert.equal(await main(['score', model, '--video', oneFrame, '--split', 'train', '--out', join(dir, 'one-frame.csv')], { stdout: capture(), stderr: refusals }), 2);
  assert.match(refusals.text(), /Expected 32, the size this memae-video checkpoint was trained at \(or leave it out\) for --frame-size but received 64[^]*Expected no split with one --video recording \(it is scored whole\) for --split but received 'train'/);
  const oddSize = capture();
  assert.equal(await main(['train', 'memae-video', ...common.slice(0, -1), '30', '--epochs', '1', '--out', join(dir, 'odd.safetensors')], { stdout: capture(), stderr: oddSize }), 2);
  assert.match(oddSize.text(), /Expected a positive multiple of 16 \(the network halves it four times\) for --frame-size but received 30/);
  // A whole video online: row n is frame n; the clip centres (frames 8 to 12 of 20) have scores, the edges none.
  const wholeOnline = join(dir, 'memae-online.csv');
  assert.equal(await main(['score', model, '--video', join(root, 'testing', 'frames', '01'), '--quiet', '--threads', '1', '--out', wholeOnline], { stdout: capture(), stderr: capture() }), 0);
  const onlineRows = readFileSync(wholeOnline, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  assert.deepEqual(onlineRows.map((row) => Number(row[0])), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(onlineRows.map((row) => row[1] !== ''), Array.from({ length: 20 }, (_, i) => i >= 8 && i <= 12));
  const report = join(dir, 'video-report.html');
  assert.equal(await main(['test', model, '--data', root, '--quiet', '--threads', '1', '--out', metrics, '--report', report], { stdout, stderr: capture() }), 0);
  const html = readFileSync(report, 'utf8');
  assert.ok(Math.abs(reportedMetric(html, 'microAuc') - results.microAuc) <= 5e-5, 'the micro AUC of the metrics file');
  assert.equal(html.match(/<text [^>]*font-weight="bold">[^<]*<\/text>/g)?.length, 3 + 3, 'the histogram, ROC and PR curves, and one plot per test video');
  // Two label files beside the videos: test asks which, and --labels names it.
  copyFileSync(join(root, 'frame_labels_fixture.npy'), join(root, 'frame_labels_copy.npy'));
  const twoLabels = capture();
  assert.equal(await main(['test', model, '--data', root, '--quiet', '--out', metrics], { stdout: capture(), stderr: twoLabels }), 2);
  assert.match(twoLabels.text(), /has several possible label files \(frame_labels_copy\.npy, frame_labels_fixture\.npy\)\. Choose one with --labels <file>/);
  assert.equal(await main(['test', model, '--data', root, '--quiet', '--out', metrics, '--labels', join(root, 'frame_labels_copy.npy')], { stdout: capture(), stderr: capture() }), 0);
  assert.equal(JSON.parse(readFileSync(metrics, 'utf8')).results.microAuc, results.microAuc);
  rmSync(join(root, 'frame_labels_copy.npy'));
  const missing = capture();
  assert.equal(await main(['score', model, '--video', join(dir, 'nope.mp4')], { stdout: capture(), stderr: missing }), 2);
  assert.match(missing.text(), /Video \(a folder of frames or a \.mp4\/.* file\) not found at .*nope\.mp4\. Check the --video path\./);
  const stdin = capture();
  assert.equal(await main(['score', model, '--video', '-'], { stdout: capture(), stderr: stdin }), 2);
  assert.match(stdin.text(), /for --video but received '-'.*Standard input is not read: name a file, or a named pipe/);
  // A live stream through a named pipe: ffmpeg writes into it as score reads it, frame by frame.
  if (spawnSync('ffmpeg', ['-version']).status === 0 && spawnSync('mkfifo', [join(dir, 'live')]).status === 0) {
    const writer = spawn('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-frames:v', '20', '-f', 'mpegts', join(dir, 'live')], { stdio: 'ignore' });
    const written = once(writer, 'exit');
    const live = join(dir, 'live.csv');
    assert.equal(await main(['score', model, '--video', join(dir, 'live'), '--quiet', '--threads', '1', '--out', live], { stdout: capture(), stderr: capture() }), 0);
    await written;
    assert.equal(readFileSync(live, 'utf8').trim().split('\n').length, 1 + 20, 'a row for each of the 20 frames');
  }
  const online = capture();
  assert.equal(await main(['score', model, '--video', root, '--report', report], { stdout: capture(), stderr: online }), 2);
  assert.match(online.text(), /Expected a dataset to report on, not a --video scored online for --report/);
  const noMaps = capture();
  assert.equal(await main(['test', model, '--data', root, '--quiet', '--maps', join(dir, 'video-maps')], { stdout: capture(), stderr: noMaps }), 2);
  assert.match(noMaps.text(), /Expected a detector of images \(memae, memae-nonspar or ae with an image architecture\) for --maps but received 'memae-video'/);
  assert.equal(liveTensors(), before);
  const stderr = capture();
  assert.equal(await main(['train', 'memae', ...common], { stdout: capture(), stderr }), 2);
  assert.match(stderr.text(), /a video model \(.*memae-video.*\) for --dataset video/);
  const stderr2 = capture();
  assert.equal(await main(['train', 'mnad-pred', '--dataset', 'mnist'], { stdout: capture(), stderr: stderr2 }), 2);
  assert.match(stderr2.text(), /Expected video for the video model mnad-pred for --dataset but received 'mnist'/);
});
