// Every op the Tensor class and F wrap, forward and backward, against PyTorch 1.13 on the same inputs
// (fixtures: scripts/fixtures/make_tensor_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTensors } from '../checkpoint/tensors.js';
import { Tensor } from './tensor.js';
import * as F from './functional.js';
import { liveTensors, tidy, dispose } from './memory.js';
import { assertClose } from './testing.js';
import { cudaAvailable } from './runtime.js';

type Case = (...xs: Tensor[]) => Tensor;

const CASES: Record<string, Case> = {
  add: (a, b) => a.add(b!),
  add_alpha: (a, b) => a.add(b!, 2.5),
  add_scalar: (a) => a.add(1.5),
  sub: (a, b) => a.sub(b!),
  rsub: (a) => a.rsub(2),
  mul: (a, b) => a.mul(b!),
  mul_scalar: (a) => a.mul(-0.5),
  div: (a, b) => a.div(b!),
  div_scalar: (a) => a.div(4),
  pow_scalar: (a) => a.pow(3),
  pow_tensor: (a, b) => a.pow(b!),
  maximum: (a, b) => a.maximum(b!),
  minimum: (a, b) => a.minimum(b!),
  neg: (a) => a.neg(),
  abs: (a) => a.abs(),
  exp: (a) => a.exp(),
  log: (a) => a.log(),
  log10: (a) => a.log10(),
  sqrt: (a) => a.sqrt(),
  rsqrt: (a) => a.rsqrt(),
  reciprocal: (a) => a.reciprocal(),
  square: (a) => a.square(),
  clamp: (a) => a.clamp(-0.5, 0.5),
  clamp_min: (a) => a.clampMin(0.1),
  relu: (a) => a.relu(),
  leaky_relu: (a) => a.leakyRelu(0.2),
  sigmoid: (a) => a.sigmoid(),
  tanh: (a) => a.tanh(),
  gelu: (a) => a.gelu(),
  softmax: (a) => a.softmax(1),
  log_softmax: (a) => a.logSoftmax(-1),
  matmul: (a, b) => a.matmul(b!),
  mm: (a, b) => a.mm(b!),
  bmm: (a, b) => a.bmm(b!),
  sum_all: (a) => a.sum(),
  sum_dim: (a) => a.sum(1, true),
  sum_dims: (a) => a.sum([0, 2]),
  mean_all: (a) => a.mean(),
  mean_dims: (a) => a.mean([1, 2]),
  max_all: (a) => a.max(),
  amax: (a) => a.max(1),
  amin: (a) => a.min(0, true),
  var: (a) => a.var(1),
  var_biased: (a) => a.var(1, { correction: 0 }),
  std_all: (a) => a.std(),
  norm: (a) => a.norm(2, 1),
  norm_all: (a) => a.norm(),
  logsumexp: (a) => a.logsumexp(1),
  topk: (a) => a.topk(2, 1).values,
  sort: (a) => a.sort(1, true).values,
  cumsum: (a) => a.cumsum(1),
  reshape: (a) => a.reshape(4, 3),
  flatten: (a) => a.flatten(1),
  unsqueeze_squeeze: (a) => a.unsqueeze(1).squeeze(1),
  permute: (a) => a.permute(2, 0, 1),
  transpose: (a) => a.transpose(0, 2),
  expand: (a) => a.expand(3, 4),
  narrow: (a) => a.narrow(1, 1, 2),
  select: (a) => a.select(0, 1),
  slice: (a) => a.slice(1, 1, 4, 2),
  repeat: (a) => a.repeat(2, 3),
  flip: (a) => a.flip(1),
  index_select: (a, i) => a.indexSelect(0, i!),
  gather: (a, i) => a.gather(1, i!),
  index: (a, i) => a.index([i!]),
  cat: (a, b) => Tensor.cat([a, b!], 1),
  stack: (a, b) => Tensor.stack([a, b!], 0),
  where: (a, b) => a.where(a.gt(0), b!),
  masked_fill: (a) => a.maskedFill(a.gt(0.5), 0),
  linear: (x, w, b) => F.linear(x, w!, b),
  conv2d: (x, w, b) => F.conv2d(x, w!, b, { stride: 2, padding: 1 }),
  conv2d_groups: (x, w) => F.conv2d(x, w!, null, { padding: [1, 0], groups: 2, dilation: 2 }),
  conv3d: (x, w, b) => F.conv3d(x, w!, b, { stride: [1, 2, 2], padding: 1 }),
  conv_transpose2d: (x, w, b) => F.convTranspose2d(x, w!, b, { stride: 2, padding: 1, outputPadding: 1 }),
  conv_transpose3d: (x, w, b) => F.convTranspose3d(x, w!, b, { stride: [1, 2, 2], padding: 1, outputPadding: [0, 1, 1] }),
  batch_norm_train: (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
  batch_norm_eval: (x, m, v, w, b) => F.batchNorm(x, m!, v!, { weight: w, bias: b, training: false }),
  max_pool2d: (x) => F.maxPool2d(x, 2),
  max_pool2d_pad: (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }),
  avg_pool2d: (x) => F.avgPool2d(x, 2),
  interpolate_nearest: (x) => F.interpolate(x, { scaleFactor: 2, mode: 'nearest' }),
  interpolate_bilinear: (x) => F.interpolate(x, { size: [5, 7], mode: 'bilinear' }),
  mse_loss: (a, b) => F.mseLoss(a, b!),
  mse_loss_none: (a, b) => F.mseLoss(a, b!, 'none'),
  l1_loss: (a, b) => F.l1Loss(a, b!, 'sum'),
  triplet_margin_loss: (a, p, n) => F.tripletMarginLoss(a, p!, n!, { margin: 1 }),
  normalize: (a) => F.normalize(a, { dim: 1 }),
  cosine_similarity: (a, b) => F.cosineSimilarity(a, b!, 1),
  pad: (a) => F.pad(a, [1, 2, 0, 1], 0.5),
  cdist: (a, b) => F.cdist(a, b!),
};

const fixture = fileURLToPath(new URL('../../src/tensor/fixtures/ops.safetensors', import.meta.url));
const { tensors, metadata } = loadTensors(fixture);
const startLive = liveTensors();

test('the fixture and the TypeScript cases list the same ops', () => {
  assert.deepEqual(Object.keys(CASES).sort(), metadata.cases!.split(',').sort());
});

// On a machine with CUDA (a CUDA build of the addon), every case runs on the GPU too.
const DEVICES = cudaAvailable() ? (['cpu', 'cuda'] as const) : (['cpu'] as const);

for (const device of DEVICES) for (const [name, fn] of Object.entries(CASES)) {
  test(`${name}${device === 'cpu' ? '' : ` on ${device}`}: forward and backward match PyTorch`, () => {
    const before = liveTensors();
    tidy(() => {
      const inputs: Tensor[] = [];
      for (let i = 0; tensors.has(`${name}.in${i}`); i++) {
        const x = tensors.get(`${name}.in${i}`)!.to(device).clone();
        if (tensors.has(`${name}.grad${i}`)) x.requiresGrad_(true);
        inputs.push(x);
      }
      const out = fn(...inputs);
      assertClose(out, tensors.get(`${name}.out`)!, { name: `${name} output` });
      out.mul(tensors.get(`${name}.g`)!.to(device)).sum().backward();
      inputs.forEach((x, i) => {
        const expected = tensors.get(`${name}.grad${i}`);
        if (expected) assertClose(x.grad!, expected, { name: `${name} gradient of input ${i}` });
      });
    });
    assert.equal(liveTensors(), before, 'every tensor of the case was freed');
  });
}

test('the fixtures are freed and nothing leaked', () => {
  dispose(tensors);
  assert.equal(liveTensors(), startLive - tensors.size);
});
