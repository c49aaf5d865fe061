#!/usr/bin/env node
// `npm run bench:step`: one MemAE-MNIST training step (batch 64, Adam) and 100,000 small op calls, in
// TypeScript and in PyTorch (Debian's python3-torch, the same libtorch) in the same run, with the same
// thread count. Each side runs in its own process, one after the other. TypeScript runs as the CLI
// does (jemalloc preloaded when installed) and, for reference, with glibc's malloc.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { jemallocPath, withJemalloc } from '../bin/allocator.js';
import { sameBlasThreads } from './side-by-side.mjs';

const threads = Number(process.env.NORMALITY_THREADS) || availableParallelism();
const steps = process.env.BENCH_STEPS ?? '60';
const jemalloc = jemallocPath();
const python = process.env.PYTHON ?? '/usr/bin/python3';

function run(label, command, args, env = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`${label} failed:\n${result.stderr}`);
    process.exit(1);
  }
  const parsed = JSON.parse(result.stdout.trim().split('\n').pop());
  console.log(`${label.padEnd(26)} step median ${parsed.step_ms_median.toFixed(2)} ms (min ${parsed.step_ms_min.toFixed(2)})  op ${parsed.op_us.toFixed(2)} µs  peak RSS ${parsed.peak_rss_mb.toFixed(0)} MB`);
  return parsed;
}

console.log(`MemAE-MNIST training step, batch 64, Adam; ${threads} threads, OpenBLAS threads ${sameBlasThreads()}; ${steps} timed steps after 10 warm-up steps`);
const common = ['--threads', String(threads), '--steps', steps];
if (!existsSync(python) || spawnSync(python, ['-c', 'import torch']).status !== 0) {
  console.error(`PyTorch is not importable from ${python}: install Debian's python3-torch (sudo apt-get install python3-torch) or set PYTHON.`);
  process.exit(1);
}
const torch = run('pytorch', python, ['bench/step_torch.py', ...common]);
const tsDefault = run(`typescript${jemalloc ? ' (jemalloc, CLI default)' : ''}`, process.execPath, ['bench/step-ts.mjs', ...common], withJemalloc({}) ?? {});
if (jemalloc) run('typescript (glibc malloc)', process.execPath, ['bench/step-ts.mjs', ...common], { LD_PRELOAD: '' });
console.log(`peak RSS ts/pytorch: ${(tsDefault.peak_rss_mb / torch.peak_rss_mb).toFixed(3)}`);
console.log(`step ratio ts/pytorch: ${(tsDefault.step_ms_median / torch.step_ms_median).toFixed(3)}`);
console.log(`op overhead ts/pytorch: ${(tsDefault.op_us / torch.op_us).toFixed(3)}`);
