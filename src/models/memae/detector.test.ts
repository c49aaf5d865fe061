// MemAE as a user meets it: quality floors on a fixed MNIST subset, thresholds, resumable training, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemAEDetector, type MemAEConfig } from './index.js';
import { memorySettingsFor } from './config.js';
import type { SampleArray } from '../../detector/types.js';
import { loadMnist } from '../../data/idx.js';
import { oneClassSplit } from '../../data/oneclass.js';
import { rocAuc } from '../../metrics/roc.js';
import { liveTensors } from '../../tensor/memory.js';

const dir = mkdtempSync(join(tmpdir(), 'normality-memae-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const split = oneClassSplit(loadMnist({ split: 'train' }), loadMnist({ split: 'test' }), { normalClass: 1, maxTrain: 1000, maxTest: 1000, seed: 0 });

test('MemAE and AE on MNIST digit 1 (1,000 training images, 5 epochs) rank anomalies well: AUC ≥ 0.95', async () => {
  const before = liveTensors();
  for (const variant of ['memae', 'ae'] as const) {
    const detector = new MemAEDetector({ variant, epochs: 5, seed: 1 });
    await detector.fit(split.train);
    const auc = rocAuc(split.test.labels!, await detector.score(split.test));
    assert.ok(auc >= 0.95, `${variant} AUC ${auc.toFixed(4)} is below the floor 0.95`);
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('anomaly maps: one (28, 28) map per image whose mean is the image\'s score; refused for tables', async () => {
  const before = liveTensors();
  const detector = new MemAEDetector({ epochs: 1, seed: 1 });
  await detector.fit(split.train);
  const some = { x: split.test.x.subarray(0, 300 * 784), shape: [300, 1, 28, 28] };
  const [maps, scores] = [await detector.anomalyMaps(some), await detector.score(some)];
  assert.deepEqual(maps.shape, [300, 28, 28]);
  assert.equal(maps.data.length, 300 * 784);
  for (let i = 0; i < 300; i++) {
    const mean = maps.data.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0) / 784;
    assert.ok(Math.abs(mean - scores[i]!) <= 1e-5 * scores[i]!, `image ${i}: map mean ${mean} against score ${scores[i]}`);
  }
  assert.ok(maps.data.every((v) => v >= 0));
  detector.dispose();
  const table = new MemAEDetector({ architecture: 'mlp', inputFeatures: 4, epochs: 1 });
  await assert.rejects(table.anomalyMaps({ x: new Float32Array(8), shape: [2, 4] }), /Expected an image model \(architecture mnist, mnist-wide or cifar10\) for anomalyMaps but received 'mlp'/);
  table.dispose();
  assert.equal(liveTensors(), before);
});

test('feature errors: one error per feature of each row, whose mean is the row\'s score; refused for images', async () => {
  const before = liveTensors();
  // 200 rows of 5 features on a line, min-max scaled by the model; the last 20 have feature 3 pushed far off it.
  const rows = 200;
  const x = new Float32Array(rows * 5);
  for (let i = 0; i < rows; i++) for (let f = 0; f < 5; f++) x[i * 5 + f] = (i % 50) / 50 * (f + 1) + (f === 3 && i >= 180 ? 4 : 0);
  const table = new MemAEDetector({ architecture: 'mlp', inputFeatures: 5, hiddenSizes: [8, 4], memorySize: 10, epochs: 30, batchSize: 32, seed: 2 });
  await table.fit({ x: x.subarray(0, 180 * 5), shape: [180, 5] });
  const data = { x, shape: [rows, 5] };
  const [errors, scores] = [await table.featureErrors(data), await table.score(data)];
  assert.deepEqual(errors.shape, [rows, 5]);
  for (let i = 0; i < rows; i++) {
    const mean = errors.data.subarray(i * 5, (i + 1) * 5).reduce((a, b) => a + b, 0) / 5;
    assert.ok(Math.abs(mean - scores[i]!) <= 1e-5 * scores[i]! + 1e-9, `row ${i}: mean error ${mean} against score ${scores[i]}`);
  }
  const largest = (i: number) => Array.from(errors.data.subarray(i * 5, (i + 1) * 5)).reduce((best, v, f, all) => (v > all[best]! ? f : best), 0);
  assert.ok(Array.from({ length: 20 }, (_, k) => largest(180 + k)).every((f) => f === 3), 'the pushed feature is the one that deviates most');
  table.dispose();
  const image = new MemAEDetector({ epochs: 1 });
  await assert.rejects(image.featureErrors({ x: new Float32Array(784), shape: [1, 1, 28, 28] }), /Expected a table model \(architecture mlp\) for featureErrors but received 'mnist'/);
  image.dispose();
  assert.equal(liveTensors(), before);
});

test('a feature constant in training is not dropped: a later departure from its value raises the score', async () => {
  const before = liveTensors();
  // Column 2 is a sensor stuck at 5 while the model learnt; scored later at 5, 50 and −1e3.
  const rows = 200;
  const x = Float32Array.from({ length: rows * 3 }, (_, i) => (i % 3 === 2 ? 5 : Math.sin(i)));
  const detector = new MemAEDetector({ architecture: 'mlp', inputFeatures: 3, hiddenSizes: [4, 2], memorySize: 5, epochs: 2, seed: 1 });
  await detector.fit({ x, shape: [rows, 3] });
  const [stuck, moved, far] = await detector.score({ x: Float32Array.from([0.5, 0.5, 5, 0.5, 0.5, 50, 0.5, 0.5, -1e3]), shape: [3, 3] });
  assert.ok(stuck! < moved! && moved! < far!, `scores ${stuck}, ${moved}, ${far} rise with the departure from 5`);
  detector.dispose();
  assert.equal(liveTensors(), before);
});

test('contamination sets a threshold and predict uses it', async () => {
  const detector = new MemAEDetector({ epochs: 1, seed: 1, contamination: 0.1 });
  await detector.fit(split.train);
  assert.ok(detector.threshold !== undefined);
  const predictions = await detector.predict(split.train);
  const flagged = predictions.reduce((n, p) => n + p, 0) / predictions.length;
  assert.ok(Math.abs(flagged - 0.1) < 0.02, `about 10% of the training set is flagged (${flagged})`);
  // A threshold set by hand that is not a number would flag nothing (NaN, 'abc') or everything (null).
  for (const [value, shown] of [[NaN, 'NaN of type number'], ['abc', "'abc' of type string"], [null, 'null']] as const) {
    (detector as { threshold: unknown }).threshold = value;
    await assert.rejects(detector.predict(split.train), { message: `memae's threshold is ${shown}, not a finite number: set detector.threshold to a number, or fit it with fitThreshold(scores, contamination).` });
  }
  detector.dispose();
});

test('an interrupted training resumes from its checkpoint and ends where an uninterrupted run ends', async () => {
  const path = join(dir, 'run.training');
  const full = new MemAEDetector({ epochs: 2, seed: 5 });
  await full.fit(split.train);
  const expected = await full.score(split.test);
  full.dispose();

  const controller = new AbortController();
  const first = new MemAEDetector({ epochs: 2, seed: 5 });
  await assert.rejects(first.fit(split.train, {
    checkpointPath: path,
    signal: controller.signal,
    onEpoch: () => controller.abort(), // stop right after the first epoch's checkpoint
  }), /aborted/);
  first.dispose();
  assert.ok(existsSync(path));
  const resumed = new MemAEDetector({ epochs: 2, seed: 5 });
  const report = await resumed.fit(split.train, { checkpointPath: path });
  assert.equal(report.resumedFromEpoch, 1);
  const scores = await resumed.score(split.test);
  resumed.dispose();
  for (let i = 0; i < scores.length; i++) assert.ok(Math.abs(scores[i]! - expected[i]!) <= 1e-5 * Math.abs(expected[i]!) + 1e-7, `score ${i}: ${scores[i]} vs ${expected[i]}`);

  // The checkpoint belongs to that run: another seed or other data is refused, more epochs go on from it.
  const refused = async (config: Partial<MemAEConfig>, data: SampleArray, why: string) => {
    const other = new MemAEDetector({ epochs: 2, seed: 5, ...config });
    try {
      await assert.rejects(other.fit(data, { checkpointPath: path }), {
        message: `${path}: is the training checkpoint of another run (${why}); resuming from it would mix two trainings. Delete it to train afresh, or give this run a checkpoint of its own (train: --out; reproduce: --checkpoint; library: checkpointPath).`,
      });
    } finally {
      other.dispose();
    }
  };
  const n = split.train.shape[0]!;
  await refused({ seed: 6 }, split.train, 'seed 5 there, 6 here');
  await refused({ lr: 0.01, shrinkThreshold: 0 }, split.train, 'lr 0.001 there, 0.01 here; shrinkThreshold 0.02 there, 0 here');
  await refused({}, { ...split.train, x: split.train.x.subarray(784), shape: [n - 1, 1, 28, 28], labels: split.train.labels?.subarray(1) }, `${n} training samples there, ${n - 1} here`);
  const changed = split.train.x.slice();
  changed[784 + 300] = changed[784 + 300] === 0.5 ? 0.25 : 0.5; // one pixel of sample 1, which a digest of 64 samples skipped
  await refused({}, { ...split.train, x: changed }, 'other training data of the same size');
  const longer = new MemAEDetector({ epochs: 3, seed: 5, device: 'cpu' });
  assert.equal((await longer.fit(split.train, { checkpointPath: path })).resumedFromEpoch, 2);
  longer.dispose();
});

test('a time budget stops training at an epoch boundary, and a rerun goes on from the checkpoint', async () => {
  const before = liveTensors();
  const path = join(dir, 'budget.training');
  const first = new MemAEDetector({ epochs: 3, seed: 5 });
  const stopped = await first.fit(split.train, { checkpointPath: path, maxSeconds: 1e-3 }); // spent during the first epoch
  first.dispose();
  assert.deepEqual([stopped.epochsDone, stopped.stoppedByTime, stopped.losses.length], [1, true, 1]);
  const second = new MemAEDetector({ epochs: 3, seed: 5 });
  const finished = await second.fit(split.train, { checkpointPath: path, maxSeconds: 3600 });
  second.dispose();
  assert.deepEqual([finished.resumedFromEpoch, finished.epochsDone, finished.stoppedByTime, finished.losses.length], [1, 3, false, 3]);
  await assert.rejects(new MemAEDetector({ epochs: 1 }).fit(split.train, { maxSeconds: -1 }), /Expected a positive number of seconds for maxSeconds but received -1/);
  // stopEarly ends training after the epoch that asks; onEpoch, awaited, runs before it is asked.
  const seen: number[] = [];
  const early = new MemAEDetector({ epochs: 3, seed: 5 });
  const report = await early.fit(split.train, { onEpoch: async (info) => { await new Promise((resolve) => setTimeout(resolve, 5)); seen.push(info.epoch); }, stopEarly: () => seen.length === 1 });
  early.dispose();
  assert.deepEqual([report.epochsDone, report.stoppedEarly, report.stoppedByTime, seen], [1, true, false, [0]]);
  // beforeThreshold: once, after the last epoch, and only when a threshold is fitted.
  for (const contamination of [0.1, 0]) {
    const events: string[] = [];
    const detector = new MemAEDetector({ epochs: 2, seed: 5, contamination });
    await detector.fit(split.train, { onEpoch: (info) => void events.push(`epoch ${info.epoch}`), beforeThreshold: (info) => void events.push(`threshold ${info.contamination}`) });
    assert.deepEqual(events, contamination > 0 ? ['epoch 0', 'epoch 1', 'threshold 0.1'] : ['epoch 0', 'epoch 1']);
    assert.equal(detector.threshold === undefined, contamination === 0);
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('bad input gets a clear error', async () => {
  const detector = new MemAEDetector({ epochs: 1 });
  await assert.rejects(detector.fit({ x: new Float32Array(10 * 3 * 32 * 32), shape: [10, 3, 32, 32] }),
    /Expected samples of shape \(N, 1, 28, 28\), the shape this model was built for, for fit data but received shape \(10, 3, 32, 32\)\. Resize/);
  const withNaN = { x: new Float32Array(3 * 784), shape: [3, 1, 28, 28] };
  withNaN.x[784 + 5] = NaN;
  await assert.rejects(detector.fit(withNaN), {
    message: 'Expected finite values for fit data but received NaN in sample 1, value 5 of the sample. Fill in or drop missing values (NaN) and infinities before fitting or scoring.',
  });
  withNaN.x[784 + 5] = -Infinity;
  await assert.rejects(detector.score(withNaN), /Expected finite values for score data but received -Infinity in sample 1, value 5/);
  await assert.rejects(detector.fit({ x: new Float32Array(5), shape: [2, 1, 28, 28] }), /Expected a shape whose product is x\.length = 5 for fit data\.shape/);
  // Pixels as bytes (0–255) would score every image far above any threshold.
  const bytes = { x: Float32Array.from({ length: 2 * 784 }, (_, i) => i % 256), shape: [2, 1, 28, 28] };
  await assert.rejects(detector.fit(bytes), { message: 'Expected pixels in [0, 1] for fit data but received 2 in sample 0, value 2 of the sample. Scale the images to [0, 1] (bytes: divide by 255), as loadImageSet and loadMnist give them.' });
  await assert.rejects(detector.score(bytes), /^NormalityError: Expected pixels in \[0, 1\] for score data but received 2 in sample 0/);
  await assert.rejects(detector.predict(split.test), { code: 'NOT_FITTED', message: /^memae has not been fitted, so to predict it would use untrained, random weights/ });
  await assert.rejects(detector.score({ ...split.test, labels: split.test.labels!.map((label, i) => (i === 2 ? 7 : label)) }),
    { message: /^Expected 0 \(normal\) or 1 \(anomaly\) for score data\.labels\[2\] but received 7 of type number\. Map classes to 0 and 1 first/ });
  assert.throws(() => detector.fitThreshold([1, 2, 3]), { message: "memae's contamination is 0 (the default: fit fits no threshold), so fitThreshold(scores) has no fraction to use. Pass one, e.g. fitThreshold(scores, 0.1) for 10%." });
  assert.equal(detector.fitThreshold([1, 2, 3], 0.5), 2);
  assert.throws(() => new MemAEDetector({ architecture: 'resnet' as never }), /Expected one of mnist, mnist-wide, cifar10, mlp for architecture but received 'resnet'/);
  assert.throws(() => new MemAEDetector({ shrinkThreshold: -1 }), /Expected a number in \[0, 1\) for shrinkThreshold/);
  // The table network's settings on an image network would be ignored: refused (its defaults, which saved configurations hold, pass).
  assert.throws(() => new MemAEDetector({ hiddenSizes: [8, 4] }), /^NormalityError: Expected no hiddenSizes for the mnist network: it sets the table network \(architecture 'mlp'\) only for hiddenSizes but received an array of length 2\./);
  new MemAEDetector({ architecture: 'cifar10', inputFeatures: 118, hiddenSizes: [60, 30, 10, 3], normalize: 'none' }).dispose();
  // Likewise memory settings on AE and sparsity settings on MemAE-nonSpar (again their defaults pass); in a
  // benchmark that trains all three, memorySettingsFor gives each model only its own.
  assert.throws(() => new MemAEDetector({ variant: 'ae', memorySize: 10 }), /^NormalityError: Expected no memorySize \(ae has no memory\) for memorySize but received 10 of type number\. Leave it out, or train a model with a memory/);
  assert.throws(() => new MemAEDetector({ variant: 'nonspar', entropyWeight: 0.1 }), /^NormalityError: Expected no entropyWeight \(memae-nonspar has no shrinkage and no entropy loss\) for entropyWeight/);
  new MemAEDetector({ variant: 'ae', architecture: 'mlp', memorySize: 50, shrinkThreshold: 1 / 50, addressing: 'dot', entropyWeight: 0.0002 }).dispose();
  new MemAEDetector({ variant: 'nonspar', memorySize: 10 }).dispose();
  const settings = { memorySize: 10, shrinkThreshold: 0.1, weightDecay: 0.01 };
  assert.deepEqual([memorySettingsFor('memae', settings), memorySettingsFor('memae-nonspar', settings), memorySettingsFor('ae', settings)],
    [settings, { memorySize: 10, weightDecay: 0.01 }, { weightDecay: 0.01 }]);
  detector.dispose();
});
