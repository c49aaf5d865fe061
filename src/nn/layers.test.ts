// Every layer, forward and backward, against PyTorch 1.13 with the same weights and inputs
// (fixtures: scripts/fixtures/make_nn_fixtures.py). Each case loads PyTorch's state dict, runs the
// layer in the same mode, and compares the output, the input and parameter gradients of
// sum(output * g), and the buffers afterwards (BatchNorm's running statistics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTensors } from '../checkpoint/tensors.js';
import { dispose, liveTensors, tidy } from '../tensor/memory.js';
import { manualSeed } from '../tensor/runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertClose } from '../tensor/testing.js';
import { LeakyReLU, ReLU, Sigmoid, Tanh } from './activation.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from './batchnorm.js';
import { Sequential } from './container.js';
import { Conv2d, Conv3d } from './conv.js';
import { ConvTranspose2d, ConvTranspose3d } from './conv-transpose.js';
import { Dropout } from './dropout.js';
import { Identity } from './identity.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { MaxPool2d } from './pooling.js';
import { Upsample } from './upsample.js';

const CASES: Record<string, () => Module> = {
  linear: () => new Linear(5, 3),
  linear_nobias_3d: () => new Linear(5, 3, { bias: false }),
  conv2d: () => new Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
  conv2d_groups: () => new Conv2d(4, 6, [3, 2], { padding: [1, 0], dilation: [1, 2], groups: 2, bias: false }),
  conv2d_1x1: () => new Conv2d(3, 2, 1),
  conv3d: () => new Conv3d(2, 3, 3, { stride: [1, 2, 2], padding: 1 }),
  conv3d_groups: () => new Conv3d(4, 4, [1, 3, 3], { stride: 2, groups: 4 }),
  conv_transpose2d: () => new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  conv_transpose2d_groups: () => new ConvTranspose2d(4, 6, 3, { stride: 3, outputPadding: 2, groups: 2 }),
  conv_transpose2d_dilated: () => new ConvTranspose2d(2, 3, [2, 3], { stride: [1, 2], padding: [0, 1], dilation: 2, bias: false }),
  conv_transpose3d: () => new ConvTranspose3d(2, 2, 3, { stride: [1, 2, 2], padding: 1, outputPadding: [0, 1, 1] }),
  conv_transpose3d_s2: () => new ConvTranspose3d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  batchnorm1d_train: () => new BatchNorm1d(3),
  batchnorm1d_3d_eval: () => new BatchNorm1d(3),
  batchnorm2d_train: () => new BatchNorm2d(4, { momentum: 0.3 }),
  batchnorm2d_eval: () => new BatchNorm2d(4, { eps: 1e-3 }),
  batchnorm2d_cumulative: () => new BatchNorm2d(4, { momentum: null }),
  batchnorm2d_noaffine_train: () => new BatchNorm2d(3, { affine: false }),
  batchnorm2d_untracked_eval: () => new BatchNorm2d(3, { trackRunningStats: false }),
  batchnorm3d_train: () => new BatchNorm3d(2),
  batchnorm3d_eval: () => new BatchNorm3d(2),
  relu: () => new ReLU(),
  leaky_relu: () => new LeakyReLU(0.2),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  maxpool2d: () => new MaxPool2d(2),
  maxpool2d_pad: () => new MaxPool2d(3, { stride: 2, padding: 1 }),
  maxpool2d_ceil: () => new MaxPool2d(2, { stride: 2, ceilMode: true }),
  maxpool2d_dilated: () => new MaxPool2d([3, 2], { stride: [2, 1], dilation: [1, 2] }),
  upsample_nearest: () => new Upsample({ scaleFactor: 2 }),
  upsample_nearest_size: () => new Upsample({ size: [5, 7] }),
  upsample_nearest_fraction: () => new Upsample({ scaleFactor: 1.5 }),
  upsample_bilinear: () => new Upsample({ scaleFactor: 2, mode: 'bilinear' }),
  upsample_bilinear_align: () => new Upsample({ size: [5, 6], mode: 'bilinear', alignCorners: true }),
  dropout_train: () => new Dropout(0.3),
  dropout_eval: () => new Dropout(0.3),
  identity: () => new Identity(),
  sequential: () => new Sequential(
    new Conv2d(2, 4, 3, { padding: 1 }), new BatchNorm2d(4), new LeakyReLU(0.2), new MaxPool2d(2), new Conv2d(4, 2, 1), new Sigmoid(),
  ),
};

const fixture = fileURLToPath(new URL('../../src/nn/fixtures/layers.safetensors', import.meta.url));
const { tensors, metadata } = loadTensors(fixture);
const modes = JSON.parse(metadata.cases!) as Record<string, 'train' | 'eval'>;
const forwardSeed = Number(metadata.forward_seed);
const startLive = liveTensors();

/** The fixture's tensors under `prefix`, with the prefix removed (the same tensors, not copies). */
function under(prefix: string): Map<string, Tensor> {
  return new Map([...tensors].filter(([key]) => key.startsWith(prefix)).map(([key, t]) => [key.slice(prefix.length), t]));
}

const expected = (key: string): Tensor => {
  const t = tensors.get(key);
  assert.ok(t, `the fixture has ${key}`);
  return t;
};

test('the fixture and the TypeScript cases list the same layers', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(modes).sort());
});

for (const [name, make] of Object.entries(CASES)) {
  test(`${name}: forward and backward match PyTorch`, () => {
    const before = liveTensors();
    const layer = make();
    try {
      layer.loadStateDict(under(`${name}.state.`));
      layer.train(modes[name] === 'train');
      tidy(() => {
        const x = expected(`${name}.input`).clone().requiresGrad_(true);
        manualSeed(forwardSeed);
        const y = layer.forward(x) as Tensor;
        assertClose(y, expected(`${name}.output`), { name: `${name} output` });
        y.mul(expected(`${name}.g`)).sum().backward();
        assertClose(x.grad!, expected(`${name}.grad.input`), { name: `${name} input gradient` });
        const parameters = layer.namedParameters();
        assert.deepEqual(parameters.map(([key]) => key).sort(), [...under(`${name}.grad.`).keys()].filter((k) => k !== 'input').sort());
        for (const [key, p] of parameters) assertClose(p.grad!, expected(`${name}.grad.${key}`), { name: `${name} gradient of ${key}` });
        for (const [key, b] of layer.namedBuffers()) assertClose(b, expected(`${name}.after.${key}`), { name: `${name} ${key} after the call` });
      });
    } finally {
      layer.dispose();
    }
    assert.equal(liveTensors(), before, 'the layer and every tensor of the case were freed');
  });
}

test('the fixtures are freed and nothing leaked', () => {
  dispose(tensors);
  assert.equal(liveTensors(), startLive - tensors.size);
});
