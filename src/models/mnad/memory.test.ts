// MNAD's memory read, update, feature losses and frame scores against the authors' formulation in PyTorch
// (scripts/fixtures/make_mnad_fixtures.py): values, the updated items, and the gradient w.r.t. the features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTensors } from '../../checkpoint/tensors.js';
import { tensor } from '../../tensor/create.js';
import { dispose, liveTensors, tidy } from '../../tensor/memory.js';
import { assertClose } from '../../tensor/testing.js';
import type { FeatureLossReduction, UpdateNormalization } from './config.js';
import { compactnessLoss, featureDistance, queriesOf, readFeatureMap, separatenessLoss, updateMemory } from './memory.js';
import { combineScores, frameMse, psnr, regularScore, RunningScore } from './score.js';

const { tensors, metadata } = loadTensors(fileURLToPath(new URL('../../../src/models/mnad/fixtures/mnad.safetensors', import.meta.url)));
const get = (key: string) => {
  const t = tensors.get(key);
  if (!t) throw new Error(`fixture ${key} missing`);
  return t;
};
const tight = { rtol: 1e-6, atol: 1e-9 };

for (const [name, spec] of Object.entries(metadata)) {
  const [normalization, reduction] = spec.split(':') as [UpdateNormalization, FeatureLossReduction];
  test(`memory ${name} (update max over ${normalization}, losses ${reduction}) matches the authors' code`, () => {
    const before = liveTensors();
    tidy(() => {
      const features = get(`${name}.features`).clone().requiresGrad_();
      const items = get(`${name}.items`);
      const queries = queriesOf(features);
      const read = readFeatureMap(queries, items, features.shape);
      const compactness = compactnessLoss(queries, items, reduction);
      const separateness = separatenessLoss(queries, items, { margin: 1, reduction });
      assertClose(read, get(`${name}.read`), { name: 'concat(q, p̂)', ...tight });
      assertClose(compactness.reshape(1), get(`${name}.compactness`), { name: 'compactness', ...tight });
      assertClose(separateness.reshape(1), get(`${name}.separateness`), { name: 'separateness', ...tight });
      assertClose(updateMemory(queries, items, normalization), get(`${name}.updated`), { name: 'updated items', ...tight });
      assertClose(featureDistance(queries, items, features.size(0)), get(`${name}.distance`), { name: 'D', ...tight });
      read.mul(get(`${name}.g`)).sum().add(compactness.mul(0.1)).add(separateness.mul(0.1)).backward();
      assertClose(features.grad!, get(`${name}.grad_features`), { name: 'gradient w.r.t. the features', ...tight });
    });
    assert.equal(liveTensors(), before);
  });
}

test('the two update normalisations differ on the same data (the fixture exercises the option)', () => {
  tidy(() => {
    const queries = queriesOf(get('code.features'));
    const all = updateMemory(queries, get('code.items'), 'all');
    const assigned = updateMemory(queries, get('code.items'), 'assigned');
    assert.ok(all.sub(assigned).abs().max().item() > 1e-3);
    const norms = assigned.norm(2, 1).data('float64');
    for (const n of norms) assert.ok(Math.abs(n - 1) < 1e-12, 'updated items stay unit vectors');
  });
});

test('PSNR and the weighted regular score match the authors\' formulas', () => {
  tidy(() => {
    const output = get('images.output');
    const target = get('images.target');
    const psnrs = Array.from(frameMse(output, target).data('float64'), psnr);
    assertClose(tensor(Float64Array.from(psnrs)), get('images.psnr'), { name: 'PSNR', ...tight });
    assertClose(regularScore(output, target), get('images.regular'), { name: 'regular score', ...tight });
  });
});

test('combineScores: per-video min-max of PSNR (inverted) and D, weighted by λ, NaN kept', () => {
  const s = combineScores([NaN, 30, 20, 25], [NaN, 0.1, 0.3, 0.2], 0.6);
  assert.ok(Number.isNaN(s[0]));
  assert.deepEqual(Array.from(s.slice(1)), [0, 1, 0.6 * 0.5 + 0.4 * 0.5]);
  assert.deepEqual(Array.from(combineScores([5, 5], [1, 1], 0.7)), [0.7, 0.7], 'a constant video: g = 0 for both, so S = λ (not NaN)');
  assert.throws(() => combineScores([1], [1, 2], 0.5), /one feature distance per PSNR \(1\)/);
  // A frame predicted exactly (mse 0) gets a finite PSNR, so it and the other frames keep their scores.
  assert.equal(psnr(0), 100);
  assert.ok(combineScores([30, psnr(0), 20], [0.1, 0.1, 0.3], 0.6).every(Number.isFinite));
});

test('RunningScore: S with the min-max of the frames so far, so each frame is scored when it arrives', () => {
  const running = new RunningScore(0.6);
  const psnrs = [NaN, 30, 20, 25, 35];
  const distances = [NaN, 0.1, 0.3, 0.2, 0.1];
  const s = psnrs.map((p, i) => running.next(p, distances[i]!));
  assert.ok(Number.isNaN(s[0]!));
  assert.equal(s[1], 0.6, 'the first scored frame: g = 0 for both, so S = λ');
  assert.deepEqual(s.slice(2, 4), [0.6 * 1 + 0.4 * 1, 0.6 * 0.5 + 0.4 * 0.5]);
  assert.equal(s[4], combineScores(psnrs, distances, 0.6)[4], 'once every frame is seen, the whole video\'s S');
  assert.throws(() => new RunningScore(1.5), /Expected a number in \[0, 1\] for lambda but received 1.5/);
  assert.throws(() => new RunningScore(0.6, { psnr: -1, distance: 0 }), /Expected a finite number ≥ 0 for spreads\.psnr but received -1/);
});

test('RunningScore with the training videos\' typical spreads: the first frames are scored against those, not against one another alone', () => {
  const spreads = { psnr: 10, distance: 0.2 };
  const running = new RunningScore(0.6, spreads);
  const psnrs = [30, 29, 20, 25, 35];
  const distances = [0.1, 0.11, 0.3, 0.2, 0.1];
  const s = psnrs.map((p, i) => running.next(p, distances[i]!));
  assert.equal(s[0], 0, 'the first frame: nothing below it yet');
  // A wobble of 1 dB and 0.01 is a tenth and a twentieth of the typical spreads, not the whole range.
  assert.ok(Math.abs(s[1]! - (0.6 * 1 / 10 + 0.4 * 0.01 / 0.2)) < 1e-12, String(s[1]));
  assert.ok(Math.abs(s[2]! - (0.6 * 10 / 10 + 0.4 * 0.2 / 0.2)) < 1e-12, 'a frame a whole typical spread off scores 1');
  // Past the typical spreads (PSNR 20–35, D 0.1–0.3), S is the plain running min-max.
  assert.ok(Math.abs(s[4]! - combineScores(psnrs, distances, 0.6)[4]!) < 1e-12);
  const plain = new RunningScore(0.6);
  assert.deepEqual([plain.next(30, 0.1), plain.next(29, 0.11)], [0.6, 1], 'without spreads a 1 dB wobble spans the whole range');
});

test('fixtures freed', () => {
  dispose(tensors);
});
