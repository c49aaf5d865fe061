#!/usr/bin/env node
// `npm run bench:video`: MemAE-3D inference throughput (clips/s at batch 1, 16, 64) and one training step
// (batch 10, Adam), in TypeScript and in PyTorch in the same run, for fp32, TF32 and bf16 on CUDA.
// On a machine without a GPU it runs fp32 on the CPU at a small frame size (BENCH_VIDEO_SIZE, default 32).
// Both sides run with NORMALITY_THREADS intra-op threads (default: every core).
// Set PYTHON to a Python whose torch matches the libtorch the addon was built against.
import { benchThreads, compareSides, pytorchSide, sameBlasThreads } from './side-by-side.mjs';

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

console.log(`MemAE-3D (1×16×S×S clips, memory 2000×256) on ${device}; ${[...args, ...layoutArgs].join(' ')}; OpenBLAS threads ${sameBlasThreads()}`);
compareSides('video', python, { pytorch: 'bench/video_torch.py', typescript: 'bench/video-ts.mjs' }, [...args, ...layoutArgs], [
  ['inference clips/s', 'infer', 'infer', true],
  ['training step ms', 'train', 'train', false],
]);
