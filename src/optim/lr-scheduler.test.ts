// Learning-rate schedules against PyTorch 1.13's get_last_lr() (fixtures: scripts/fixtures/make_optim_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zeros } from '../tensor/create.js';
import { dispose, liveTensors } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { Adam, AdamW, CosineAnnealingLR, MultiStepLR, SGD, StepLR, type LRScheduler } from './index.js';

interface Case {
  scheduler: 'StepLR' | 'MultiStepLR' | 'CosineAnnealingLR';
  options: Record<string, unknown>;
  lrs: number[];
  initialLr: number | null;
  sequence: number[][];
}
const cases = JSON.parse(readFileSync(fileURLToPath(new URL('../../src/optim/fixtures/schedulers.json', import.meta.url)), 'utf8')) as Record<string, Case>;
const SCHEDULERS = { StepLR, MultiStepLR, CosineAnnealingLR } as unknown as Record<string, new (optimizer: SGD, options: unknown) => LRScheduler>;

function optimizerFor(c: Case): { optimizer: SGD; params: Tensor[] } {
  const params = c.lrs.map(() => zeros([1]).requiresGrad_());
  const optimizer = new SGD(params.map((p, i) => ({ params: [p], lr: c.lrs[i]! })), { lr: c.lrs[0]! });
  if (c.initialLr !== null) for (const group of optimizer.paramGroups) group.initialLr = c.initialLr;
  return { optimizer, params };
}

function assertRates(actual: number[], expected: number[], where: string): void {
  assert.equal(actual.length, expected.length, where);
  for (const [i, e] of expected.entries()) {
    assert.ok(Math.abs(actual[i]! - e) <= 1e-15 + 1e-12 * Math.abs(e), `${where} group ${i}: ${actual[i]} but PyTorch gives ${e}`);
  }
}

for (const [name, c] of Object.entries(cases)) {
  test(`${name}: getLastLr() follows PyTorch for ${c.sequence.length - 1} steps`, () => {
    const { optimizer, params } = optimizerFor(c);
    const scheduler = new SCHEDULERS[c.scheduler]!(optimizer, c.options);
    for (const [step, expected] of c.sequence.entries()) {
      if (step > 0) {
        optimizer.step();
        scheduler.step();
      }
      assertRates(scheduler.getLastLr(), expected, `${name} step ${step}`);
      assertRates(optimizer.paramGroups.map((g) => g.lr), expected, `${name} step ${step} (paramGroups)`);
    }
    dispose(params);
  });

  test(`${name}: scheduler and optimizer state saved midway continue the same schedule`, () => {
    const { optimizer, params } = optimizerFor(c);
    const scheduler = new SCHEDULERS[c.scheduler]!(optimizer, c.options);
    const half = Math.floor(c.sequence.length / 2);
    for (let step = 1; step <= half; step++) scheduler.step();
    const savedScheduler = JSON.stringify(scheduler.stateDict());
    const savedOptimizer = optimizer.stateDict();

    const again = optimizerFor({ ...c, initialLr: null });
    again.optimizer.loadStateDict(savedOptimizer);
    const { lastEpoch: _, ...options } = c.options;
    const resumed = new SCHEDULERS[c.scheduler]!(again.optimizer, options);
    resumed.loadStateDict(JSON.parse(savedScheduler) as Record<string, unknown>);
    assert.deepEqual(resumed.getLastLr(), scheduler.getLastLr());
    for (let step = half + 1; step < c.sequence.length; step++) {
      resumed.step();
      assertRates(resumed.getLastLr(), c.sequence[step]!, `${name} resumed step ${step}`);
    }
    dispose([params, again.params]);
  });
}

test('state dicts use PyTorch names', () => {
  const p = zeros([1]).requiresGrad_();
  const optimizer = new SGD([p], { lr: 0.1 });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: 10, etaMin: 0.001 });
  scheduler.step();
  assert.deepEqual(scheduler.stateDict(), {
    type: 'CosineAnnealingLR', t_max: 10, eta_min: 0.001, base_lrs: [0.1], last_epoch: 1, _step_count: 2, _last_lr: scheduler.getLastLr(),
  });
  assert.deepEqual(new MultiStepLR(optimizer, { milestones: [5, 2, 5] }).stateDict().milestones, [2, 5, 5]);
  assert.equal(JSON.parse(optimizer.stateDict().meta).param_groups[0].initial_lr, 0.1);
  p.dispose();
});

test('bad scheduler options and states get clear messages', () => {
  const p = zeros([1]).requiresGrad_();
  const optimizer = new SGD([p], { lr: 0.1 });
  assert.throws(() => new StepLR(optimizer, { stepSize: 0 }), { message: 'Expected a positive integer for StepLR stepSize but received 0 of type number.' });
  assert.throws(() => new StepLR(optimizer, { stepSize: 2, gamma: -1 }), { message: 'Expected a number > 0 for StepLR gamma but received -1 of type number.' });
  assert.throws(() => new MultiStepLR(optimizer, { milestones: [1.5] }), {
    message: 'Expected an array of epoch numbers (integers >= 0) for MultiStepLR milestones but received an array of length 1. Pass e.g. milestones: [30, 80].',
  });
  assert.throws(() => new CosineAnnealingLR(optimizer, { tMax: 2.5 }), { message: 'Expected a positive integer for CosineAnnealingLR tMax but received 2.5 of type number.' });
  assert.throws(() => new StepLR({} as SGD, { stepSize: 1 }), { message: 'Expected an Optimizer (SGD, Adam, AdamW) for StepLR optimizer but received an object of type Object.' });
  assert.throws(() => new CosineAnnealingLR(new SGD([p], { lr: 0.1 }), { tMax: 5, lastEpoch: 3 }), {
    message: "CosineAnnealingLR lastEpoch is 3 but the optimizer's paramGroups[0] has no initialLr. Load the optimizer's state dict saved with the run first, or leave lastEpoch at -1.",
  });
  const scheduler = new StepLR(optimizer, { stepSize: 2 });
  assert.throws(() => scheduler.loadStateDict(new CosineAnnealingLR(optimizer, { tMax: 3 }).stateDict()), {
    message: 'Error loading the state dict into StepLR: the state was saved by CosineAnnealingLR. Pass what StepLR.stateDict() returned for a run over the same parameter groups.',
  });
  assert.throws(() => scheduler.loadStateDict({ ...scheduler.stateDict(), step_size: -2 }), { message: 'Expected a positive integer for StepLR stepSize but received -2 of type number.' });
  p.dispose();
});

test('schedulers drive every optimizer, and the step uses the scheduled rate', () => {
  const p = zeros([1]).requiresGrad_();
  const adam = new Adam([p], { lr: 0.1 });
  const scheduler = new StepLR(adam, { stepSize: 1, gamma: 0.5 });
  new MultiStepLR(new AdamW([zeros([1]).requiresGrad_()]), { milestones: [1] }).optimizer.paramGroups[0]!.params[0]!.dispose();
  scheduler.step();
  assert.equal(adam.paramGroups[0]!.lr, 0.05);
  using grad = zeros([1]).fill_(3);
  p.grad = grad;
  adam.step(); // Adam's first step moves each weight by lr (the bias-corrected m/√v is 1)
  assert.ok(Math.abs(p.item() + 0.05) < 1e-7, `moved by ${p.item()}`);
  adam.dispose();
  p.dispose();
});

test('schedulers create no tensors', () => {
  const start = liveTensors();
  const p = zeros([1]).requiresGrad_();
  const scheduler = new CosineAnnealingLR(new SGD([p], { lr: 0.1 }), { tMax: 3 });
  for (let i = 0; i < 10; i++) scheduler.step();
  p.dispose();
  assert.equal(liveTensors(), start);
});
