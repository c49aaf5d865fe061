#!/usr/bin/env node
// `npm run bench:video`: MemAE-3D inference throughput (clips/s at batch 1, 16, 64) and one training step
// (batch 10, Adam), in TypeScript and in PyTorch in the same run, for fp32, TF32 and bf16 on CUDA.
// On a machine without a GPU it runs fp32 on the CPU at a small frame size (BENCH_VIDEO_SIZE, default 32).
// Both sides run with NORMALITY_THREADS intra-op threads (default: every core).
// Set PYTHON to a Python whose torch matches the libtorch the addon was built against.
import { asTheCliRuns, benchThreads, checkSameNetworks, geomean, peakMemoryRatio, pytorchSide, ratioTable, runSide } from './side-by-side.mjs';

const { python, cuda } = pytorchSide();
const threads = benchThreads();
const device = cuda ? 'cuda' : 'cpu';
// BENCH_VIDEO_CHANNELS_LAST=1: both sides keep weights and clips in the channels_last_3d layout.
const layoutArgs = process.env.BENCH_VIDEO_CHANNELS_LAST === '1' ? ['--channels-last'] : [];
const args = cuda
  ? ['--device', 'cuda', '--size', process.env.BENCH_VIDEO_SIZE ?? '256', '--modes', process.env.BENCH_VIDEO_MODES ?? 'fp32,tf32,bf16',
    '--batches', process.env.BENCH_VIDEO_BATCHES ?? '1,16,64', '--train-batch', '10', '--repeats', process.env.BENCH_VIDEO_REPEATS ?? '20']
  : ['--device', 'cpu', '--size', process.env.BENCH_VIDEO_SIZE ?? '32', '--modes', 'fp32', '--batches', '1,16', '--train-batch', '10', '--repeats', '10'];
args.push('--threads', String(threads));

console.log(`MemAE-3D (1×16×S×S clips, memory 2000×256) on ${device}; ${[...args, ...layoutArgs].join(' ')}`);
const torch = runSide('pytorch', python, ['bench/video_torch.py', ...args, ...layoutArgs]);
const ts = runSide('typescript', process.execPath, ['bench/video-ts.mjs', ...args, ...layoutArgs], asTheCliRuns());
checkSameNetworks(torch.parameters, ts.parameters);
const inferRatios = ratioTable('inference clips/s', torch.infer, ts.infer, true);
const trainRatios = ratioTable('training step ms', torch.train, ts.train);
const memoryRatio = peakMemoryRatio(torch, ts);
if (ts.liveTensorsAfter !== 0) console.log(`typescript left ${ts.liveTensorsAfter} tensors alive`);
console.log(`video infer ratio ts/pytorch: ${geomean(inferRatios).toFixed(3)}`);
console.log(`video train ratio ts/pytorch: ${geomean(trainRatios).toFixed(3)}`);
console.log(`video peak RSS ts/pytorch: ${memoryRatio.toFixed(3)}`);
