// Initialisation against PyTorch: after the same manualSeed, layers built here hold exactly the
// weights PyTorch's layers get, and each nn.init function draws exactly what PyTorch's draws
// (fixtures: scripts/fixtures/make_nn_fixtures.py, init.safetensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTensors } from '../checkpoint/tensors.js';
import { empty } from '../tensor/create.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import { manualSeed } from '../tensor/runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import { Conv2d, Conv3d } from './conv.js';
import { ConvTranspose2d, ConvTranspose3d } from './conv-transpose.js';
import * as init from './init.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';

const fromTensor = (shape: number[], fn: (t: Tensor) => void) => (): Map<string, Tensor> => {
  const t = empty(shape);
  fn(t);
  return new Map([['tensor', t]]);
};

const CASES: Record<string, () => Module | Map<string, Tensor>> = {
  linear: () => new Linear(7, 5),
  linear_nobias: () => new Linear(3, 4, { bias: false }),
  conv2d: () => new Conv2d(3, 8, 3),
  conv2d_groups: () => new Conv2d(4, 6, [3, 5], { groups: 2 }),
  conv3d: () => new Conv3d(2, 4, [3, 3, 3]),
  conv_transpose2d: () => new ConvTranspose2d(4, 6, 3, { groups: 2 }),
  conv_transpose3d: () => new ConvTranspose3d(3, 2, [1, 3, 3]),
  kaiming_uniform: fromTensor([6, 4, 3], (t) => init.kaimingUniform_(t)),
  kaiming_uniform_fan_out: fromTensor([6, 4, 3], (t) => init.kaimingUniform_(t, { a: 0.2, mode: 'fan_out' })),
  kaiming_normal: fromTensor([6, 4, 3], (t) => init.kaimingNormal_(t, { mode: 'fan_out', nonlinearity: 'relu' })),
  xavier_uniform: fromTensor([5, 7], (t) => init.xavierUniform_(t, init.calculateGain('tanh'))),
  xavier_normal: fromTensor([5, 7, 2], (t) => init.xavierNormal_(t)),
  uniform: fromTensor([4, 3], (t) => init.uniform_(t, -2, 3)),
  normal: fromTensor([4, 3], (t) => init.normal_(t, 1, 0.02)),
};

const fixture = fileURLToPath(new URL('../../src/nn/fixtures/init.safetensors', import.meta.url));
const { tensors, metadata } = loadTensors(fixture);
const seeds = JSON.parse(metadata.cases!) as Record<string, number>;
const startLive = liveTensors();

test('the fixture and the TypeScript cases list the same initialisations', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(seeds).sort());
});

for (const [name, make] of Object.entries(CASES)) {
  test(`${name}: after the same seed, the same values as PyTorch`, () => {
    const before = liveTensors();
    manualSeed(seeds[name]!);
    const made = make();
    const state = made instanceof Map ? made : made.stateDict();
    try {
      const expectedKeys = [...tensors.keys()].filter((k) => k.startsWith(`${name}.`)).map((k) => k.slice(name.length + 1));
      assert.deepEqual([...state.keys()].sort(), expectedKeys.sort());
      for (const [key, t] of state) assert.deepEqual(t.data(), tensors.get(`${name}.${key}`)!.data(), `${name}.${key} is bit for bit PyTorch's`);
    } finally {
      if (made instanceof Map) dispose(made);
      else made.dispose();
    }
    assert.equal(liveTensors(), before);
  });
}

test('calculateGain gives PyTorch\'s gains', () => {
  for (const [nonlinearity, param, gain] of JSON.parse(metadata.gains!) as [init.Nonlinearity, number | null, number][]) {
    assert.equal(init.calculateGain(nonlinearity, param ?? undefined), gain, `${nonlinearity}(${param})`);
  }
  assert.throws(() => init.calculateGain('softplus' as init.Nonlinearity), {
    message: "Expected one of linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu for nonlinearity but received 'softplus' of type string.",
  });
});

test('fans come from dims 0 and 1 times the receptive field; fewer than 2 dims is refused', () => {
  tidy(() => {
    assert.deepEqual(init.calculateFanInAndFanOut(empty([6, 4, 3, 5])), { fanIn: 60, fanOut: 90 });
    assert.deepEqual(init.calculateFanInAndFanOut(empty([5, 7])), { fanIn: 7, fanOut: 5 });
    assert.throws(() => init.calculateFanInAndFanOut(empty([5])), {
      message: 'Fan in and fan out need a tensor with at least 2 dimensions but received shape [5].',
    });
    assert.throws(() => init.kaimingUniform_(empty([3, 3]), { mode: 'fanIn' as init.FanMode }), {
      message: "Expected 'fan_in' or 'fan_out' for mode but received 'fanIn' of type string.",
    });
  });
});

test('constant_, zeros_ and ones_ fill parameters in place without recording gradients', () => {
  const before = liveTensors();
  const layer = new Linear(2, 3);
  init.constant_(layer.weight, 0.25);
  init.zeros_(layer.bias!);
  assert.deepEqual([...layer.weight.data()], Array(6).fill(0.25));
  assert.deepEqual([...layer.bias!.data()], [0, 0, 0]);
  assert.ok(layer.weight.isLeaf && layer.weight.requiresGrad);
  init.ones_(layer.bias!);
  assert.deepEqual([...layer.bias!.data()], [1, 1, 1]);
  layer.dispose();
  assert.equal(liveTensors(), before);
});

test('the fixtures are freed and nothing leaked', () => {
  dispose(tensors);
  assert.equal(liveTensors(), startLive - tensors.size);
});
