// MemAE's image network with and without the sigmoid output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemAENet } from './model.js';
import { memaeConfig } from './config.js';
import { rand } from '../../tensor/create.js';
import { liveTensors, tidy } from '../../tensor/memory.js';
import { manualSeed } from '../../tensor/runtime.js';

test('a sigmoid output adds no weights and squashes the plain output into (0, 1)', () => {
  const before = liveTensors();
  manualSeed(0);
  // Training mode: BatchNorm's batch statistics spread the untrained plain output well beyond [0, 1].
  const plain = new MemAENet(memaeConfig({ outputActivation: 'none' }));
  const squashed = new MemAENet(memaeConfig({ outputActivation: 'sigmoid' }));
  assert.deepEqual([...squashed.stateDict().keys()], [...plain.stateDict().keys()]);
  squashed.loadStateDict(plain.stateDict());
  tidy(() => {
    const x = rand([4, 1, 28, 28]);
    const linear = plain.forward(x).reconstruction;
    const out = squashed.forward(x).reconstruction;
    assert.ok(out.min().item() > 0 && out.max().item() < 1, 'every output pixel lies in (0, 1)');
    assert.ok(linear.min().item() < 0 || linear.max().item() > 1, 'the plain output leaves [0, 1], so the check above can fail');
    assert.ok(out.sub(linear.sigmoid()).abs().max().item() < 1e-6, 'the output is the sigmoid of the plain output');
  });
  plain.dispose();
  squashed.dispose();
  assert.equal(liveTensors(), before);
});

test('an unknown output activation is refused, naming the choices', () => {
  assert.throws(() => memaeConfig({ outputActivation: 'tanh' as never }), /'none' or 'sigmoid' for outputActivation/);
});
