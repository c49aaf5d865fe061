// The TypeScript side of `npm run bench:mnad` (see bench/mnad.mjs): one MNAD training step (batch 4) and
// test-time scoring one frame at a time with a memory update after every frame, through the library's own
// pieces (MnadNet, mnadLoss, updateMemory, TestTimeScorer), timed like bench/mnad_torch.py. One JSON line.
import { parseArgs } from 'node:util';
import { MnadNet } from '../dist/models/mnad/model.js';
import { mnadLoss } from '../dist/models/mnad/loss.js';
import { updateMemory } from '../dist/models/mnad/memory.js';
import { TestTimeScorer } from '../dist/models/mnad/scorer.js';
import { Adam } from '../dist/optim/adam.js';
import { rand } from '../dist/tensor/create.js';
import { tidy, liveTensors } from '../dist/tensor/memory.js';
import { manualSeed, setNumThreads, setCudaFlags, libtorchVersion } from '../dist/tensor/runtime.js';
import { autocast } from '../dist/tensor/autocast.js';
import { peakRssMb, timed } from './timing.mjs';

const { values: a } = parseArgs({ options: {
  device: { type: 'string', default: 'cpu' }, size: { type: 'string', default: '256' }, variants: { type: 'string', default: 'pred,recon' },
  modes: { type: 'string', default: 'fp32' }, batch: { type: 'string', default: '4' }, repeats: { type: 'string', default: '10' }, threads: { type: 'string', default: '0' },
} });
if (Number(a.threads) > 0) setNumThreads(Number(a.threads));
const device = a.device;
const size = Number(a.size);
const batch = Number(a.batch);
const cuda = device.startsWith('cuda');
const lossOptions = { compactnessWeight: 0.1, separatenessWeight: 0.1, separatenessMargin: 1, featureLossReduction: 'mean' };

manualSeed(1);
const results = { libtorch: libtorchVersion(), device, size, parameters: {}, train: {}, score: {} };
for (const variant of a.variants.split(',')) {
  const channels = variant === 'pred' ? 12 : 3;
  for (const mode of a.modes.split(',')) {
    setCudaFlags({ benchmarkCudnn: cuda, allowTF32: mode === 'tf32' });
    const amp = (fn) => (mode === 'bf16' ? autocast(fn, { device: cuda ? 'cuda' : 'cpu', dtype: 'bfloat16' }) : fn());
    const key = `${variant}/${mode}`;
    const model = new MnadNet({ variant, channels: 3, featureDim: 512, memorySize: 10 }).to(device);
    const optimizer = new Adam(model.parameters(), { lr: 2e-4 });
    results.parameters[variant] = model.numParameters();
    const x = tidy(() => rand([batch, channels, size, size], { device }).mul(2).sub(1));
    const target = tidy(() => rand([batch, 3, size, size], { device }).mul(2).sub(1));
    // The training loop's step (src/models/mnad/train.ts); item() waits for the device, as the loop does.
    results.train[key] = timed(() => tidy(() => {
      optimizer.zeroGrad();
      const items = model.memory.items;
      const { value, queries } = amp(() => {
        const forward = model.forward(x);
        return { value: mnadLoss(forward.output, target, forward.queries, items, lossOptions).total, queries: forward.queries };
      });
      value.backward();
      optimizer.step();
      model.memory.set(updateMemory(queries.detach().to('float32'), items, 'all'));
      value.item();
    }), Number(a.repeats), 3) * 1e3;
    console.error(`typescript ${key} train step: ${results.train[key].toFixed(2)} ms`);

    model.eval();
    // Every frame updates the memory (threshold +∞): the slowest case of test-time scoring.
    const scorer = new TestTimeScorer(model, { device, precision: mode === 'bf16' ? 'bf16' : 'fp32', testUpdate: true, updateThreshold: Infinity, updateNormalization: 'all' });
    const frame = x.narrow(0, 0, 1);
    const frameTarget = target.narrow(0, 0, 1);
    results.score[key] = timed(() => scorer.score(frame, frameTarget), Number(a.repeats), 3) * 1e3;
    console.error(`typescript ${key} score: ${results.score[key].toFixed(2)} ms per frame`);
    for (const t of [scorer, frame, frameTarget, x, target, optimizer, model]) t.dispose();
  }
}
results.liveTensorsAfter = liveTensors();
results.peak_rss_mb = peakRssMb();
console.log(JSON.stringify(results));
