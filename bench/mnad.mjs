#!/usr/bin/env node
// `npm run bench:mnad`: MNAD (both variants) — one training step (batch 4, Adam, memory update) and test-time
// scoring one frame at a time with a memory update after every frame — in TypeScript and in PyTorch
// (bench/mnad_torch.py, MNAD written from SPEC §2) in the same run, for fp32, TF32 and bf16 on CUDA.
// On a machine without a GPU it runs fp32 on the CPU at a small frame size (BENCH_MNAD_SIZE, default 64).
// Both sides run with NORMALITY_THREADS intra-op threads (default: every core).
import { benchThreads, compareSides, pytorchSide, sameBlasThreads } from './side-by-side.mjs';

const { python, cuda } = pytorchSide();
const args = cuda
  ? ['--device', 'cuda', '--size', process.env.BENCH_MNAD_SIZE ?? '256', '--modes', process.env.BENCH_MNAD_MODES ?? 'fp32,tf32,bf16', '--repeats', '20']
  : ['--device', 'cpu', '--size', process.env.BENCH_MNAD_SIZE ?? '64', '--modes', 'fp32', '--repeats', '10'];
args.push('--variants', process.env.BENCH_MNAD_VARIANTS ?? 'pred,recon', '--threads', String(benchThreads()));

console.log(`MNAD (memory 10×512) on ${cuda ? 'cuda' : 'cpu'}; ${args.join(' ')}; OpenBLAS threads ${sameBlasThreads()}`);
compareSides('mnad', python, { pytorch: 'bench/mnad_torch.py', typescript: 'bench/mnad-ts.mjs' }, args, [
  ['training step ms', 'train', 'train', false],
  ['scoring ms per frame', 'score', 'score', false],
]);
