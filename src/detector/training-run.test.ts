// What fit says before and while it trains: its options checked up front, an abort as ABORTED with the
// signal's reason, and nothing changed by a call aborted before it starts.
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { NormalityError } from '../errors.js';
import { MemAEDetector } from '../models/memae/index.js';
import { loadDetector } from '../models/registry.js';
import { liveTensors } from '../tensor/memory.js';
import { checkFitOptions, divergedError, throwIfAborted } from './training-run.js';
import type { FitOptions, SampleArray } from './types.js';

const table: SampleArray = { x: Float32Array.from({ length: 64 * 8 }, (_, i) => Math.sin(i)), shape: [64, 8] };
const mlp = { architecture: 'mlp' as const, inputFeatures: 8, hiddenSizes: [4, 2], memorySize: 5, epochs: 2, batchSize: 16 };

test('fit options: an unknown key is refused with the closest known one, callbacks must be functions, signal an AbortSignal', () => {
  assert.throws(() => checkFitOptions('memae', { epoch: 3 } as FitOptions),
    { code: 'INVALID_ARGUMENT', message: /^Unknown option 'epoch' for memae fit\(\)\. Did you mean 'epochs'\? Its options: epochs, batchSize, onStep, / });
  assert.throws(() => checkFitOptions('memae', { onStep: 'log' } as unknown as FitOptions), /^NormalityError: Expected a function for onStep but received 'log' of type string\.$/);
  assert.throws(() => checkFitOptions('memae', { signal: 'x' } as unknown as FitOptions), /Expected an AbortSignal \(e\.g\. new AbortController\(\)\.signal\) for signal but received 'x'/);
  assert.throws(() => checkFitOptions('memae', { checkpointPath: '' }), /Expected a file path for checkpointPath/);
  assert.throws(() => checkFitOptions('memae', null as unknown as FitOptions), /Expected an object with some of epochs, batchSize, .* for memae fit\(\) options but received null\. Leave it out for the defaults\./);
  checkFitOptions('memae', { epochs: 1, signal: new AbortController().signal, onStep: () => {}, maxSeconds: undefined });
});

test('an aborted signal throws ABORTED carrying its reason; the place names the step that would have run', () => {
  const controller = new AbortController();
  throwIfAborted(controller.signal, { epoch: 0, step: 0 });
  const reason = new Error('user pressed stop');
  controller.abort(reason);
  assert.throws(() => throwIfAborted(controller.signal, { epoch: 2, step: 4 }), (error: unknown) => {
    assert.ok(error instanceof NormalityError);
    assert.equal(error.code, 'ABORTED');
    assert.equal(error.message, 'training stopped at epoch 3, step 5: aborted (user pressed stop)');
    assert.equal(error.cause, reason);
    return true;
  });
  assert.throws(() => throwIfAborted(AbortSignal.abort('timeout')), { code: 'ABORTED', message: 'training did not start: aborted (timeout)' });
  const unprintable = new AbortController();
  unprintable.abort({ toString() { throw new Error('evil'); } });
  assert.throws(() => throwIfAborted(unprintable.signal), { code: 'ABORTED', message: 'training did not start: aborted (a reason that cannot be printed)' });
});

test('a diverged loss blames the learning rate unless the batch holds a value that explains it', () => {
  assert.equal(divergedError(NaN, { epoch: 0, step: 3 }, 0.01).message,
    'training diverged: the loss is NaN at epoch 1, step 4. Lower the learning rate (lr = 0.01) or check the data for NaN.');
  assert.match(divergedError(Infinity, { epoch: 1, step: 0 }, 0.01, "NaN in video 'a' frame 2").message,
    /^training stopped: the loss is Infinity at epoch 2, step 1, and the batch holds NaN in video 'a' frame 2\./);
});

test('fit: a signal aborted before the call changes nothing (not even the table scaling); one aborted mid-training stops before the next step', async () => {
  const before = liveTensors();
  const detector = new MemAEDetector(mlp);
  try {
    await assert.rejects(detector.fit(table, { signal: AbortSignal.abort(new Error('mine')) }), { code: 'ABORTED', message: 'training did not start: aborted (mine)' });
    await assert.rejects(detector.score(table), { code: 'NOT_FITTED' });
    await assert.rejects(detector.fit(table, { epochz: 1 } as FitOptions), /Unknown option 'epochz' for memae fit\(\)\. Did you mean 'epochs'\?/);
    const controller = new AbortController();
    let steps = 0;
    await assert.rejects(detector.fit(table, { signal: controller.signal, onStep: () => (++steps === 2 ? controller.abort() : undefined) }),
      { code: 'ABORTED', message: /^training stopped at epoch 1, step 3: aborted/ });
    assert.equal(steps, 2);
  } finally {
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});

test('while fit trains, scoring, saving and a second fit are refused (BUSY); onEpoch may score; dispose() stops the training', async () => {
  const before = liveTensors();
  // Batch 2: 32 steps an epoch, so fit is still in its first epoch when the call returns (it yields every 16 steps).
  const detector = new MemAEDetector({ ...mlp, batchSize: 2, epochs: 3 });
  const validation: number[] = [];
  const fitting = detector.fit(table, { onEpoch: async () => void validation.push((await detector.score(table))[0]!) });
  await assert.rejects(detector.score(table), { code: 'BUSY', message: /^memae is still fitting: its weights change with every step, so to compute scores now would use half-trained weights\. Await fit\(\) first/ });
  await assert.rejects(detector.fit(table), { code: 'BUSY', message: /to fit it again now/ });
  assert.throws(() => detector.save('never-written.safetensors'), { code: 'BUSY' });
  await fitting;
  assert.equal(validation.length, 3, 'onEpoch scored after every epoch');
  assert.equal((await detector.score(table)).length, 64, 'scores once fit is done');
  detector.dispose();

  const disposed = new MemAEDetector({ ...mlp, batchSize: 2, epochs: 3 });
  const stopped = disposed.fit(table);
  disposed.dispose();
  await assert.rejects(stopped, { code: 'DISPOSED', message: 'memae was disposed while fit() was running, so training stopped. Await fit() before dispose(), or stop it with fit\'s signal.' });
  // Disposed from its own onEpoch, between epochs: the same.
  const fromOnEpoch = new MemAEDetector({ ...mlp, epochs: 3 });
  await assert.rejects(fromOnEpoch.fit(table, { onEpoch: () => fromOnEpoch.dispose() }), { code: 'DISPOSED', message: /was disposed while fit\(\) was running/ });
  assert.equal(liveTensors(), before);
});

test('a score that overflows float32 (huge but finite inputs) is refused with the sample and its largest value', async () => {
  const detector = new MemAEDetector({ ...mlp, epochs: 1 });
  await detector.fit(table);
  const huge = { x: Float32Array.from(table.x), shape: table.shape };
  huge.x[3 * 8 + 5] = 1e20;
  await assert.rejects(detector.score(huge), {
    code: 'INVALID_ARGUMENT',
    message: /^Expected values whose reconstruction error fits in 32-bit floats for score data sample 3 but received a score of (Infinity|NaN), from values up to 1\.00e\+20 in magnitude\. Clip or rescale extreme values/,
  });
  detector.dispose();
});

test('fit refuses samples labelled anomalous (a split\'s test part given by mistake): labels do not pick what it learns', async () => {
  const detector = new MemAEDetector({ ...mlp, epochs: 1 });
  await assert.rejects(detector.fit({ ...table, labels: new Int32Array(64).fill(1) } as SampleArray), {
    code: 'INVALID_ARGUMENT', message: /^Expected normal samples to learn from \(every label 0\), or no labels for fit data\.labels but received all 64 samples labelled anomalous\. Fit on normal data/,
  });
  const someAnomalies = Int32Array.from({ length: 64 }, (_, i) => (i % 10 === 0 ? 1 : 0));
  await assert.rejects(detector.fit({ ...table, labels: someAnomalies }), {
    message: /received 7 of 64 samples labelled anomalous\. Fit on normal data \(the train part of a split, not its test part\), or leave the labels out to train on every sample as it is\./,
  });
  await detector.fit({ ...table, labels: new Int32Array(64) });
  detector.dispose();
});

test('fit and loading weights are refused while a score() runs: its batches would come from two sets of weights', async () => {
  const before = liveTensors();
  const dir = mkdtempSync(join(tmpdir(), 'normality-scoring-'));
  const detector = new MemAEDetector({ ...mlp, epochs: 1 });
  try {
    await detector.fit(table);
    const saved = join(dir, 'saved.safetensors');
    detector.save(saved);
    // 40 batches of 256 rows: score yields after 16 of them, when fit and loadWeights come in.
    const many: SampleArray = { x: new Float32Array(256 * 40 * 8).map((_, i) => Math.sin(i)), shape: [256 * 40, 8] };
    const scoring = detector.score(many);
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(detector.fit(table), { code: 'BUSY', message: /^memae is scoring \(a call of score, predict or the like still running\): to fit now would change the weights under it/ });
    assert.throws(() => detector.loadWeights(saved), { code: 'BUSY', message: /to load weights now/ });
    const scores = await scoring;
    assert.deepEqual(scores, await detector.score(many), 'scored by one set of weights, as a later call scores');
    await detector.fit(table); // once the scoring ended
  } finally {
    detector.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});

test('a fit that diverges leaves the detector unfitted, saying why, rather than scoring and saving non-finite weights', async () => {
  const before = liveTensors();
  const detector = new MemAEDetector({ ...mlp, epochs: 3, lr: 1e30 });
  await assert.rejects(detector.fit(table), { message: /^training diverged: the loss is (Infinity|NaN) at epoch \d+, step \d+/ });
  const unfitted = /^memae's last fit diverged \(the loss was (Infinity|NaN) at epoch \d+, step \d+\) and left weights that are not finite numbers, so there is nothing to (compute scores|save)\. Fit it again \(from fresh weights\) with a lower lr/;
  await assert.rejects(detector.score(table), { code: 'NOT_FITTED', message: unfitted });
  assert.throws(() => detector.save('never-written.safetensors'), { code: 'NOT_FITTED', message: unfitted });
  detector.dispose();
  // The next fit starts from the seed's fresh weights, not from the non-finite ones: it trains as a first fit does.
  const diverging = new MemAEDetector({ ...mlp, epochs: 1, lr: 1e30 });
  await assert.rejects(diverging.fit(table), { message: /^training diverged/ });
  await diverging.fit(table, { epochs: 0 }); // no step: the weights it starts from
  const fresh = new MemAEDetector({ ...mlp, epochs: 1, lr: 1e30 });
  await fresh.fit(table, { epochs: 0 });
  assert.deepEqual(await diverging.score(table), await fresh.score(table), 'the same weights as a detector never trained');
  fresh.dispose();
  diverging.dispose();
  assert.equal(liveTensors(), before);
});

test('fit drops a threshold of the weights it replaces; loading with settings that rescore drops the saved one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'normality-stale-'));
  const detector = new MemAEDetector({ ...mlp, epochs: 1, contamination: 0.1 });
  try {
    await detector.fit(table);
    const fitted = detector.threshold;
    assert.ok(fitted !== undefined);
    const saved = join(dir, 'saved.safetensors');
    detector.save(saved);
    const again = new MemAEDetector({ ...mlp, epochs: 1 });
    again.fitThreshold([1, 2, 3, 4], 0.25);
    await again.fit(table);
    assert.equal(again.threshold, undefined, 'contamination 0 fits none, and the one set before fit was of untrained weights');
    again.dispose();
    const same = loadDetector(saved, { device: 'cpu' });
    assert.equal(same.threshold, fitted, 'settings that do not change the scores keep it');
    same.dispose();
    for (const overrides of [{ shrinkThreshold: 0.05 }, { contamination: 0.2 }]) {
      const rescored = loadDetector(saved, overrides);
      assert.equal(rescored.threshold, undefined, JSON.stringify(overrides));
      rescored.dispose();
    }
  } finally {
    detector.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score right after an un-awaited fit is refused even when an epoch is shorter than the steps fit runs between yields', async () => {
  // Batch 16: 4 steps an epoch, so fit reaches its second epoch before it first yields.
  const detector = new MemAEDetector({ ...mlp, batchSize: 16, epochs: 3 });
  const fitting = detector.fit(table);
  await assert.rejects(detector.score(table), { code: 'BUSY' });
  await fitting;
  detector.dispose();
});

test('dispose() while score runs stops it by name, not with a freed-tensor message', async () => {
  const before = liveTensors();
  const detector = new MemAEDetector({ ...mlp, epochs: 1, batchSize: 16 });
  await detector.fit(table);
  // 40 batches of 256 rows: score yields after 16 of them, when dispose() comes in.
  const many: SampleArray = { x: new Float32Array(256 * 40 * 8).map((_, i) => Math.sin(i)), shape: [256 * 40, 8] };
  const scoring = detector.score(many);
  detector.dispose();
  await assert.rejects(scoring, { code: 'DISPOSED', message: /^memae was asked to go on scoring after dispose\(\)/ });
  assert.equal(liveTensors(), before);
});

test('a score() that onEpoch starts and does not await finishes on the weights of that epoch, before training goes on', async () => {
  const before = liveTensors();
  const dir = mkdtempSync(join(tmpdir(), 'normality-pending-'));
  const detector = new MemAEDetector({ ...mlp, epochs: 2 });
  const afterFirstEpoch = new MemAEDetector({ ...mlp });
  try {
    // 40 batches of 256 rows: the score yields after 16 of them, while fit would go on with its second epoch.
    const many: SampleArray = { x: new Float32Array(256 * 40 * 8).map((_, i) => Math.sin(i)), shape: [256 * 40, 8] };
    let pending: Promise<Float64Array> | undefined;
    await detector.fit(table, {
      onEpoch: ({ epoch }) => {
        if (epoch > 0) return;
        detector.save(join(dir, 'epoch1.safetensors'));
        pending = detector.score(many);
      },
    });
    afterFirstEpoch.loadWeights(join(dir, 'epoch1.safetensors'));
    assert.deepEqual(await pending, await afterFirstEpoch.score(many));
  } finally {
    detector.dispose();
    afterFirstEpoch.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(liveTensors(), before);
});
