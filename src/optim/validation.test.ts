// Every bad optimizer option gets a message naming the option, what was expected and what was received.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn, tensor } from '../tensor/create.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import { Adam, AdamW, SGD } from './index.js';

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
    assert.throws(() => new Adam([tensor([1, 2], { dtype: 'int64' })]), {
      message: 'Expected a floating-point tensor for Adam paramGroups[0].params[0] but received Tensor(shape=[2], dtype=int64, device=cpu). Only floating-point tensors have gradients.',
    });
  });
  const gone = randn([1]);
  gone.dispose();
  assert.throws(() => new Adam([{ params: [gone] }]), /Expected a live Tensor for Adam paramGroups\[0\]\.params\[0\]/);
  p.dispose();
});
