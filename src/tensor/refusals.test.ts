// Bad input to the low-level API that libtorch would have taken silently, or half-applied: refused up front,
// by name, with nothing changed and no tensor left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ones, zeros } from './create.js';
import * as F from './functional.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { liveTensors, tidy } from './memory.js';
import { Linear } from '../nn/linear.js';
import { SGD } from '../optim/sgd.js';

test('an async function given to tidy is refused, and the tensors it made before its first await are freed', () => {
  const before = liveTensors();
  assert.throws(() => tidy((async () => {
    zeros([2]);
    return ones([2]);
  }) as unknown as () => unknown), { code: 'INVALID_ARGUMENT', message: /^tidy\(fn\) needs a synchronous function/ });
  assert.equal(liveTensors(), before);
  assert.throws(() => noGrad(5 as unknown as () => void), { code: 'INVALID_ARGUMENT', message: /^Expected a function to run without recording gradients for noGrad\(fn\) but received 5/ });
  assert.throws(() => enableGrad(null as unknown as () => void), { code: 'INVALID_ARGUMENT' });
});

test('Module.to with a dtype that is not floating point is refused before any parameter changes', () => {
  const layer = new Linear(3, 4);
  try {
    assert.throws(() => layer.to('int64'), { code: 'INVALID_ARGUMENT', message: /^Expected a floating-point dtype .* for dtype but received 'int64'/ });
    assert.deepEqual([layer.weight.dtype, layer.bias!.dtype, layer.weight.requiresGrad], ['float32', 'float32', true]);
  } finally {
    layer.dispose();
  }
});

test('F: an unsupported interpolation mode, losses of two shapes and batch statistics of one value per channel are refused', () => {
  const before = liveTensors();
  tidy(() => {
    const image = zeros([1, 1, 4, 4]);
    assert.throws(() => F.interpolate(image, { size: [3, 3], mode: 'cubic' as 'bilinear' }), { code: 'INVALID_ARGUMENT', message: /for interpolate mode but received 'cubic'/ });
    assert.throws(() => F.interpolate(zeros([4, 4]), { size: [8, 8] }), { code: 'SHAPE_MISMATCH', message: /^interpolate resizes \(N, C, H, W\) input but received shape \[4, 4\]/ });
    // (3, 1) against (3,) would broadcast to a 3×3 grid of every pair.
    assert.throws(() => F.mseLoss(zeros([3, 1]), ones([3])), { code: 'SHAPE_MISMATCH', message: /^mseLoss compares input and target of one shape but received \[3, 1\] and \[3\]/ });
    assert.throws(() => F.l1Loss(zeros([3, 1]), ones([3])), { code: 'SHAPE_MISMATCH' });
    assert.equal(F.mseLoss(zeros([3]), ones([3])).item(), 1);
    assert.throws(() => F.batchNorm(zeros([1, 3]), null, null, { training: true }), { code: 'SHAPE_MISMATCH', message: /more than 1 value per channel/ });
    // A kernel of 0 is named as such: the stride defaults to it, and libtorch would blame the stride.
    assert.throws(() => F.maxPool2d(image, 0), { code: 'INVALID_ARGUMENT', message: /^Expected a positive integer, or a list of them for maxPool2d kernelSize but received 0/ });
    assert.throws(() => F.avgPool3d(zeros([1, 1, 2, 2, 2]), [1, -1, 1]), { code: 'INVALID_ARGUMENT', message: /for avgPool3d kernelSize but received an array of length 3/ });
  });
  assert.equal(liveTensors(), before);
});

test('a gradient of another shape or dtype is refused when set, not at the next backward or step', () => {
  const before = liveTensors();
  tidy(() => {
    const x = zeros([3]);
    assert.throws(() => { x.grad = ones([5]); }, { code: 'INVALID_ARGUMENT', message: /^Expected a tensor of this tensor's shape \[3\], dtype float32 and device cpu for grad but received shape \[5\], dtype float32, device cpu/ });
    assert.throws(() => { x.grad = zeros([3], { dtype: 'int64' }); }, { code: 'INVALID_ARGUMENT' });
    x.grad = ones([3]);
    assert.deepEqual(x.grad!.toArray(), [1, 1, 1]);
    x.grad = null;
  });
  assert.equal(liveTensors(), before);
});

test('an optimizer step with a freed parameter in a later group changes no parameter', () => {
  const before = liveTensors();
  const [a, b] = [new Linear(2, 1), new Linear(2, 1)];
  const optimizer = new SGD([{ params: a.parameters() }, { params: b.parameters() }], { lr: 0.1 });
  try {
    for (const p of a.parameters()) {
      const gradient = ones(p.shape);
      p.grad = gradient; // the parameter holds it now
      gradient.dispose();
    }
    const weight = a.weight.toArray();
    b.dispose();
    assert.throws(() => optimizer.step(), { code: 'DISPOSED', message: /^SGD paramGroups\[1\]\.params\[0\] was disposed, so step\(\) changed no parameter/ });
    assert.deepEqual(a.weight.toArray(), weight);
  } finally {
    optimizer.dispose();
    a.dispose();
  }
  assert.equal(liveTensors(), before);
});
