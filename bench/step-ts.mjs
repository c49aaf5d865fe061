// The TypeScript side of `npm run bench:step` (see bench/step.mjs): the same MemAE-MNIST training step
// and small-op loop as bench/step_torch.py, timed the same way. Prints one JSON line.
import { parseArgs } from 'node:util';
import { MemAENet, memaeConfig } from '../dist/models/memae/index.js';
import { memaeLoss } from '../dist/models/memae/loss.js';
import { Adam } from '../dist/optim/adam.js';
import { rand } from '../dist/tensor/create.js';
import { tidy, liveTensors } from '../dist/tensor/memory.js';
import { noGrad } from '../dist/tensor/grad-mode.js';
import { manualSeed, setNumThreads, getNumThreads, libtorchVersion } from '../dist/tensor/runtime.js';

const { values } = parseArgs({ options: { threads: { type: 'string' }, steps: { type: 'string', default: '60' }, warmup: { type: 'string', default: '10' }, ops: { type: 'string', default: '100000' } } });
setNumThreads(Number(values.threads));
manualSeed(0);
const config = memaeConfig({ architecture: 'mnist', variant: 'memae', memorySize: 100, shrinkThreshold: 1 / 100 });
const model = new MemAENet(config);
model.train();
const optimizer = new Adam(model.parameters(), { lr: 1e-4 });
const x = rand([64, 1, 28, 28]);
const times = [];
let loss = NaN;
for (let i = 0; i < Number(values.warmup) + Number(values.steps); i++) {
  const t0 = performance.now();
  loss = tidy(() => {
    optimizer.zeroGrad();
    const { reconstruction, attention } = model.forward(x);
    const value = memaeLoss(x, reconstruction, attention, 0.0002);
    value.backward();
    optimizer.step();
    return value.item();
  });
  if (i >= Number(values.warmup)) times.push(performance.now() - t0);
}
const small = rand([4, 4]);
const opCount = Number(values.ops);
const opSeconds = noGrad(() => {
  for (let i = 0; i < 1000; i++) small.add(small).dispose();
  const t0 = performance.now();
  for (let i = 0; i < opCount; i++) small.add(small).dispose();
  return (performance.now() - t0) / 1000 / opCount;
});
times.sort((a, b) => a - b);
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
optimizer.dispose();
model.dispose();
x.dispose();
small.dispose();
console.log(JSON.stringify({
  libtorch: libtorchVersion(), threads: getNumThreads(), step_ms_median: median, step_ms_min: times[0], op_us: opSeconds * 1e6, loss,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024, live_tensors_after: liveTensors(), jemalloc: (process.env.LD_PRELOAD ?? '').includes('jemalloc'),
}));

