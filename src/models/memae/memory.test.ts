// MemAE's memory read against the authors' formulation in PyTorch (scripts/fixtures/make_memae_fixtures.py):
// hard shrinkage, L1 re-normalisation, entropy, and gradients w.r.t. the feature map and the items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTensors } from '../../checkpoint/tensors.js';
import { liveTensors, tidy, dispose } from '../../tensor/memory.js';
import { assertClose } from '../../tensor/testing.js';
import { readFeatureMap, attentionEntropy, type Addressing } from './memory.js';

const { tensors, metadata } = loadTensors(fileURLToPath(new URL('../../../src/models/memae/fixtures/memory.safetensors', import.meta.url)));

for (const [name, spec] of Object.entries(metadata)) {
  const [shrink, addressing] = spec.split(':');
  test(`memory read ${name} (λ = ${shrink}, ${addressing}) matches PyTorch`, () => {
    const before = liveTensors();
    tidy(() => {
      const z = tensors.get(`${name}.z`)!.clone().requiresGrad_();
      const items = tensors.get(`${name}.items`)!.clone().requiresGrad_();
      const { output, attention } = readFeatureMap(z, items, { shrinkThreshold: Number(shrink), addressing: addressing as Addressing });
      const entropy = attentionEntropy(attention);
      assertClose(output, tensors.get(`${name}.out`)!, { name: 'output' });
      assertClose(attention, tensors.get(`${name}.attention`)!, { name: 'attention' });
      assertClose(entropy.reshape(1), tensors.get(`${name}.entropy`)!, { name: 'entropy' });
      output.mul(tensors.get(`${name}.g`)!).sum().add(entropy.mul(0.0002)).backward();
      assertClose(z.grad!, tensors.get(`${name}.grad_z`)!, { name: 'gradient w.r.t. z' });
      assertClose(items.grad!, tensors.get(`${name}.grad_items`)!, { name: 'gradient w.r.t. the items' });
    });
    assert.equal(liveTensors(), before);
  });
}

test('shrinkage makes the attention sparse and keeps it a distribution', () => {
  tidy(() => {
    const { attention } = readFeatureMap(tensors.get('dot_shrink.z')!, tensors.get('dot_shrink.items')!, { shrinkThreshold: 0.025, addressing: 'dot' });
    const sums = attention.sum(1).data('float64'); // the fixture is float64
    for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-9);
    const zeros = attention.eq(0).sum().item();
    assert.ok(zeros > attention.numel / 2, `most weights are shrunk to zero (${zeros} of ${attention.numel})`);
  });
});

test('fixtures freed', () => {
  dispose(tensors);
});
