// The messages layers give for bad constructor arguments and bad inputs, pinned word for word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn } from '../tensor/create.js';
import { liveTensors, tidy } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { LeakyReLU, ReLU } from './activation.js';
import { BatchNorm1d, BatchNorm2d } from './batchnorm.js';
import { ModuleList, Sequential } from './container.js';
import { Conv2d, Conv3d } from './conv.js';
import { ConvTranspose2d } from './conv-transpose.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { MaxPool2d } from './pooling.js';
import { Upsample } from './upsample.js';

const startLive = liveTensors();

const CONSTRUCTORS: [string, () => unknown, string][] = [
  ['inChannels 0', () => new Conv2d(0, 4, 3), 'Expected a positive integer for Conv2d inChannels but received 0 of type number.'],
  ['fractional outFeatures', () => new Linear(3, 2.5), 'Expected a positive integer for Linear outFeatures but received 2.5 of type number.'],
  ['kernel of the wrong length', () => new Conv3d(1, 1, [3, 3]), 'Expected a positive integer or an array of 3 positive integers for Conv3d kernelSize but received an array of length 2.'],
  ['negative padding', () => new Conv2d(1, 1, 3, { padding: -1 }), 'Expected a non-negative integer or an array of 2 non-negative integers for Conv2d padding but received -1 of type number.'],
  ['groups that do not divide', () => new Conv2d(4, 6, 3, { groups: 4 }), 'Expected a divisor of inChannels (4) and outChannels (6) for Conv2d groups but received 4 of type number.'],
  ['outputPadding too large', () => new ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 }), 'Expected values smaller than stride [2, 2] or dilation [1, 1] in each dim for ConvTranspose2d outputPadding but received 2 of type number.'],
  ['outputPadding on a plain conv', () => new Conv2d(2, 2, 3, { outputPadding: 1 } as object), "Unknown option 'outputPadding' for Conv2d. Known options: stride, padding, dilation, groups, bias."],
  ['a mistyped option', () => new Conv2d(2, 2, 3, { strides: 2 } as object), "Unknown option 'strides' for Conv2d. Did you mean 'stride'? Known options: stride, padding, dilation, groups, bias."],
  ['bias as a string', () => new Linear(2, 2, { bias: 'no' as unknown as boolean }), "Expected true or false for Linear bias but received 'no' of type string."],
  ['momentum above 1', () => new BatchNorm2d(3, { momentum: 2 }), 'Expected a number between 0 and 1 for BatchNorm2d momentum but received 2 of type number.'],
  ['eps of 0', () => new BatchNorm1d(3, { eps: 0 }), 'Expected a positive number for BatchNorm1d eps but received 0 of type number.'],
  ['dropout p of 1.5', () => new Dropout(1.5), 'Expected a number between 0 and 1 for Dropout p but received 1.5 of type number.'],
  ['a slope that is not a number', () => new LeakyReLU(NaN), 'Expected a finite number for LeakyReLU negativeSlope but received NaN of type number.'],
  ['pool padding over half the kernel', () => new MaxPool2d(2, { padding: 2 }), 'Expected at most half the kernel size [2, 2] for MaxPool2d padding but received 2 of type number.'],
  ['upsample with size and scale', () => new Upsample({ size: [4, 4], scaleFactor: 2 }), 'Upsample needs exactly one of size or scaleFactor, e.g. new Upsample({ scaleFactor: 2 }).'],
  ['upsample with a bad scale', () => new Upsample({ scaleFactor: [2, 0] }), 'Expected a positive number or an array of 2 positive numbers for Upsample scaleFactor but received an array of length 2.'],
  ['upsample with an unknown mode', () => new Upsample({ scaleFactor: 2, mode: 'bicubic' as 'bilinear' }), "Expected 'nearest' or 'bilinear' for Upsample mode but received 'bicubic' of type string."],
  ['alignCorners with nearest', () => new Upsample({ scaleFactor: 2, alignCorners: true }), "Upsample alignCorners only applies to mode 'bilinear'. Remove it, or set mode: 'bilinear'."],
  ['an array given to Sequential', () => new Sequential([new ReLU()] as unknown as Module), 'Expected a Module for Sequential item 0 but received an array of length 1. Spread an array of layers: new Sequential(...layers).'],
];

for (const [what, make, message] of CONSTRUCTORS) {
  test(`constructor: ${what}`, () => {
    const before = liveTensors();
    assert.throws(make, { name: 'NormalityError', code: 'INVALID_ARGUMENT', message });
    assert.equal(liveTensors(), before, 'a refused constructor allocates nothing');
  });
}

const INPUTS: [string, () => Module, number[], string][] = [
  ['Conv2d without a batch dim', () => new Conv2d(3, 4, 3), [3, 28, 28], 'Conv2d expects a 4-D input (N, C, H, W) but received shape [3, 28, 28]. Add a batch dimension with x.unsqueeze(0).'],
  ['Conv3d given an image batch', () => new Conv3d(1, 4, 3), [2, 1, 8, 8], 'Conv3d expects a 5-D input (N, C, T, H, W) but received shape [2, 1, 8, 8]. Add a batch dimension with x.unsqueeze(0).'],
  ['Conv2d with the wrong channels', () => new Conv2d(3, 4, 3), [2, 1, 8, 8], 'Conv2d was built with inChannels = 3 and expects 3 in dim 1 of its input, but received shape [2, 1, 8, 8].'],
  ['ConvTranspose2d with the wrong channels', () => new ConvTranspose2d(8, 4, 3), [1, 4, 3, 3], 'ConvTranspose2d was built with inChannels = 8 and expects 8 in dim 1 of its input, but received shape [1, 4, 3, 3].'],
  ['Linear with the wrong features', () => new Linear(10, 2), [4, 5], 'Linear was built with inFeatures = 10 and expects 10 in the last dim of its input, but received shape [4, 5].'],
  ['BatchNorm1d given a 4-D input', () => new BatchNorm1d(3), [2, 3, 4, 4], 'BatchNorm1d expects a 2-D or 3-D input (N, C) or (N, C, L) but received shape [2, 3, 4, 4].'],
  ['BatchNorm2d with one value per channel', () => new BatchNorm2d(3), [1, 3, 1, 1], 'BatchNorm2d needs more than 1 value per channel to compute batch statistics but received shape [1, 3, 1, 1]. Use a batch of 2 or more, or call eval() to use the running statistics.'],
  ['MaxPool2d without a batch dim', () => new MaxPool2d(2), [3, 4, 4], 'MaxPool2d expects a 4-D input (N, C, H, W) but received shape [3, 4, 4]. Add a batch dimension with x.unsqueeze(0).'],
];

for (const [what, make, shape, message] of INPUTS) {
  test(`forward: ${what}`, () => {
    const before = liveTensors();
    const layer = make();
    tidy(() => assert.throws(() => layer.forward(randn(shape)), { name: 'NormalityError', code: 'SHAPE_MISMATCH', message }));
    layer.dispose();
    assert.equal(liveTensors(), before);
  });
}

test('forward: something that is not a tensor', () => {
  assert.throws(() => new ReLU().forward([1, 2] as unknown as Tensor), { message: 'Expected a Tensor for ReLU input but received an array of length 2.' });
});

test('containers: indexes out of range and ModuleList.forward', () => {
  const before = liveTensors();
  const seq = new Sequential(new ReLU(), new Linear(2, 2));
  const list = new ModuleList([new ReLU()]);
  assert.ok(seq.at(-1) instanceof Linear);
  assert.equal(seq.length, 2);
  assert.throws(() => seq.at(2), { message: 'Expected an integer in [-2, 1] for Sequential index but received 2 of type number.' });
  assert.throws(() => list.forward(), {
    message: 'ModuleList has no forward(): iterate over it in the forward() of the module that holds it, or use Sequential to chain the layers.',
  });
  list.push(new Linear(1, 1));
  assert.deepEqual(list.namedChildren().map(([k]) => k), ['0', '1']);
  seq.dispose();
  list.dispose();
  assert.equal(liveTensors(), before);
});

test('nothing leaked', () => {
  assert.equal(liveTensors(), startLive);
});
