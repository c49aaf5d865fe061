// Every bad optimizer option gets a message naming the option, what was expected and what was received.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn, tensor } from '../tensor/create.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import { Adam, AdamW, CosineAnnealingLR, MultiStepLR, SGD, StepLR } from './index.js';

test('hyper-parameters out of range', () => {
  const start = liveTensors();
  const p = randn([2]).requiresGrad_();
  const cases: [() => unknown, string][] = [
    [() => new Adam([p], { betas: [1, 0.999] }), 'Expected a number in [0, 1) for Adam betas[0] but received 1 of type number.'],
    [() => new Adam([p], { betas: [0.9, -0.1] }), 'Expected a number in [0, 1) for Adam betas[1] but received -0.1 of type number.'],
    [() => new Adam([p], { betas: [0.9] as unknown as [number, number] }), 'Expected a pair [beta1, beta2] of numbers in [0, 1) for Adam betas but received an array of length 1. Pass betas such as [0.9, 0.999].'],
    [() => new Adam([p], { lr: -1 }), 'Expected a number >= 0 for Adam lr but received -1 of type number.'],
    [() => new Adam([p], { eps: -1e-8 }), 'Expected a number >= 0 for Adam eps but received -1e-8 of type number.'],
    [() => new AdamW([p], { weightDecay: -0.01 }), 'Expected a number >= 0 for AdamW weightDecay but received -0.01 of type number.'],
    [() => new Adam([p], { lr: Number.NaN }), 'Expected a number >= 0 for Adam lr but received NaN of type number.'],
    [() => new Adam([p], { amsgrad: 'yes' as unknown as boolean }), "Expected true or false for Adam amsgrad but received 'yes' of type string."],
    [() => new SGD([p], {} as { lr: number }), 'Expected a number >= 0 for SGD lr but received undefined.'],
    [() => new SGD([p], { lr: 0.1, momentum: -0.5 }), 'Expected a number >= 0 for SGD momentum but received -0.5 of type number.'],
    [
      () => new SGD([p], { lr: 0.1, nesterov: true }),
      'Expected momentum > 0 and dampening 0 for SGD nesterov but received momentum 0 and dampening 0. Set momentum (e.g. 0.9) and leave dampening at 0, or turn nesterov off.',
    ],
    [() => new Adam([{ params: [p], weightDecay: -1 }]), 'Expected a number >= 0 for Adam paramGroups[0] weightDecay but received -1 of type number.'],
  ];
  for (const [make, message] of cases) assert.throws(make, { name: 'NormalityError', code: 'INVALID_ARGUMENT', message });
  p.dispose();
  assert.equal(liveTensors(), start);
});

test('options left undefined take the defaults', () => {
  const p = randn([2]).requiresGrad_();
  const adam = new Adam([p], { lr: undefined, weightDecay: undefined });
  assert.deepEqual({ ...adam.paramGroups[0], params: undefined }, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: undefined });
  assert.equal(new AdamW([p]).paramGroups[0]!.weightDecay, 1e-2);
  const groups = new SGD([{ params: [p] }, { params: [randn([1]).requiresGrad_()], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
  assert.deepEqual(groups.paramGroups.map((g) => [g.lr, g.momentum]), [[0.1, 0.9], [0.5, 0.9]]);
  dispose([p, groups.paramGroups[1]!.params]);
});

test('bad parameters', () => {
  const p = randn([2]).requiresGrad_();
  assert.throws(() => new Adam([]), { message: 'Expected a non-empty array of tensors or of parameter groups for Adam params but received an array of length 0. Pass model.parameters().' });
  assert.throws(() => new Adam([p, p]), {
    message: "Adam paramGroups[0].params[1] (Tensor(shape=[2], dtype=float32, device=cpu)) appears more than once in Adam's parameter groups. Pass each parameter to one group only.",
  });
  assert.throws(() => new SGD([{ params: [p] }, { params: [p] }], { lr: 1 }), /SGD paramGroups\[1\]\.params\[0\] .* appears more than once/);
  tidy(() => {
    assert.throws(() => new Adam([p.mul(2)]), {
      message: 'Expected a leaf tensor for Adam paramGroups[0].params[0] but received a tensor computed from others. Optimize the parameters themselves, not results computed from them.',
    });
    // Computed from tensors that need no gradient, it is a leaf, as in PyTorch, which takes it too (like a frozen parameter, it never moves).
    assert.equal(new Adam([randn([2]).mul(2)]).paramGroups[0]!.params.length, 1);
    assert.throws(() => new Adam([tensor([1, 2], { dtype: 'int64' })]), {
      message: 'Expected a floating-point tensor for Adam paramGroups[0].params[0] but received Tensor(shape=[2], dtype=int64, device=cpu). Only floating-point tensors have gradients.',
    });
  });
  const gone = randn([1]);
  gone.dispose();
  assert.throws(() => new Adam([{ params: [gone] }]), /Expected a live Tensor for Adam paramGroups\[0\]\.params\[0\]/);
  p.dispose();
});

test('unknown options are refused, naming the closest one', () => {
  const start = liveTensors();
  const p = randn([2]).requiresGrad_();
  const sgdKeys = 'Its options: lr, momentum, dampening, weightDecay, nesterov, maximize.';
  const cases: [() => unknown, string][] = [
    [() => new SGD([p], { lr: 0.1, momentun: 0.9 } as never), `Unknown option 'momentun' for SGD. Did you mean 'momentum'? ${sgdKeys}`],
    [() => new Adam([p], { weight_decay: 0.1 } as never), "Unknown option 'weight_decay' for Adam. Did you mean 'weightDecay'? Its options: lr, betas, eps, weightDecay, amsgrad, maximize."],
    [() => new AdamW([p], 0.1 as never), 'Expected an object with some of lr, betas, eps, weightDecay, amsgrad, maximize for AdamW options but received 0.1 of type number. Leave it out for the defaults.'],
    [() => new SGD([{ params: [p], lrr: 0.5 } as never], { lr: 0.1 }), `Unknown option 'lrr' for SGD paramGroups[0]. Did you mean 'lr'? Its options: params, momentum, dampening, weightDecay, nesterov, maximize, lr, initialLr.`],
    [() => new StepLR(new SGD([p], { lr: 0.1 }), { stepSize: 2, gama: 0.5 } as never), "Unknown option 'gama' for StepLR. Did you mean 'gamma'? Its options: stepSize, gamma, lastEpoch."],
    [() => new MultiStepLR(new SGD([p], { lr: 0.1 }), { milestones: [2], last_epoch: 3 } as never), "Unknown option 'last_epoch' for MultiStepLR. Did you mean 'lastEpoch'? Its options: milestones, gamma, lastEpoch."],
    [() => new CosineAnnealingLR(new SGD([p], { lr: 0.1 }), { tMax: 5, etamin: 0.01 } as never), "Unknown option 'etamin' for CosineAnnealingLR. Did you mean 'etaMin'? Its options: tMax, etaMin, lastEpoch."],
  ];
  for (const [make, message] of cases) assert.throws(make, { name: 'NormalityError', code: 'INVALID_ARGUMENT', message });
  // The groups of a scheduled optimizer carry the initialLr its scheduler set: they may make another optimizer.
  const scheduled = new SGD([p], { lr: 0.1 });
  new StepLR(scheduled, { stepSize: 1 });
  assert.equal(new SGD(scheduled.paramGroups, { lr: 0.1 }).paramGroups[0]!.initialLr, 0.1);
  p.dispose();
  assert.equal(liveTensors(), start);
});
