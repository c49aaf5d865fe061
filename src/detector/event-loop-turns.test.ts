// Turns of the event loop in long synchronous work: after every N items, or sooner when an item is slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoopTurns } from './event-loop-turns.js';
import { MemAEDetector } from '../models/memae/index.js';
import { liveTensors } from '../tensor/memory.js';

test('a turn after every 16 fast items, and after each item slower than the interval', async () => {
  const turns = new EventLoopTurns(16, 20);
  const fast: boolean[] = [];
  for (let i = 0; i < 32; i++) fast.push(turns.due());
  assert.deepEqual(fast.flatMap((turn, i) => (turn ? [i] : [])), [15, 31]);
  await turns.take();
  const busyUntil = performance.now() + 25;
  while (performance.now() < busyUntil); // one slow item
  assert.equal(turns.due(), true);
});

test('a timer gets its turn while fit steps: an abort from setTimeout stops training within its first epoch', async () => {
  const before = liveTensors();
  // MNIST-sized images, 10 steps an epoch: every step is slower than 1 ms, and without a timed turn fit would
  // let the timer in only after 16 steps (epoch 2).
  const images = { x: Float32Array.from({ length: 160 * 784 }, (_, i) => (Math.sin(i) + 1) / 2), shape: [160, 1, 28, 28] };
  const detector = new MemAEDetector({ epochs: 5, batchSize: 16, seed: 1 });
  const controller = new AbortController();
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 1);
  setTimeout(() => controller.abort(), 1);
  try {
    await assert.rejects(detector.fit(images, { signal: controller.signal }), { code: 'ABORTED', message: /^training stopped at epoch 1, step \d+: aborted/ });
    assert.ok(ticks > 0, 'the interval ran meanwhile');
  } finally {
    clearInterval(ticker);
    detector.dispose();
  }
  assert.equal(liveTensors(), before);
});
