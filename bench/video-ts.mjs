// The TypeScript side of `npm run bench:video` (see bench/video.mjs): MemAE-3D inference throughput at
// several batch sizes and one Adam training step, timed like bench/video_torch.py. Prints one JSON line.
import { parseArgs } from 'node:util';
import { MemAE3DNet } from '../dist/models/memae/video-model.js';
import { memaeLoss } from '../dist/models/memae/loss.js';
import { clipError } from '../dist/models/memae/score.js';
import { Adam } from '../dist/optim/adam.js';
import { rand } from '../dist/tensor/create.js';
import { tidy, liveTensors } from '../dist/tensor/memory.js';
import { noGrad } from '../dist/tensor/grad-mode.js';
import { manualSeed, setNumThreads, setCudaFlags, libtorchVersion } from '../dist/tensor/runtime.js';
import { autocast } from '../dist/tensor/autocast.js';
import { peakRssMb, timed } from './timing.mjs';

const { values: a } = parseArgs({ options: {
  device: { type: 'string', default: 'cpu' }, size: { type: 'string', default: '256' }, modes: { type: 'string', default: 'fp32' },
  batches: { type: 'string', default: '1,16,64' }, 'train-batch': { type: 'string', default: '10' }, repeats: { type: 'string', default: '10' }, threads: { type: 'string', default: '0' }, 'channels-last': { type: 'boolean', default: false },
} });
if (Number(a.threads) > 0) setNumThreads(Number(a.threads));
const device = a.device;
const size = Number(a.size);
const cuda = device.startsWith('cuda');
// A device round trip: on CUDA, reading one value waits for every queued kernel.
const sync = (t) => { if (cuda) t.sum().to('cpu').item(); };

manualSeed(1);
const results = { libtorch: libtorchVersion(), device, size, infer: {}, train: {} };
for (const mode of a.modes.split(',')) {
  setCudaFlags({ benchmarkCudnn: cuda, allowTF32: mode === 'tf32' });
  // bf16 as PyTorch's torch.autocast: float32 weights, bfloat16 convolutions and matmuls.
  const amp = (fn) => (mode === 'bf16' ? autocast(fn, { device: cuda ? 'cuda' : 'cpu', dtype: 'bfloat16' }) : fn());
  const model = new MemAE3DNet({ variant: 'memae', memorySize: 2000, shrinkThreshold: 0.0025, addressing: 'dot', channels: 1 }).to({ device, ...(a['channels-last'] ? { memoryFormat: 'channels_last_3d' } : {}) });
  results.parameters = { 'memae-3d': model.numParameters() };
  const layout = a['channels-last'] ? 3 : 0; // torch.channels_last_3d / contiguous_format
  model.eval();
  for (const b of a.batches.split(',').map(Number)) {
    const x = tidy(() => rand([b, 1, 16, size, size], { device }).mul(2).sub(1).contiguous(layout));
    const seconds = timed(() => noGrad(() => tidy(() => sync(amp(() => clipError(x, model.forward(x).reconstruction.float()))))), Number(a.repeats), 3);
    results.infer[`${mode}/${b}`] = b / seconds;
    console.error(`typescript ${mode} batch ${b}: ${(b / seconds).toFixed(1)} clips/s`);
    x.dispose();
  }
  model.train();
  const optimizer = new Adam(model.parameters(), { lr: 1e-4 });
  const x = tidy(() => rand([Number(a['train-batch']), 1, 16, size, size], { device }).mul(2).sub(1).contiguous(layout));
  results.train[mode] = timed(() => tidy(() => {
    optimizer.zeroGrad();
    const loss = amp(() => {
      const { reconstruction, attention } = model.forward(x);
      return memaeLoss(x, reconstruction.float(), attention, 0.0002);
    });
    loss.backward();
    optimizer.step();
    sync(loss);
  }), Number(a.repeats), 3) * 1e3;
  console.error(`typescript ${mode} train step: ${results.train[mode].toFixed(2)} ms`);
  optimizer.dispose();
  model.dispose();
  x.dispose();
}
results.liveTensorsAfter = liveTensors();
results.peak_rss_mb = peakRssMb();
console.log(JSON.stringify(results));
