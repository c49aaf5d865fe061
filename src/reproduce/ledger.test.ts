// The ledger of a many-run reproduction: finished runs survive a restart, other settings are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunLedger } from './ledger.js';
import { getNumThreads, setNumThreads } from '../tensor/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'normality-ledger-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const settings = { dataset: 'mnist', epochs: 30, seed: 1, quick: false };

test('finished runs are written at once and found again by a new ledger at the same path', () => {
  const path = join(dir, 'runs.json');
  const ledger = RunLedger.open<number>(path, settings);
  assert.equal(ledger.finishedRuns, 0);
  assert.equal(existsSync(path), false, 'nothing is written before the first run finishes');
  const training = ledger.trainingCheckpoint('class-0-memae')!;
  assert.equal(training, `${path}.class-0-memae.training`);
  writeFileSync(training, 'epochs so far');
  ledger.record('class-0-memae', 0.9954);
  assert.equal(existsSync(training), false, "a finished run's training checkpoint is dropped");

  const again = RunLedger.open<number>(path, { ...settings });
  assert.equal(again.finishedRuns, 1);
  assert.equal(again.finished('class-0-memae'), 0.9954);
  assert.equal(again.finished('class-0-ae'), undefined);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary file is left behind');
});

test('a ledger made with other settings is refused, naming each difference and the way out', () => {
  const path = join(dir, 'other.json');
  RunLedger.open<number>(path, settings).record('class-1-ae', 0.998);
  assert.throws(() => RunLedger.open<number>(path, { ...settings, epochs: 100, protocol: 'paper' }),
    /other\.json: holds runs made with other settings \(epochs 30 → 100, protocol undefined → "paper"\)\. Run with the settings it was made with to go on, or pass another --checkpoint path/);
});

test('another benchmark\'s ledger is named as such, not by a list of settings', () => {
  const path = join(dir, 'kdd.json');
  RunLedger.open<number>(path, { benchmark: 'memae-kdd', epochs: 3 }).record('run-1-memae', 0.95);
  assert.throws(() => RunLedger.open<number>(path, settings), { message: /kdd\.json: holds the runs of memae-kdd, not of memae-mnist\. Pass each benchmark a --checkpoint path of its own\./ });
});

test('a ledger resumed under other thread counts names the mix in its protocol text; one count names none', () => {
  const path = join(dir, 'threads.json');
  const saved = getNumThreads();
  try {
    setNumThreads(1);
    const ledger = RunLedger.open<number>(path, settings);
    ledger.record('class-0-memae', 0.9);
    assert.equal(ledger.threadsText(), '');
    setNumThreads(2);
    const resumed = RunLedger.open<number>(path, settings);
    resumed.record('class-0-ae', 0.8);
    resumed.record('class-1-ae', 0.7);
    assert.equal(resumed.threadsText(), '; its runs were trained with differing thread counts (1 with 1 thread, 2 with 2 threads), which move the last digits');
  } finally {
    setNumThreads(saved);
  }
});

test('a file that is not a ledger gets a clear error; without a path nothing is written', () => {
  const path = join(dir, 'model.safetensors');
  writeFileSync(path, Buffer.from([8, 0, 0, 0, 0, 0, 0, 0, 123]));
  assert.throws(() => RunLedger.open<number>(path, settings), { message: /model\.safetensors: is not a reproduction checkpoint: it is a binary file, not JSON\. Pass the --checkpoint path of an earlier run/ });
  writeFileSync(path, '{"settings": ');
  assert.throws(() => RunLedger.open<number>(path, settings), /is not a reproduction checkpoint: it is not valid JSON \(/);
  writeFileSync(path, '[1, 2]');
  assert.throws(() => RunLedger.open<number>(path, settings), /expected a JSON object with "settings" and "runs"/);

  const inMemory = RunLedger.open<number>(undefined, settings);
  assert.equal(inMemory.trainingCheckpoint('run-1-ae'), undefined);
  inMemory.record('run-1-ae', 0.94);
  assert.equal(inMemory.finished('run-1-ae'), 0.94);
});

test('--jobs workers read the ledger and record in files of their own, which the next ledger opened there takes in', () => {
  const path = join(dir, 'shared.json');
  RunLedger.open<number>(path, settings).record('class-0-memae', 0.99);
  const worker0 = RunLedger.open<number>(path, settings, { index: 0, count: 2 });
  const worker1 = RunLedger.open<number>(path, settings, { index: 1, count: 2 });
  assert.equal(worker1.finished('class-0-memae'), 0.99, 'a worker skips what is finished');
  assert.equal(worker1.trainingCheckpoint('class-0-ae'), `${path}.class-0-ae.training`, 'a run in progress keeps its checkpoint where one process would');
  worker0.record('class-0-ae', 0.98);
  worker1.record('class-1-memae', 0.97);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).runs), ['class-0-memae'], 'workers never write the shared ledger');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('shared.json.job-')).sort(), ['shared.json.job-0', 'shared.json.job-1']);

  const merged = RunLedger.open<number>(path, settings);
  assert.deepEqual([merged.finishedRuns, merged.finished('class-0-ae'), merged.finished('class-1-memae')], [3, 0.98, 0.97]);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('shared.json.job-')), [], 'merged, then removed');
  writeFileSync(`${path}.job-0`, JSON.stringify({ settings: { ...settings, epochs: 5 }, runs: { 'class-2-ae': 0.5 } }));
  assert.throws(() => RunLedger.open<number>(path, settings), /shared\.json\.job-0: holds runs made with other settings than .*shared\.json\. Delete it, or run with the settings it was made with/);
});
