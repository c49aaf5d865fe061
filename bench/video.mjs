#!/usr/bin/env node
// `npm run bench:video`: MemAE-3D inference throughput (clips/s at batch 1, 16, 64) and one training step
// (batch 10, Adam), in TypeScript and in PyTorch in the same run, for fp32, TF32 and bf16 on CUDA.
// On a machine without a GPU it runs fp32 on the CPU at a small frame size (BENCH_VIDEO_SIZE, default 32).
// Both sides run with NORMALITY_THREADS intra-op threads (default: every core).
// Set PYTHON to a Python whose torch matches the libtorch the addon was built against.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const python = process.env.PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch; print(int(torch.cuda.is_available()))'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(`PyTorch is not importable from ${python}: install python3-torch or set PYTHON.`);
  process.exit(1);
}
const cuda = probe.stdout.trim() === '1' && process.env.BENCH_DEVICE !== 'cpu';
// Both sides get the same thread count: left alone, PyTorch and the addon's libtorch may pick different
// defaults (on a 2-vCPU VM, Debian's python3-torch took 1 thread and the addon 2).
const threads = Number(process.env.NORMALITY_THREADS) || availableParallelism();
const device = cuda ? 'cuda' : 'cpu';
// BENCH_VIDEO_CHANNELS_LAST=1: both sides keep weights and clips in the channels_last_3d layout.
const layoutArgs = process.env.BENCH_VIDEO_CHANNELS_LAST === '1' ? ['--channels-last'] : [];
const args = cuda
  ? ['--device', 'cuda', '--size', process.env.BENCH_VIDEO_SIZE ?? '256', '--modes', process.env.BENCH_VIDEO_MODES ?? 'fp32,tf32,bf16',
    '--batches', process.env.BENCH_VIDEO_BATCHES ?? '1,16,64', '--train-batch', '10', '--repeats', process.env.BENCH_VIDEO_REPEATS ?? '20']
  : ['--device', 'cpu', '--size', process.env.BENCH_VIDEO_SIZE ?? '32', '--modes', 'fp32', '--batches', '1,16', '--train-batch', '10', '--repeats', '10'];
args.push('--threads', String(threads));

function run(label, command, scriptArgs) {
  // stderr passes through: each side reports every measurement as it is taken.
  const result = spawnSync(command, scriptArgs, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    console.error(`${label} failed (exit ${result.status ?? result.signal}); its messages are above.`);
    process.exit(1);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

console.log(`MemAE-3D (1×16×S×S clips, memory 2000×256) on ${device}; ${[...args, ...layoutArgs].join(' ')}`);
const torch = run('pytorch', python, ['bench/video_torch.py', ...args, ...layoutArgs]);
const ts = run('typescript', process.execPath, ['bench/video-ts.mjs', ...args, ...layoutArgs]);
const inferRatios = [];
console.log('inference clips/s       pytorch   typescript   ts/pytorch (time)');
for (const [key, clipsPerSecond] of Object.entries(torch.infer)) {
  const ours = ts.infer[key];
  if (typeof ours !== 'number') {
    console.log(`${key.padEnd(20)} ${clipsPerSecond.toFixed(1).padStart(10)}   ${String(ours ?? 'n/a')}`);
    continue;
  }
  const ratio = clipsPerSecond / ours;
  inferRatios.push(ratio);
  console.log(`${key.padEnd(20)} ${clipsPerSecond.toFixed(1).padStart(10)} ${ours.toFixed(1).padStart(12)} ${ratio.toFixed(3).padStart(12)}`);
}
const trainRatios = [];
console.log('training step ms        pytorch   typescript   ts/pytorch');
for (const [mode, ms] of Object.entries(torch.train)) {
  const ours = ts.train[mode];
  if (typeof ours !== 'number') continue;
  trainRatios.push(ours / ms);
  console.log(`${mode.padEnd(20)} ${ms.toFixed(2).padStart(10)} ${ours.toFixed(2).padStart(12)} ${(ours / ms).toFixed(3).padStart(12)}`);
}
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
console.log(`video infer ratio ts/pytorch: ${geomean(inferRatios).toFixed(3)}`);
console.log(`video train ratio ts/pytorch: ${geomean(trainRatios).toFixed(3)}`);
