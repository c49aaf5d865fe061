// MNAD's network: output shapes of both variants and state-dict keys laid out like the authors' modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn } from '../../tensor/create.js';
import { liveTensors, noGrad, tidy } from '../../tensor/index.js';
import { MnadNet } from './model.js';

const encoderKeys = (prefix: string) => [`${prefix}.0.weight`, `${prefix}.0.bias`, `${prefix}.1.weight`, `${prefix}.1.bias`, `${prefix}.1.running_mean`, `${prefix}.1.running_var`, `${prefix}.1.num_batches_tracked`];

for (const variant of ['pred', 'recon'] as const) {
  test(`${variant}: 32×32 frames give a (B, 3, 32, 32) frame in (−1, 1) and queries (B·4·4, 512)`, () => {
    const before = liveTensors();
    const net = new MnadNet({ variant, channels: 3, featureDim: 512, memorySize: 10 });
    net.eval();
    noGrad(() => tidy(() => {
      const { output, queries } = net.forward(randn([2, variant === 'pred' ? 12 : 3, 32, 32]));
      assert.deepEqual(output.shape, [2, 3, 32, 32]);
      assert.deepEqual(queries.shape, [2 * 4 * 4, 512]);
      assert.ok(output.abs().max().item() < 1, 'tanh output');
      const norms = queries.norm(2, 1);
      assert.ok(norms.sub(1).abs().max().item() < 1e-5, 'queries are unit vectors');
    }));
    net.dispose();
    assert.equal(liveTensors(), before);
  });
}

test('state-dict keys follow the authors\' module names, with the memory items at memory.items', () => {
  const pred = new MnadNet({ variant: 'pred', channels: 3, featureDim: 512, memorySize: 10 });
  const recon = new MnadNet({ variant: 'recon', channels: 3, featureDim: 512, memorySize: 10 });
  try {
    const keys = [...pred.stateDict().keys()];
    for (const key of [
      ...encoderKeys('encoder.moduleConv1'), 'encoder.moduleConv1.3.weight', 'encoder.moduleConv1.4.num_batches_tracked',
      'encoder.moduleConv4.3.weight', 'encoder.moduleConv4.3.bias', 'encoder.moduleBatchNorm.weight', 'encoder.moduleBatchNorm.running_var',
      ...encoderKeys('decoder.moduleConv'), 'decoder.moduleUpsample4.0.weight', 'decoder.moduleUpsample4.1.running_mean',
      'decoder.moduleDeconv3.3.weight', 'decoder.moduleUpsample2.0.bias', 'decoder.moduleDeconv1.6.weight', 'decoder.moduleDeconv1.6.bias',
      'memory.items',
    ]) assert.ok(keys.includes(key), `has ${key}`);
    assert.equal(keys.filter((k) => k.startsWith('encoder.moduleConv4.')).length, 2 + 5 + 2, 'the last stage ends in a conv without BN');
    assert.ok(!keys.some((k) => k.startsWith('encoder.moduleConv4.4')));
    assert.equal(keys.length, 56 + 79 + 1, "encoder 56, decoder 79 (as the authors' state dict) and the memory");
    const shapes = pred.stateDict();
    assert.deepEqual(shapes.get('encoder.moduleConv1.0.weight')!.shape, [64, 12, 3, 3]);
    assert.deepEqual(shapes.get('decoder.moduleConv.0.weight')!.shape, [512, 1024, 3, 3]);
    assert.deepEqual(shapes.get('decoder.moduleUpsample4.0.weight')!.shape, [512, 256, 3, 3]);
    assert.deepEqual(shapes.get('decoder.moduleDeconv1.0.weight')!.shape, [64, 128, 3, 3]);
    assert.deepEqual(shapes.get('decoder.moduleDeconv1.6.weight')!.shape, [3, 64, 3, 3]);
    assert.deepEqual(shapes.get('memory.items')!.shape, [10, 512]);
    const r = recon.stateDict();
    assert.deepEqual([...r.keys()], keys, 'both variants have the same keys');
    assert.deepEqual(r.get('encoder.moduleConv1.0.weight')!.shape, [64, 3, 3, 3]);
    assert.deepEqual(r.get('decoder.moduleUpsample4.0.weight')!.shape, [512, 512, 3, 3]);
    assert.deepEqual(r.get('decoder.moduleUpsample2.0.weight')!.shape, [128, 128, 3, 3]);
    const items = pred.memory.items;
    assert.ok(items.norm(2, 1).sub(1).abs().max().item() < 1e-5, 'initial items are unit vectors');
    assert.ok(items.min().item() >= 0, 'initialised from U[0, 1) like the authors\' code');
    assert.ok(!pred.parameters().includes(items as never), 'the memory is a buffer, not a parameter');
  } finally {
    pred.dispose();
    recon.dispose();
  }
});

test('a wrong input shape names the expected and received shapes', () => {
  const net = new MnadNet({ variant: 'pred', channels: 3, featureDim: 16, memorySize: 4 });
  try {
    tidy(() => {
      assert.throws(() => net.forward(randn([1, 3, 32, 32])), /MnadNet expects input \(B, 12, H, W\) with H and W multiples of 8 but received \[1, 3, 32, 32\]/);
      assert.throws(() => net.forward(randn([1, 12, 30, 32])), /received \[1, 12, 30, 32\]/);
    });
  } finally {
    net.dispose();
  }
});
